from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from exams.models import Booking
from exams.services import booking_cancel, booking_create, booking_reminders_send, booking_reschedule
from exams.tasks import booking_reminders
from notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db


def reminders():
    return OutboxMessage.objects.filter(key__startswith="booking-reminder:")


def test_reminder_is_queued_once_seven_days_before_even_when_the_job_runs_twice(candidate, session_factory,
                                                                                level_am, settings):
    settings.EXAM_REMINDER_DAYS = 7
    booking = booking_create(candidate=candidate, session=session_factory(), level=level_am)

    with time_machine.travel(booking.session.starts_at - timedelta(days=8)):
        assert booking_reminders_send() == 0
    with time_machine.travel(booking.session.starts_at - timedelta(days=6, hours=23)):
        assert booking_reminders() == 1
        assert booking_reminders() == 0

    [message] = reminders()
    assert message.key == f"booking-reminder:{booking.pk}:{booking.session_id}"
    assert message.to == [candidate.email]
    assert "Reminder" in message.subject
    assert message.attachments[0]["mimetype"] == "text/calendar"


def test_reminder_is_queued_once_even_if_the_bookkeeping_is_lost(candidate, session, level_am):
    """The outbox key, a unique constraint, holds even when two runs both think the reminder is due."""
    booking = booking_create(candidate=candidate, session=session, level=level_am)

    with time_machine.travel(session.starts_at - timedelta(days=3)):
        booking_reminders_send()
        Booking.objects.filter(pk=booking.pk).update(reminded_session=None)
        assert booking_reminders_send() == 1

    assert reminders().count() == 1


def test_a_rescheduled_booking_gets_a_reminder_for_its_new_session(candidate, session_factory, level_am):
    first = session_factory(starts_at=timezone.now() + timedelta(days=20))
    booking = booking_create(candidate=candidate, session=first, level=level_am)
    second = session_factory(starts_at=timezone.now() + timedelta(days=21))
    with time_machine.travel(first.starts_at - timedelta(days=6)):
        booking_reminders_send()
    booking_reschedule(booking=booking, to_session=second, actor=candidate)

    with time_machine.travel(second.starts_at - timedelta(days=6)):
        booking_reminders_send()
        booking_reminders_send()

    assert sorted(reminders().values_list("key", flat=True)) == sorted(
        [f"booking-reminder:{booking.pk}:{first.pk}", f"booking-reminder:{booking.pk}:{second.pk}"])


def test_no_reminder_for_a_cancelled_booking(candidate, session, level_am):
    booking = booking_create(candidate=candidate, session=session, level=level_am)
    booking_cancel(booking=booking, actor=candidate)

    with time_machine.travel(session.starts_at - timedelta(days=3)):
        assert booking_reminders_send() == 0



def _queries_for_reminders(session, level, count: int) -> int:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    user_model = get_user_model()
    users = user_model.objects.bulk_create(
        [user_model(email=f"candidate{session.pk}-{index}@reminders.example") for index in range(count)])
    Booking.objects.bulk_create([Booking(candidate=user, session=session, window=session.window, level=level)
                                 for user in users])
    with time_machine.travel(session.starts_at - timedelta(days=3)), CaptureQueriesContext(connection) as queries:
        assert booking_reminders_send() == count
    assert reminders().filter(key__endswith=f":{session.pk}").count() == count
    return len(queries.captured_queries)


def test_reminder_queries_do_not_grow_with_the_number_of_bookings(session_factory, level_am):
    starts = timezone.now() + timedelta(days=30)
    few = _queries_for_reminders(session_factory(starts_at=starts), level_am, 5)
    many = _queries_for_reminders(session_factory(starts_at=starts + timedelta(hours=1)), level_am, 200)

    assert many == few
