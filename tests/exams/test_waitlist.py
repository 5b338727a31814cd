from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from exams.models import BookingStatus, ExamSession, WaitlistEntry, WaitlistStatus
from exams.services import (
    booking_cancel,
    booking_create,
    waitlist_join,
    waitlist_leave,
    waitlist_offer_accept,
    waitlist_offers_process,
)
from exams.tasks import waitlist_offers
from notifications.models import OutboxMessage
from tests.factories import ApplicantFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def accepted(acceptances):
    def make():
        user = ApplicantFactory()
        acceptances.accept(user, "AM")
        return user
    return make


@pytest.fixture
def full_session(session_factory, accepted, level_am):
    session = session_factory(capacity=1)
    holder = accepted()
    booking_create(candidate=holder, session=session, level=level_am)
    return session


def seats(session) -> int:
    return ExamSession.objects.get(pk=session.pk).seats_taken


def test_join_only_when_the_session_is_full(session, candidate, level_am):
    with pytest.raises(ValidationError, match="still has seats; book one instead"):
        waitlist_join(session=session, candidate=candidate, level=level_am)


def test_join_twice_is_refused(full_session, candidate, level_am):
    waitlist_join(session=full_session, candidate=candidate, level=level_am)

    with pytest.raises(ValidationError, match="already on this session's waiting list"):
        waitlist_join(session=full_session, candidate=candidate, level=level_am)


def test_ineligible_people_cannot_queue(full_session, level_am):
    with pytest.raises(ValidationError, match="not been accepted"):
        waitlist_join(session=full_session, candidate=ApplicantFactory(), level=level_am)


def test_a_freed_seat_is_held_for_the_first_in_line_and_mailed(full_session, accepted, level_am, settings):
    settings.EXAM_WAITLIST_OFFER_HOURS = 48
    first, second = accepted(), accepted()
    entry = waitlist_join(session=full_session, candidate=first, level=level_am)
    waitlist_join(session=full_session, candidate=second, level=level_am)

    booking_cancel(booking=full_session.bookings.get(), actor=None)

    entry.refresh_from_db()
    assert entry.status == WaitlistStatus.OFFERED
    assert entry.offer_expires_at - entry.offered_at == timedelta(hours=48)
    assert seats(full_session) == 1  # held for the offer, not open to anyone else
    assert OutboxMessage.objects.filter(key=f"waitlist-offer:{entry.pk}", to=[first.email]).exists()
    with pytest.raises(ValidationError, match="No seats left"):
        booking_create(candidate=accepted(), session=full_session, level=level_am)


def test_accepting_the_offer_books_the_held_seat(full_session, accepted, level_am):
    person = accepted()
    entry = waitlist_join(session=full_session, candidate=person, level=level_am)
    booking_cancel(booking=full_session.bookings.get(), actor=None)

    booking = waitlist_offer_accept(entry=WaitlistEntry.objects.get(pk=entry.pk), actor=person)

    assert (booking.candidate, booking.status) == (person, BookingStatus.BOOKED)
    assert seats(full_session) == 1
    entry.refresh_from_db()
    assert (entry.status, entry.booking) == (WaitlistStatus.ACCEPTED, booking)


def test_an_expired_offer_passes_to_the_next_in_line_and_the_job_is_idempotent(full_session, accepted, level_am):
    first, second = accepted(), accepted()
    entry_one = waitlist_join(session=full_session, candidate=first, level=level_am)
    entry_two = waitlist_join(session=full_session, candidate=second, level=level_am)
    booking_cancel(booking=full_session.bookings.get(), actor=None)

    with time_machine.travel(timezone.now() + timedelta(hours=49)):
        assert waitlist_offers() == {"expired": 1, "offered": 0}  # the beat task
        assert waitlist_offers() == {"expired": 0, "offered": 0}
        with pytest.raises(ValidationError, match="no longer open"):
            waitlist_offer_accept(entry=entry_one, actor=first)

    entry_one.refresh_from_db()
    entry_two.refresh_from_db()
    assert (entry_one.status, entry_two.status) == (WaitlistStatus.EXPIRED, WaitlistStatus.OFFERED)
    assert seats(full_session) == 1
    assert OutboxMessage.objects.filter(key__startswith="waitlist-offer:").count() == 2


def test_an_expired_offer_with_nobody_waiting_gives_the_seat_back(full_session, accepted, level_am):
    entry = waitlist_join(session=full_session, candidate=accepted(), level=level_am)
    booking_cancel(booking=full_session.bookings.get(), actor=None)

    with time_machine.travel(timezone.now() + timedelta(hours=49)):
        waitlist_offers_process()
        waitlist_offers_process()

    assert WaitlistEntry.objects.get(pk=entry.pk).status == WaitlistStatus.EXPIRED
    assert seats(full_session) == 0


def test_declining_an_offer_passes_the_seat_on(full_session, accepted, level_am):
    first, second = accepted(), accepted()
    entry_one = waitlist_join(session=full_session, candidate=first, level=level_am)
    entry_two = waitlist_join(session=full_session, candidate=second, level=level_am)
    booking_cancel(booking=full_session.bookings.get(), actor=None)

    waitlist_leave(entry=entry_one, actor=first)

    assert WaitlistEntry.objects.get(pk=entry_two.pk).status == WaitlistStatus.OFFERED
    assert seats(full_session) == 1


def test_the_job_offers_seats_added_to_a_full_session(full_session, accepted, level_am):
    entries = [waitlist_join(session=full_session, candidate=accepted(), level=level_am) for _ in range(3)]
    ExamSession.objects.filter(pk=full_session.pk).update(capacity=3)

    assert waitlist_offers_process() == {"expired": 0, "offered": 2}
    assert waitlist_offers_process() == {"expired": 0, "offered": 0}

    statuses = [WaitlistEntry.objects.get(pk=entry.pk).status for entry in entries]
    assert statuses == [WaitlistStatus.OFFERED, WaitlistStatus.OFFERED, WaitlistStatus.WAITING]
    assert seats(full_session) == 3


@pytest.mark.django_db(transaction=True)
def test_a_freed_seat_reaches_the_waiting_person_while_a_booking_holds_the_session(full_session, accepted, level_am):
    import threading

    from django.db import connection, transaction

    from exams.services.seats import seat_release

    entry = waitlist_join(session=full_session, candidate=accepted(), level=level_am)
    locked, done = threading.Event(), threading.Event()

    def hold_the_session_row():
        try:
            with transaction.atomic():
                ExamSession.objects.select_for_update().get(pk=full_session.pk)
                locked.set()
                done.wait(timeout=10)
        finally:
            connection.close()

    holder = threading.Thread(target=hold_the_session_row)
    holder.start()
    assert locked.wait(timeout=10)
    try:
        with transaction.atomic():
            offered = seat_release(session_id=full_session.pk)
    finally:
        done.set()
        holder.join()

    assert offered is not None and offered.pk == entry.pk
    assert WaitlistEntry.objects.get(pk=entry.pk).status == WaitlistStatus.OFFERED
