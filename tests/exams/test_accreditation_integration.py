"""Exams against the real accreditation app: its selector opens booking, a pass and a last failed
attempt reach its application through the contracts (no stand-in for accreditation here)."""

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from accreditation.models import Level, LevelApplication
from exams.services import ResultRow, booking_create, results_record
from tests.factories import ApplicantFactory

pytestmark = pytest.mark.django_db

TOPICS = ["coaching-skills", "mentoring-skills", "supervision-skills", "knowledge-management",
          "tacit-knowledge-management", "business-skills", "tools-methodologies", "ethics"]


def accepted_application(user, level_code="AM"):
    """An application the committee has accepted for the exam (arranged directly: the review
    workflow is accreditation's to test)."""
    return LevelApplication.objects.create(
        number=f"T-{user.pk}-{level_code}", applicant=user, level=Level.objects.get(code=level_code),
        status="accepted_for_exam", accepted_at=timezone.now() - timedelta(days=10),
        submitted_at=timezone.now() - timedelta(days=40))


def sit(booking, scores, django_capture_on_commit_callbacks):
    with time_machine.travel(booking.session.starts_at + timedelta(hours=4)), \
            django_capture_on_commit_callbacks(execute=True):
        results_record(session=booking.session, actor=None,
                       rows=[ResultRow(booking_id=booking.pk, scores=dict.fromkeys(TOPICS, Decimal(scores)))])


def test_only_an_application_accepted_for_exam_opens_booking(session, level_am):
    applicant = ApplicantFactory()
    with pytest.raises(ValidationError, match="has not been accepted for the exam"):
        booking_create(candidate=applicant, session=session, level=level_am)

    accepted_application(applicant)

    assert booking_create(candidate=applicant, session=session, level=level_am).attempt_number == 1


def test_a_pass_reaches_the_application(session, level_am, django_capture_on_commit_callbacks):
    applicant = ApplicantFactory()
    application = accepted_application(applicant)
    booking = booking_create(candidate=applicant, session=session, level=level_am)

    sit(booking, 90, django_capture_on_commit_callbacks)

    application.refresh_from_db()
    assert application.exam_passed_at is not None
    assert application.status != "accepted_for_exam"


def test_failing_the_last_attempt_lapses_the_application(session, level_am, settings,
                                                        django_capture_on_commit_callbacks):
    settings.EXAM_ATTEMPT_LIMIT = 1
    applicant = ApplicantFactory()
    application = accepted_application(applicant)
    booking = booking_create(candidate=applicant, session=session, level=level_am)

    sit(booking, 20, django_capture_on_commit_callbacks)

    application.refresh_from_db()
    assert application.status == "lapsed"
