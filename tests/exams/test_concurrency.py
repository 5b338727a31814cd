"""Capacity under real concurrency: many threads, each with its own PostgreSQL connection."""

import threading
from collections import Counter

import pytest
from django.core.exceptions import ValidationError
from django.db import connections

from accreditation.models import Level
from exams.models import Booking, BookingStatus, ExamSession
from exams.services import booking_cancel, booking_create, booking_reschedule
from tests.exams.factories import ExamSessionFactory
from tests.factories import ApplicantFactory

pytestmark = pytest.mark.django_db(transaction=True)


def run_at_once(jobs) -> list:
    """Start every job at the same moment, each in its own thread (so its own connection)."""
    barrier = threading.Barrier(len(jobs))
    outcomes = [None] * len(jobs)

    def worker(index, job):
        try:
            barrier.wait()
            outcomes[index] = job()
        except ValidationError as error:
            outcomes[index] = error.messages[0]
        except Exception as error:  # anything else is a failure the assertions report
            outcomes[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(index, job)) for index, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcomes


def test_sixty_simultaneous_bookings_for_ten_seats_make_exactly_ten(reference_data, acceptances):
    level = Level.objects.get(code="AM")
    session = ExamSessionFactory(capacity=10)
    candidates = [ApplicantFactory() for _ in range(60)]
    for candidate in candidates:
        acceptances.accept(candidate, "AM")

    outcomes = run_at_once([
        (lambda candidate=candidate: booking_create(candidate=candidate, session=session, level=level))
        for candidate in candidates
    ])

    kinds = Counter("booked" if isinstance(outcome, Booking) else outcome for outcome in outcomes)
    assert kinds == {"booked": 10, "No seats left in this session.": 50}, kinds
    assert Booking.objects.filter(session=session, status=BookingStatus.BOOKED).count() == 10
    assert ExamSession.objects.get(pk=session.pk).seats_taken == 10


def test_one_candidate_booking_twice_at_once_gets_one_seat(reference_data, acceptances):
    level = Level.objects.get(code="AM")
    first = ExamSessionFactory(capacity=5)
    second = ExamSessionFactory(capacity=5, window=first.window, starts_at=first.starts_at.replace(hour=14))
    candidate = ApplicantFactory()
    acceptances.accept(candidate, "AM")

    outcomes = run_at_once([
        (lambda session=session: booking_create(candidate=candidate, session=session, level=level))
        for session in (first, second) * 4
    ])

    assert sum(isinstance(outcome, Booking) for outcome in outcomes) == 1, outcomes
    assert all(isinstance(o, Booking) or "already have a booking" in o for o in outcomes), outcomes
    assert ExamSession.objects.get(pk=first.pk).seats_taken + ExamSession.objects.get(pk=second.pk).seats_taken == 1


def test_crosswise_reschedules_do_not_deadlock_or_lose_seats(reference_data, acceptances):
    level = Level.objects.get(code="AM")
    here = ExamSessionFactory(capacity=10)
    there = ExamSessionFactory(capacity=10, window=here.window, starts_at=here.starts_at.replace(hour=14))
    bookings = []
    for index in range(12):
        candidate = ApplicantFactory()
        acceptances.accept(candidate, "AM")
        bookings.append(booking_create(candidate=candidate, session=here if index % 2 else there, level=level))

    outcomes = run_at_once([
        (lambda booking=booking: booking_reschedule(
            booking=booking, to_session=there if booking.session_id == here.pk else here, actor=booking.candidate))
        for booking in bookings
    ] + [(lambda booking=bookings[0]: booking_cancel(booking=booking, actor=booking.candidate))])

    assert not [outcome for outcome in outcomes if isinstance(outcome, Exception)], outcomes
    for session in (here, there):
        booked = Booking.objects.filter(session=session, status=BookingStatus.BOOKED).count()
        assert ExamSession.objects.get(pk=session.pk).seats_taken == booked
