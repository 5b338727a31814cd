"""Unpaid exam bookings: exams' beat job voids the fee invoice (through payments) and frees the seat,
exactly once; a paid booking keeps its seat, a payment arriving afterwards is flagged, not applied."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from exams.models import Booking, BookingEvent, BookingStatus, ExamSession
from exams.services import booking_create, bookings_release_unpaid
from exams.services import bookings as booking_services
from exams.tasks import release_unpaid as release_task
from notifications.models import OutboxMessage
from payments.models import Invoice, InvoiceStatus, PaymentOutcome
from payments.services import bank_transfer_confirm
from tests.exams.factories import ExamSessionFactory
from tests.factories import ApplicantFactory, ReviewerFactory

pytestmark = pytest.mark.django_db


def unpaid_booking(acceptances, *, hours_old: float, session=None, retake: bool = False) -> Booking:
    """A fresh candidate's booking (and its open exam invoice), made ``hours_old`` hours ago."""
    candidate = ApplicantFactory()
    application = acceptances.accept(candidate, "AM")
    session = session or ExamSessionFactory()
    if retake:  # an attended sitting under this application makes the next one a retake
        past = ExamSessionFactory(starts_at=timezone.now() - timedelta(days=10))
        Booking.objects.create(candidate=candidate, session=past, window=past.window, level=application.level,
                               status=BookingStatus.ATTENDED, booked_at=timezone.now() - timedelta(days=20))
    booking = booking_create(candidate=candidate, session=session, level=application.level)
    Booking.objects.filter(pk=booking.pk).update(booked_at=timezone.now() - timedelta(hours=hours_old))
    return booking


def invoice_of(booking: Booking) -> Invoice:
    return Invoice.objects.get(reference=booking.invoice_reference, kind=booking.fee_kind)


def status_of(booking: Booking) -> str:
    return Booking.objects.get(pk=booking.pk).status


def test_unpaid_booking_past_the_limit_loses_its_seat_and_its_invoice(acceptances, settings):
    settings.PAYMENTS_EXAM_UNPAID_RELEASE_HOURS = 72
    session = ExamSessionFactory()
    old = unpaid_booking(acceptances, hours_old=73, session=session)
    retake = unpaid_booking(acceptances, hours_old=80, session=session, retake=True)
    recent = unpaid_booking(acceptances, hours_old=71, session=session)

    assert bookings_release_unpaid() == 2

    assert (status_of(old), status_of(retake), status_of(recent)) == ("cancelled", "cancelled", "booked")
    assert retake.fee_kind == "exam_retake" and invoice_of(retake).status == InvoiceStatus.VOID
    assert (invoice_of(old).status, invoice_of(recent).status) == (InvoiceStatus.VOID, InvoiceStatus.OPEN)
    assert "seat released" in invoice_of(old).events.last().note
    assert ExamSession.objects.get(pk=session.pk).seats_taken == 1


def test_release_run_twice_releases_each_seat_once(acceptances):
    booking = unpaid_booking(acceptances, hours_old=100)

    first = bookings_release_unpaid()
    second = release_task()  # the Celery entry point, as beat runs it

    assert (first, second) == (1, 0)
    assert BookingEvent.objects.filter(booking=booking, to_status="cancelled").count() == 1
    assert OutboxMessage.objects.filter(key=f"booking-released:{booking.pk}").count() == 1
    assert invoice_of(booking).events.filter(to_status="void").count() == 1


def test_paid_booking_keeps_its_seat(acceptances, django_capture_on_commit_callbacks):
    booking = unpaid_booking(acceptances, hours_old=100)
    with django_capture_on_commit_callbacks(execute=True):  # the invoice_paid signal marks the booking paid
        bank_transfer_confirm(invoice=invoice_of(booking), actor=ReviewerFactory())

    assert bookings_release_unpaid() == 0

    assert status_of(booking) == "booked" and invoice_of(booking).status == InvoiceStatus.PAID


def test_booking_whose_payment_signal_is_still_pending_keeps_its_seat(acceptances):
    booking = unpaid_booking(acceptances, hours_old=100)
    bank_transfer_confirm(invoice=invoice_of(booking), actor=ReviewerFactory())  # paid; the signal not yet run

    assert bookings_release_unpaid() == 0

    assert status_of(booking) == "booked" and invoice_of(booking).status == InvoiceStatus.PAID


def test_payment_arriving_after_the_release_is_flagged_not_applied(acceptances):
    booking = unpaid_booking(acceptances, hours_old=100)
    bookings_release_unpaid()

    result = bank_transfer_confirm(invoice=invoice_of(booking), actor=ReviewerFactory())

    assert result.event.outcome == PaymentOutcome.FLAGGED
    assert invoice_of(booking).status == InvoiceStatus.VOID
    assert status_of(booking) == "cancelled"


def test_a_booking_that_cannot_be_released_stays_and_the_others_go_on(acceptances, monkeypatch):
    failing = unpaid_booking(acceptances, hours_old=100)
    fine = unpaid_booking(acceptances, hours_old=99)
    real = booking_services.booking_release_unpaid

    def release(*, booking_id):
        if booking_id == failing.pk:
            raise RuntimeError("the mail could not be queued")
        return real(booking_id=booking_id)

    monkeypatch.setattr(booking_services, "booking_release_unpaid", release)

    assert bookings_release_unpaid() == 1

    assert (status_of(failing), invoice_of(failing).status) == ("booked", InvoiceStatus.OPEN)
    assert (status_of(fine), invoice_of(fine).status) == ("cancelled", InvoiceStatus.VOID)


@pytest.mark.django_db(transaction=True)
def test_two_beats_at_once_release_each_seat_exactly_once(reference_data, acceptances):
    session = ExamSessionFactory(capacity=10)
    bookings = [unpaid_booking(acceptances, hours_old=100, session=session) for _ in range(6)]
    barrier = threading.Barrier(4)
    counts = []

    def beat():
        try:
            barrier.wait()
            counts.append(bookings_release_unpaid())
        finally:
            connection.close()

    threads = [threading.Thread(target=beat) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sum(counts) == 6
    assert Booking.objects.filter(pk__in=[b.pk for b in bookings], status="cancelled").count() == 6
    assert Invoice.objects.filter(kind="exam", status=InvoiceStatus.VOID).count() == 6
    assert ExamSession.objects.get(pk=session.pk).seats_taken == 0
    assert BookingEvent.objects.filter(to_status="cancelled").count() == 6
