"""The exam-window lapse job: every application accepted for the exam whose window ended, booked or not."""

import datetime

import pytest
from dateutil.relativedelta import relativedelta
from django.utils import timezone

from accreditation.models import ApplicationStatus
from accreditation.services import application_accept_for_exam, exam_window_ends_at, exam_windows_lapse
from accreditation.signals import exam_window_closing
from accreditation.tasks import exam_windows_lapse_run
from notifications.models import OutboxMessage
from tests.accreditation.conftest import submitted

pytestmark = pytest.mark.django_db
S = ApplicationStatus


@pytest.fixture
def accepted(applicant, reviewer):
    """Accepted for the exam; the candidate never books a seat."""
    return application_accept_for_exam(application=submitted(applicant), actor=reviewer)


def lapse_mails(application) -> int:
    return OutboxMessage.objects.filter(key__startswith=f"application-application_lapsed:{application.pk}:").count()


def test_window_is_the_acceptance_plus_the_eligibility_months(accepted, settings):
    settings.EXAM_ELIGIBILITY_MONTHS = 12

    assert exam_window_ends_at(accepted) == accepted.accepted_at + relativedelta(months=12)


def test_never_booked_lapses_once_with_one_mail_when_the_job_runs_twice(accepted):
    after_the_window = exam_window_ends_at(accepted) + datetime.timedelta(minutes=1)

    assert exam_windows_lapse(now=after_the_window) == 1
    assert exam_windows_lapse(now=after_the_window) == 0

    accepted.refresh_from_db()
    assert accepted.status == S.LAPSED and accepted.closed_at is not None
    assert list(accepted.events.filter(action="lapsed").values_list("from_status", "to_status", "actor")) == [
        ("accepted_for_exam", "lapsed", None)]
    assert "without a pass" in accepted.events.get(action="lapsed").note
    assert lapse_mails(accepted) == 1


def test_nothing_lapses_inside_the_window(accepted):
    assert exam_windows_lapse(now=exam_window_ends_at(accepted) - datetime.timedelta(minutes=1)) == 0

    accepted.refresh_from_db()
    assert accepted.status == S.ACCEPTED_FOR_EXAM and lapse_mails(accepted) == 0


def test_a_receiver_saying_wait_defers_the_lapse(accepted):
    asked = []

    def result_pending(sender, *, application, **kwargs):
        asked.append(application.pk)
        return True

    exam_window_closing.connect(result_pending, weak=False)
    try:
        assert exam_windows_lapse(now=exam_window_ends_at(accepted) + datetime.timedelta(days=1)) == 0
    finally:
        exam_window_closing.disconnect(result_pending)

    accepted.refresh_from_db()
    assert (accepted.status, asked, lapse_mails(accepted)) == (S.ACCEPTED_FOR_EXAM, [accepted.pk], 0)
    assert exam_windows_lapse(now=exam_window_ends_at(accepted) + datetime.timedelta(days=2)) == 1


def test_the_task_runs_the_job_and_beat_schedules_it(accepted, settings):
    settings.EXAM_ELIGIBILITY_MONTHS = 0  # the window ends the moment it opens

    assert exam_windows_lapse_run() == 1
    assert timezone.now() > exam_window_ends_at(accepted)
    assert "accreditation.tasks.exam_windows_lapse_run" in {
        entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
