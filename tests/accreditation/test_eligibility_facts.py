"""eligibility_for gathers the facts from applicants and the other apps' contracts."""

from decimal import Decimal

import pytest

from accreditation.eligibility import Outcome
from accreditation.selectors import contract, eligibility_for
from tests.accreditation.conftest import draft_for, make_eligible
from tests.documents.samples import upload

pytestmark = pytest.mark.django_db


def outcomes(requirements) -> dict[str, str]:
    return {r.key: str(r.outcome) for r in requirements}


def test_contract_is_none_for_a_missing_module_or_function(other_apps):
    other_apps.absent("exams.selectors")

    assert contract("exams.selectors", "exam_passed") is None
    assert contract("partners.selectors", "no_such_function") is None
    assert contract("no_such_app.selectors", "anything") is None
    assert contract("partners.selectors", "training_completed") is not None


def test_checklist_from_profile_hours_ethics_and_the_other_apps(applicant, other_apps):
    make_eligible(applicant, "AM")
    other_apps.exam = False

    requirements = eligibility_for(user=applicant, level_code="AM")

    assert outcomes(requirements) == {"service_hours": "met", "training": "met", "ethics": "met", "exam": "not_met"}
    assert requirements[0].reason == "40 of 40 service hours logged"


def test_absent_apps_leave_training_exam_and_fast_track_pending(applicant, other_apps):
    make_eligible(applicant, "SM", hours=12)
    other_apps.absent("partners.selectors", "exams.selectors", "fasttrack.selectors")

    result = outcomes(eligibility_for(user=applicant, level_code="SM"))

    assert result["training"] == result["exam"] == result["service_hours"] == "pending"
    assert result["prerequisite"] == "not_met"


def test_ethics_needs_adopting_again_after_a_new_version(applicant, reviewer):
    from applicants.services import ethics_code_publish

    make_eligible(applicant, "AM")
    ethics_code_publish(text="Version two", actor=reviewer)

    ethics = {r.key: r for r in eligibility_for(user=applicant, level_code="AM")}["ethics"]
    assert (ethics.outcome, ethics.reason) == (Outcome.NOT_MET, "Adopt the current version (2) of the code of ethics")


def test_statements_and_evidence_of_the_open_application_count(applicant):
    from accreditation.services import document_add

    make_eligible(applicant, "MM")
    application = draft_for(applicant, "MM", equivalent_training_statement="ICF PCC programme",
                            contribution_statement="Founded a national mentoring network")
    assert outcomes(eligibility_for(user=applicant, level_code="MM"))["prerequisite"] == "not_met"

    document_add(application=application, actor=applicant, kind="equivalent_training", file=upload("pdf"))

    result = outcomes(eligibility_for(user=applicant, level_code="MM"))
    assert result["prerequisite"] == result["contribution"] == "judgement"


def test_hours_of_other_people_do_not_count(applicant, applicant_factory):
    make_eligible(applicant_factory(), "AM")

    hours = {r.key: r for r in eligibility_for(user=applicant, level_code="AM")}["service_hours"]
    assert hours.reason == "0 of 40 service hours logged"
    assert Decimal("0") == Decimal(hours.reason.split()[0])
