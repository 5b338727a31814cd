"""The dashboard's step tracker: the states a person passes through on the way to their next level."""


from decimal import Decimal

import pytest
from django.urls import reverse

from insights.tracker import tracker_for
from tests.applicants.factories import HoursEntryFactory
from tests.certificates.factories import CertificateFactory, RenewalFactory
from tests.factories import ApplicantFactory
from tests.insights.conftest import application

pytestmark = pytest.mark.django_db


def states(tracker) -> dict:
    return {step.key: step.state for step in tracker.steps}


def test_a_newcomer_aims_at_am_and_starts_with_hours():
    tracker = tracker_for(user=ApplicantFactory())
    assert tracker.level.code == "AM"
    assert states(tracker)["hours"] == "todo"
    assert states(tracker)["years"] == "skipped"  # AM asks for no years of mentoring
    assert (tracker.next_step.key, tracker.next_step.action_url) == ("hours", reverse("applicants:hours_list"))


def test_a_draft_application_asks_to_be_finished():
    person = ApplicantFactory()
    draft = application(person, "PM")
    tracker = tracker_for(user=person)
    decision = next(step for step in tracker.steps if step.key == "decision")
    assert tracker.level.code == "PM"
    assert decision.state == "todo"
    assert decision.action_url == reverse("accreditation:application_step", args=[draft.pk, "documents"])


def test_under_review_the_person_waits_and_the_exam_comes_later():
    person = ApplicantFactory()
    application(person, "AM", status="under_review", submitted_days=1)
    assert {k: v for k, v in states(tracker_for(user=person)).items() if k in ("decision", "exam")} == {
        "decision": "waiting", "exam": "later"}


def test_accepted_for_exam_the_next_thing_is_booking_a_seat():
    person = ApplicantFactory()
    application(person, "AM", status="accepted_for_exam", submitted_days=1, accepted_days=3)
    exam = next(step for step in tracker_for(user=person).steps if step.key == "exam")
    assert (exam.state, exam.action_url) == ("todo", reverse("exams:calendar"))


def test_a_holder_aims_at_the_next_level_and_keeps_the_renewal_in_view():
    person = ApplicantFactory()
    CertificateFactory(level_code="AM", holder=person)
    tracker = tracker_for(user=person)
    assert tracker.level.code == "PM"
    assert states(tracker)["certificate"] == "later"
    assert states(tracker)["renewal"] == "later"


@pytest.mark.parametrize(("status", "state"), [("requested", "todo"), ("confirmed", "done")])
def test_hours_step_waits_for_the_share_a_level_needs_confirmed(status, state):
    person = ApplicantFactory()
    CertificateFactory(level_code="PM", holder=person)
    HoursEntryFactory(user=person, hours=Decimal("300"), status=status)

    tracker = tracker_for(user=person)

    assert tracker.level.code == "SM"
    assert states(tracker)["hours"] == state


def test_a_master_mentor_expiring_soon_is_told_to_renew():
    person = ApplicantFactory()
    certificate = CertificateFactory.expiring_in(30, level_code="MM", holder=person)
    tracker = tracker_for(user=person)
    assert tracker.level.code == "MM"
    assert states(tracker)["certificate"] == "done" and states(tracker)["hours"] == "done"
    assert (tracker.next_step.key, tracker.next_step.action_url) == (
        "renewal", reverse("certificates:detail", args=[certificate.number]))


def test_a_certificate_far_from_expiry_is_renewed_once_its_pdus_are_approved():
    person = ApplicantFactory()
    certificate = CertificateFactory.expiring_in(1000, level_code="MM", holder=person)

    renewal = next(step for step in tracker_for(user=person).steps if step.key == "renewal")

    assert renewal.state == "later" and "renew it once its PDUs are approved" in renewal.detail
    assert renewal.action_url == reverse("certificates:detail", args=[certificate.number])


def test_an_open_renewal_is_waited_for():
    person = ApplicantFactory()
    certificate = CertificateFactory.expiring_in(30, level_code="MM", holder=person)
    RenewalFactory(certificate=certificate)
    assert states(tracker_for(user=person))["renewal"] == "waiting"


def test_the_dashboard_shows_the_tracker(client, applicant):
    client.force_login(applicant)
    body = client.get(reverse("applicants:dashboard")).content.decode()
    assert 'id="tracker-heading"' in body and 'id="step-renewal"' in body


def test_a_fast_track_candidate_is_not_shown_the_way_from_associate_mentor(client):
    from tests.fasttrack.factories import AcceptedApplicationFactory

    candidate = AcceptedApplicationFactory().applicant
    client.force_login(candidate)

    body = client.get(reverse("applicants:dashboard")).content.decode()

    assert tracker_for(user=candidate) is None
    assert 'id="fasttrack-panel"' in body and 'id="tracker-heading"' not in body


def test_a_withdrawn_fast_track_application_brings_the_usual_way_back():
    from fasttrack.models import FastTrackApplication
    from tests.fasttrack.factories import ApplicationFactory

    person = ApplicationFactory(status=FastTrackApplication.Status.WITHDRAWN).applicant

    assert tracker_for(user=person).level.code == "AM"


def test_the_tracker_reads_the_same_number_of_queries_whatever_the_state(django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    newcomer, holder = ApplicantFactory(), ApplicantFactory()
    CertificateFactory(level_code="AM", holder=holder)
    application(holder, "PM")
    tracker_for(user=ApplicantFactory())  # the levels are then kept in memory (reference data)
    with CaptureQueriesContext(connection) as first:
        tracker_for(user=newcomer)
    with django_assert_num_queries(len(first)):
        tracker_for(user=holder)
