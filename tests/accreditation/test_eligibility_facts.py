"""eligibility_for gathers the facts from applicants, partners and (by signal) the apps beside and above."""

from decimal import Decimal

import pytest

from accreditation.eligibility import Outcome
from accreditation.selectors import eligibility_for
from accreditation.signals import eligibility_facts_requested
from tests.accreditation.conftest import draft_for, make_eligible
from tests.documents.samples import upload

pytestmark = pytest.mark.django_db


def outcomes(requirements) -> dict[str, str]:
    return {r.key: str(r.outcome) for r in requirements}


@pytest.fixture
def answering():
    """Connect a receiver to accreditation's own signal for one test (what exams or fasttrack would answer)."""
    connected = []

    def connect(**facts):
        def receiver(sender, *, user, level_code, **kwargs):
            return facts

        eligibility_facts_requested.connect(receiver, weak=False)
        connected.append(receiver)

    yield connect
    for receiver in connected:
        eligibility_facts_requested.disconnect(receiver)


def test_checklist_from_profile_hours_ethics_and_partners_training(applicant, answering):
    make_eligible(applicant, "AM")
    answering(exam_passed=False)

    requirements = eligibility_for(user=applicant, level_code="AM")

    assert outcomes(requirements) == {"service_hours": "met", "training": "met", "ethics": "met", "exam": "not_met"}
    assert requirements[0].reason == "40 of 40 service hours logged"


def test_training_not_recorded_by_a_qtsp_is_not_met(applicant):
    make_eligible(applicant, "AM", training=False)

    assert outcomes(eligibility_for(user=applicant, level_code="AM"))["training"] == "not_met"


@pytest.fixture
def nobody_answering():
    """exams and fasttrack answer accreditation's question in the running portal; here they are silent."""
    from accreditation.signals import eligibility_facts_requested
    from exams.receivers import eligibility_facts_received as exams_answer
    from fasttrack.receivers import eligibility_facts_received as fasttrack_answer

    eligibility_facts_requested.disconnect(dispatch_uid="exams.eligibility_facts")
    eligibility_facts_requested.disconnect(dispatch_uid="fasttrack.eligibility_facts")
    yield
    eligibility_facts_requested.connect(exams_answer, dispatch_uid="exams.eligibility_facts")
    eligibility_facts_requested.connect(fasttrack_answer, dispatch_uid="fasttrack.eligibility_facts")


def test_facts_nobody_answers_stay_pending(applicant, nobody_answering):
    make_eligible(applicant, "SM", hours=12)

    result = outcomes(eligibility_for(user=applicant, level_code="SM"))

    assert result["exam"] == result["service_hours"] == "pending"
    assert result["prerequisite"] == "not_met"


def test_any_receiver_saying_true_wins(applicant, answering):
    make_eligible(applicant, "SM", hours=12)
    answering(fasttrack_accepted=False, exam_passed=False)
    answering(fasttrack_accepted=True)

    result = outcomes(eligibility_for(user=applicant, level_code="SM"))

    assert (result["service_hours"], result["exam"]) == ("met", "not_met")


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
