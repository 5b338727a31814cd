"""A booking's history is immutable in PostgreSQL and keeps who acted after their account is gone."""

from datetime import timedelta

import pytest
import time_machine
from django.db import IntegrityError, InternalError, transaction
from django.db.models.deletion import ProtectedError

from exams.models import Booking, BookingEvent
from exams.services import booking_attendance_set, booking_create
from tests.factories import ReviewerFactory
from workflows.models import InvalidTransition

pytestmark = pytest.mark.django_db

REFUSED = (IntegrityError, InternalError)  # the trigger raises integrity_constraint_violation


@pytest.fixture
def booking(candidate, session, level_am):
    return booking_create(candidate=candidate, session=session, level=level_am)


def test_a_booking_event_cannot_be_updated(booking):
    with pytest.raises(REFUSED, match="immutable"), transaction.atomic():
        BookingEvent.objects.filter(booking=booking).update(note="rewritten")

    assert BookingEvent.objects.get(booking=booking).note.startswith("Attempt")


def test_a_booking_event_cannot_be_deleted(booking):
    with pytest.raises(REFUSED, match="immutable"), transaction.atomic():
        BookingEvent.objects.filter(booking=booking).delete()

    assert BookingEvent.objects.filter(booking=booking).count() == 1


def test_a_booking_with_history_cannot_be_deleted(booking):
    with pytest.raises(ProtectedError), transaction.atomic():
        Booking.objects.filter(pk=booking.pk).delete()

    assert Booking.objects.filter(pk=booking.pk).exists()


def test_deleting_a_staff_account_keeps_their_name_in_the_history(booking):
    staff = ReviewerFactory(full_name="Rita Reviewer")
    with time_machine.travel(booking.session.starts_at + timedelta(minutes=1)):
        booking_attendance_set(booking=booking, attended=True, actor=staff)
    email = staff.email

    staff.delete()

    event = BookingEvent.objects.get(booking=booking, to_status="attended")
    assert event.actor is None
    assert event.actor_name == f"Rita Reviewer <{email}>"
    assert event.by == f"Rita Reviewer <{email}>"


def test_the_engine_refuses_a_move_not_in_the_bookings_table(booking):
    with time_machine.travel(booking.session.starts_at + timedelta(minutes=1)):
        booking_attendance_set(booking=booking, attended=False, actor=None)
        booking = Booking.objects.get(pk=booking.pk)

    assert not booking.can_transition("booked")
    with pytest.raises(InvalidTransition, match="cannot become"):
        booking.check_transition("booked")
