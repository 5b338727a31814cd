"""The eligibility rules as a pure function: examples, then properties over generated facts."""

import datetime
from dataclasses import replace
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accreditation.eligibility import (
    Facts,
    LevelRules,
    Outcome,
    Requirement,
    approval_blockers,
    evaluate,
    exam_acceptance_blockers,
    full_years,
    submission_blockers,
)
from applicants.models import EducationLevel

TODAY = datetime.date(2026, 6, 15)
AM = LevelRules(code="AM", name="Associate Mentor", service_hours=40, training="32 h online training")
PM = LevelRules(code="PM", name="Professional Mentor", service_hours=100, years_mentoring=1,
                minimum_education="bachelor", training="Professional Mentor training")
SM = LevelRules(code="SM", name="Senior Mentor", service_hours=300, years_mentoring=3, prerequisite_code="PM",
                prerequisite_name="Professional Mentor", training="Senior Mentor training")
MM = LevelRules(code="MM", name="Master Mentor", service_hours=500, years_mentoring=5, prerequisite_code="SM",
                prerequisite_name="Senior Mentor", training="Master Mentor training",
                requires_contribution_statement=True)
LEVELS = [AM, PM, SM, MM]


def by_key(requirements: list[Requirement]) -> dict[str, Requirement]:
    return {requirement.key: requirement for requirement in requirements}


def facts(**overrides) -> Facts:
    base = Facts(today=TODAY, hours_logged=Decimal("600"), mentoring_since=datetime.date(2015, 1, 1),
                 education="master", education_proof=True, held_levels=frozenset({"AM", "PM", "SM"}),
                 training_completed=True, exam_passed=True, fasttrack_accepted=False,
                 fasttrack_training_completed=False, ethics_current_version=2, ethics_adopted=True,
                 contribution_statement=True)
    return replace(base, **overrides)


# ---- examples ----

def test_hours_reason_says_how_many_of_how_many():
    requirement = by_key(evaluate(PM, facts(hours_logged=Decimal("62"))))["service_hours"]

    assert (requirement.outcome, requirement.reason) == (Outcome.NOT_MET, "62 of 100 service hours logged")


def test_hours_reason_keeps_halves():
    assert by_key(evaluate(AM, facts(hours_logged=Decimal("39.5"))))["service_hours"].reason == (
        "39.5 of 40 service hours logged")


def test_hours_reason_past_the_requirement_never_reads_more_of_fewer():
    requirement = by_key(evaluate(AM, facts(hours_logged=Decimal("62"))))["service_hours"]

    assert (requirement.outcome, requirement.reason) == (Outcome.MET, "62 service hours logged (40 required)")


def test_years_reason_past_the_requirement_never_reads_more_of_fewer():
    requirement = by_key(evaluate(PM, facts(mentoring_since=datetime.date(2023, 1, 1))))["years_mentoring"]

    assert requirement.outcome == Outcome.MET
    assert requirement.reason == "3 years of mentoring since 1 Jan 2023 (1 required)"


def test_each_level_lists_its_own_requirements():
    assert [r.key for r in evaluate(AM, facts())] == ["service_hours", "training", "ethics", "exam"]
    assert [r.key for r in evaluate(PM, facts())] == [
        "service_hours", "years_mentoring", "education", "training", "ethics", "exam"]
    assert [r.key for r in evaluate(SM, facts())] == [
        "service_hours", "years_mentoring", "prerequisite", "training", "ethics", "exam"]
    assert [r.key for r in evaluate(MM, facts())] == [
        "service_hours", "years_mentoring", "prerequisite", "training", "contribution", "ethics", "exam"]


def test_missing_training_and_exam_facts_are_pending_never_met():
    result = by_key(evaluate(AM, facts(training_completed=None, exam_passed=None)))

    assert result["training"].outcome == Outcome.PENDING
    assert "not available yet" in result["training"].reason
    assert result["exam"].outcome == Outcome.PENDING


def test_years_count_whole_years_only():
    assert full_years(datetime.date(2025, 6, 16), TODAY) == 0
    assert full_years(datetime.date(2025, 6, 15), TODAY) == 1
    requirement = by_key(evaluate(PM, facts(mentoring_since=datetime.date(2025, 6, 16))))["years_mentoring"]
    assert requirement.outcome == Outcome.NOT_MET
    assert requirement.reason == "0 of 1 years of mentoring (since 16 Jun 2025)"


def test_years_without_a_start_date_are_not_met():
    assert by_key(evaluate(PM, facts(mentoring_since=None)))["years_mentoring"].reason == (
        "Add the date you started mentoring to your profile")


def test_education_below_the_minimum_or_without_proof_is_not_met():
    below = by_key(evaluate(PM, facts(education="vocational")))["education"]
    no_proof = by_key(evaluate(PM, facts(education_proof=False)))["education"]
    missing = by_key(evaluate(PM, facts(education="")))["education"]

    assert below.outcome == no_proof.outcome == missing.outcome == Outcome.NOT_MET
    assert "your profile says Vocational or associate degree" in below.reason
    assert "upload a proof" in no_proof.reason


def test_prerequisite_held_or_equivalent_training_for_the_committee():
    assert by_key(evaluate(SM, facts()))["prerequisite"].outcome == Outcome.MET
    claimed = by_key(evaluate(SM, facts(held_levels=frozenset(), equivalent_training_statement=True,
                                        equivalent_training_evidence=True)))["prerequisite"]
    unproven = by_key(evaluate(SM, facts(held_levels=frozenset(), equivalent_training_statement=True)))["prerequisite"]
    nothing = by_key(evaluate(SM, facts(held_levels=frozenset())))["prerequisite"]

    assert claimed.outcome == Outcome.JUDGEMENT
    assert unproven.outcome == nothing.outcome == Outcome.NOT_MET
    assert "add evidence" in unproven.reason


def test_fast_track_exempts_senior_mentor_hours_and_years_only():
    sm = by_key(evaluate(SM, facts(hours_logged=Decimal("0"), mentoring_since=None, fasttrack_accepted=True)))
    pm = by_key(evaluate(PM, facts(hours_logged=Decimal("0"), fasttrack_accepted=True)))

    assert sm["service_hours"].outcome == sm["years_mentoring"].outcome == Outcome.MET
    assert "fast track" in sm["service_hours"].reason
    assert pm["service_hours"].outcome == Outcome.NOT_MET


def test_unknown_fast_track_status_leaves_senior_mentor_hours_pending():
    requirement = by_key(evaluate(SM, facts(hours_logged=Decimal("10"), fasttrack_accepted=None)))["service_hours"]

    assert requirement.outcome == Outcome.PENDING


def test_fast_track_training_counts_as_training_and_equivalent_prerequisite():
    result = by_key(evaluate(SM, facts(held_levels=frozenset(), training_completed=False,
                                       fasttrack_training_completed=True)))

    assert result["training"].outcome == result["prerequisite"].outcome == Outcome.MET


def test_contribution_statement_is_for_the_committee_to_judge():
    assert by_key(evaluate(MM, facts()))["contribution"].outcome == Outcome.JUDGEMENT
    assert by_key(evaluate(MM, facts(contribution_statement=False)))["contribution"].outcome == Outcome.NOT_MET


def test_ethics_must_be_the_current_version():
    assert by_key(evaluate(AM, facts(ethics_adopted=False)))["ethics"].reason == (
        "Adopt the current version (2) of the code of ethics")
    assert by_key(evaluate(AM, facts(ethics_current_version=None)))["ethics"].outcome == Outcome.NOT_MET


def test_gates():
    ready_for_exam = evaluate(AM, facts(exam_passed=False))

    assert submission_blockers(ready_for_exam) == []
    assert exam_acceptance_blockers(ready_for_exam) == []
    assert [r.key for r in approval_blockers(ready_for_exam)] == ["exam"]
    pending_training = evaluate(AM, facts(training_completed=None, exam_passed=False))
    assert submission_blockers(pending_training) == []
    assert [r.key for r in exam_acceptance_blockers(pending_training)] == ["training"]


def test_requirement_survives_the_snapshot_round_trip():
    requirement = evaluate(AM, facts())[0]

    assert Requirement.from_dict(requirement.as_dict()) == requirement


# ---- properties ----

dates = st.dates(min_value=datetime.date(1970, 1, 1), max_value=TODAY)
maybe = st.one_of(st.none(), st.booleans())
hours = st.decimals(min_value=0, max_value=2000, places=1, allow_nan=False, allow_infinity=False)
fact_strategy = st.builds(
    Facts,
    today=st.just(TODAY),
    hours_logged=hours,
    mentoring_since=st.one_of(st.none(), dates),
    education=st.sampled_from(["", *EducationLevel.values]),
    education_proof=st.booleans(),
    held_levels=st.frozensets(st.sampled_from(["AM", "PM", "SM", "MM"])),
    equivalent_training_statement=st.booleans(),
    equivalent_training_evidence=st.booleans(),
    training_completed=maybe,
    exam_passed=maybe,
    fasttrack_accepted=maybe,
    fasttrack_training_completed=maybe,
    ethics_current_version=st.one_of(st.none(), st.integers(min_value=1, max_value=9)),
    ethics_adopted=st.booleans(),
    contribution_statement=st.booleans(),
)
level_strategy = st.sampled_from(LEVELS)


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(rules=level_strategy, facts_=fact_strategy)
def test_every_requirement_has_an_outcome_and_a_reason(rules, facts_):
    requirements = evaluate(rules, facts_)

    assert len({r.key for r in requirements}) == len(requirements)
    assert all(isinstance(r.outcome, Outcome) and r.reason for r in requirements)
    assert evaluate(rules, facts_) == requirements  # pure: same facts, same answer


@settings(max_examples=400)
@given(rules=level_strategy, facts_=fact_strategy)
def test_unknown_facts_are_never_met(rules, facts_):
    requirements = evaluate(rules, facts_)
    result = by_key(requirements)
    training_unknown = facts_.training_completed is None and not (
        rules.code == "SM" and facts_.fasttrack_training_completed)

    if facts_.exam_passed is None:
        assert result["exam"].outcome == Outcome.PENDING
    if training_unknown:
        assert result["training"].outcome == Outcome.PENDING
    if training_unknown or facts_.exam_passed is None:
        assert approval_blockers(requirements)
        assert result["exam"].outcome != Outcome.MET or exam_acceptance_blockers(requirements)


@settings(max_examples=400)
@given(rules=level_strategy, facts_=fact_strategy, extra=hours)
def test_more_hours_never_hurt(rules, facts_, extra):
    before = by_key(evaluate(rules, facts_))["service_hours"].outcome
    after = by_key(evaluate(rules, replace(facts_, hours_logged=facts_.hours_logged + extra)))["service_hours"].outcome

    assert not (before == Outcome.MET and after != Outcome.MET)


@settings(max_examples=400)
@given(rules=level_strategy, facts_=fact_strategy)
def test_hours_met_exactly_at_the_threshold_or_by_fast_track(rules, facts_):
    outcome = by_key(evaluate(rules, facts_))["service_hours"].outcome
    by_hours = facts_.hours_logged >= rules.service_hours
    by_fast_track = rules.code == "SM" and facts_.fasttrack_accepted is True

    assert (outcome == Outcome.MET) == (by_hours or by_fast_track)


@settings(max_examples=400)
@given(rules=level_strategy, facts_=fact_strategy)
def test_approval_implies_acceptance_implies_submission(rules, facts_):
    requirements = evaluate(rules, facts_)

    if not approval_blockers(requirements):
        assert not exam_acceptance_blockers(requirements)
        assert by_key(requirements)["exam"].outcome == Outcome.MET
    if not exam_acceptance_blockers(requirements):
        assert not submission_blockers(requirements)


@settings(max_examples=400)
@given(rules=level_strategy, facts_=fact_strategy)
def test_committee_judgement_only_where_the_documents_leave_it_to_the_committee(rules, facts_):
    judged = {r.key for r in evaluate(rules, facts_) if r.outcome == Outcome.JUDGEMENT}

    assert judged <= {"prerequisite", "contribution"}


@settings(max_examples=200)
@given(facts_=fact_strategy)
def test_ethics_met_only_when_the_current_version_is_adopted(facts_):
    outcome = by_key(evaluate(AM, facts_))["ethics"].outcome

    assert (outcome == Outcome.MET) == (facts_.ethics_current_version is not None and facts_.ethics_adopted)
