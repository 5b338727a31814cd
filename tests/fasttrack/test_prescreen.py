"""The pre-screen: every criterion's finding and every group's rule (ALL of the hard requirements; at least
ONE experience and ONE professional requirement), from the body's published fast-track requirements."""

import pytest

from fasttrack.requirements import REQUIREMENTS, RULES, Claim, Criterion, Finding, Group, prescreen

C = Criterion


def with_proof(years=None):
    return Claim(claimed=True, years=years, proofs=1)


EVERYTHING = {
    C.MASTERS_DEGREE: with_proof(), C.ETHICS_COMMITMENT: Claim(claimed=True),
    C.SENIOR_MANAGEMENT: with_proof(10), C.EDUCATION_HEAD: with_proof(),
    C.BODY_ACCREDITATION: with_proof(), C.OTHER_CREDENTIAL: with_proof(), C.MENTORING_PRACTICE: with_proof(3),
}


def finding(criterion, claim):
    return prescreen({criterion: claim})["groups"][[g.group for g in REQUIREMENTS if any(
        r.criterion == criterion for r in g.criteria)][0]]["criteria"][criterion]


def test_the_requirements_are_the_published_three_groups():
    assert [(g.group, g.needs_all, [r.criterion for r in g.criteria]) for g in REQUIREMENTS] == [
        (Group.HARD, True, [C.MASTERS_DEGREE, C.ETHICS_COMMITMENT]),
        (Group.EXPERIENCE, False, [C.SENIOR_MANAGEMENT, C.EDUCATION_HEAD]),
        (Group.PROFESSIONAL, False, [C.BODY_ACCREDITATION, C.OTHER_CREDENTIAL, C.MENTORING_PRACTICE]),
    ]
    assert RULES[C.SENIOR_MANAGEMENT].min_years == 10 and RULES[C.MENTORING_PRACTICE].min_years == 3
    assert [c for c, rule in RULES.items() if not rule.needs_proof] == [C.ETHICS_COMMITMENT]


@pytest.mark.parametrize("criterion", list(Criterion))
def test_each_criterion_not_claimed(criterion):
    assert finding(criterion, Claim(claimed=False, years=20, proofs=3)) == Finding.NOT_CLAIMED


@pytest.mark.parametrize("criterion", [c for c in Criterion if RULES[c].needs_proof])
def test_each_criterion_needing_proof_without_one(criterion):
    assert finding(criterion, Claim(claimed=True, years=20, proofs=0)) == Finding.PROOF_MISSING


@pytest.mark.parametrize("criterion", list(Criterion))
def test_each_criterion_claimed_with_what_it_needs_looks_met(criterion):
    assert finding(criterion, EVERYTHING[criterion]) == Finding.LOOKS_MET


def test_ethics_commitment_needs_no_proof():
    assert finding(C.ETHICS_COMMITMENT, Claim(claimed=True, proofs=0)) == Finding.LOOKS_MET


@pytest.mark.parametrize("criterion, minimum", [(C.SENIOR_MANAGEMENT, 10), (C.MENTORING_PRACTICE, 3)])
def test_years_criteria_at_and_below_the_threshold(criterion, minimum):
    assert finding(criterion, with_proof(minimum)) == Finding.LOOKS_MET
    assert finding(criterion, with_proof(minimum - 1)) == Finding.TOO_FEW_YEARS
    assert finding(criterion, with_proof(None)) == Finding.TOO_FEW_YEARS


def groups(claims):
    return {group: result["looks_met"] for group, result in prescreen(claims)["groups"].items()}


def test_everything_claimed_looks_met():
    result = prescreen(EVERYTHING)
    assert result["all_groups_look_met"]
    assert groups(EVERYTHING) == {"hard": True, "experience": True, "professional": True}


def test_nothing_claimed_looks_met_nowhere():
    result = prescreen({})
    assert not result["all_groups_look_met"]
    assert groups({}) == {"hard": False, "experience": False, "professional": False}


@pytest.mark.parametrize("missing", [C.MASTERS_DEGREE, C.ETHICS_COMMITMENT])
def test_hard_group_needs_all_of_its_criteria(missing):
    claims = {**EVERYTHING, missing: Claim()}

    assert groups(claims)["hard"] is False
    assert prescreen(claims)["all_groups_look_met"] is False


@pytest.mark.parametrize("only", [C.SENIOR_MANAGEMENT, C.EDUCATION_HEAD])
def test_experience_group_needs_any_one(only):
    claims = {**EVERYTHING, C.SENIOR_MANAGEMENT: Claim(), C.EDUCATION_HEAD: Claim(), only: EVERYTHING[only]}

    assert groups(claims)["experience"] is True
    assert groups({**claims, only: Claim()})["experience"] is False


@pytest.mark.parametrize("only", [C.BODY_ACCREDITATION, C.OTHER_CREDENTIAL, C.MENTORING_PRACTICE])
def test_professional_group_needs_any_one(only):
    none = {C.BODY_ACCREDITATION: Claim(), C.OTHER_CREDENTIAL: Claim(), C.MENTORING_PRACTICE: Claim()}
    claims = {**EVERYTHING, **none, only: EVERYTHING[only]}

    assert groups(claims)["professional"] is True
    assert groups({**claims, only: Claim()})["professional"] is False


def test_one_group_unmet_means_not_all_groups_look_met():
    claims = {**EVERYTHING, C.SENIOR_MANAGEMENT: with_proof(9), C.EDUCATION_HEAD: Claim(claimed=True, proofs=0)}

    result = prescreen(claims)

    assert groups(claims) == {"hard": True, "experience": False, "professional": True}
    assert result["groups"]["experience"]["criteria"] == {"senior_management": "too_few_years",
                                                          "education_head": "proof_missing"}
    assert not result["all_groups_look_met"]
