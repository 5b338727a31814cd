"""Booking fees through the real payments app: invoice, payment, refund (the unpaid release: test_release_unpaid)."""

from decimal import Decimal

import pytest

from exams.models import Booking
from exams.services import booking_cancel, booking_create
from payments import services as payments_services
from payments.models import Invoice, InvoiceStatus

pytestmark = pytest.mark.django_db


def invoice_of(booking) -> Invoice:
    return Invoice.objects.get(reference=f"booking:{booking.pk}")


def test_booking_raises_the_exam_fee_from_the_fee_schedule(candidate, session, level_am):
    booking = booking_create(candidate=candidate, session=session, level=level_am)

    invoice = invoice_of(booking)
    assert (invoice.kind, invoice.status, invoice.payer) == ("exam", InvoiceStatus.OPEN, candidate)
    assert invoice.amount == Decimal("31.00")  # DESIGN.md: the AM exam fee is USD 31


def test_paying_the_invoice_marks_the_booking_paid(candidate, session, level_am, settings,
                                                   django_capture_on_commit_callbacks):
    settings.PAYMENTS_DEMO_PROVIDER = True
    booking = booking_create(candidate=candidate, session=session, level=level_am)

    with django_capture_on_commit_callbacks(execute=True):
        payments_services.demo_payment_complete(invoice=invoice_of(booking), actor=candidate)

    assert Booking.objects.get(pk=booking.pk).paid_at is not None


def test_cancelling_voids_the_unpaid_invoice(candidate, session, level_am):
    booking = booking_create(candidate=candidate, session=session, level=level_am)

    booking_cancel(booking=booking, actor=candidate)

    assert invoice_of(booking).status == InvoiceStatus.VOID


def test_cancelling_a_paid_booking_refunds_the_fee(candidate, session, level_am, settings,
                                                   django_capture_on_commit_callbacks):
    settings.PAYMENTS_DEMO_PROVIDER = True
    booking = booking_create(candidate=candidate, session=session, level=level_am)
    with django_capture_on_commit_callbacks(execute=True):
        payments_services.demo_payment_complete(invoice=invoice_of(booking), actor=candidate)

    booking_cancel(booking=Booking.objects.get(pk=booking.pk), actor=candidate, reason="Ill")

    refund = invoice_of(booking).refund
    assert (refund.amount, refund.reason) == (Decimal("31.00"), "Ill")
