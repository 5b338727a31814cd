"""Unpaid exam bookings: the beat job voids the invoice and releases the seat, exactly once."""

import datetime
import sys
import threading

import pytest
import time_machine
from django.db import connection
from django.utils import timezone

from payments.models import Invoice, InvoiceStatus, PaymentOutcome
from payments.services import bank_transfer_confirm, exam_invoices_release_unpaid, invoice_raise
from payments.tasks import exam_invoices_release_unpaid as release_task
from tests.factories import ApplicantFactory, ReviewerFactory

pytestmark = pytest.mark.django_db


def exam_invoice(reference: str, *, hours_old: float, kind: str = "exam") -> Invoice:
    with time_machine.travel(timezone.now() - datetime.timedelta(hours=hours_old)):
        return invoice_raise(payer=ApplicantFactory(), kind=kind, reference=reference, level_code="PM")


def test_unpaid_exam_invoice_past_the_limit_voided_and_seat_released(booking_release, settings):
    settings.PAYMENTS_EXAM_UNPAID_RELEASE_HOURS = 72
    old = exam_invoice("booking:41", hours_old=73)
    retake = exam_invoice("booking:42", hours_old=80, kind="exam_retake")
    recent = exam_invoice("booking:43", hours_old=71)

    assert exam_invoices_release_unpaid() == 2

    assert sorted(booking_release) == [41, 42]
    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.status == InvoiceStatus.VOID and recent.status == InvoiceStatus.OPEN
    assert "seat released" in old.events.last().note
    retake.refresh_from_db()
    assert retake.status == InvoiceStatus.VOID


def test_release_run_twice_releases_each_seat_once(booking_release):
    exam_invoice("booking:51", hours_old=100)

    first = exam_invoices_release_unpaid()
    second = release_task()  # the Celery entry point, as beat runs it

    assert (first, second) == (1, 0)
    assert booking_release == [51]


def test_paid_and_non_exam_invoices_never_released(booking_release):
    paid = exam_invoice("booking:61", hours_old=100)
    bank_transfer_confirm(invoice=paid, actor=ReviewerFactory())
    with time_machine.travel(timezone.now() - datetime.timedelta(days=30)):
        application = invoice_raise(payer=ApplicantFactory(), kind="accreditation", reference="application:1", level_code="AM")

    assert exam_invoices_release_unpaid() == 0

    assert booking_release == []
    application.refresh_from_db()
    assert application.status == InvoiceStatus.OPEN


def test_payment_arriving_after_the_release_is_flagged_not_applied(booking_release):
    invoice = exam_invoice("booking:71", hours_old=100)
    exam_invoices_release_unpaid()

    result = bank_transfer_confirm(invoice=invoice, actor=ReviewerFactory())

    assert result.event.outcome == PaymentOutcome.FLAGGED
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.VOID


def test_release_that_fails_in_exams_leaves_that_invoice_open_and_goes_on(booking_release, monkeypatch):
    failing = exam_invoice("booking:81", hours_old=100)
    fine = exam_invoice("booking:82", hours_old=99)
    module = sys.modules["exams.services"]
    real = module.booking_release_unpaid

    def release(*, booking_id):
        if booking_id == 81:
            raise RuntimeError("exams refused")
        real(booking_id=booking_id)

    monkeypatch.setattr(module, "booking_release_unpaid", release)

    assert exam_invoices_release_unpaid() == 1

    failing.refresh_from_db()
    fine.refresh_from_db()
    assert failing.status == InvoiceStatus.OPEN and fine.status == InvoiceStatus.VOID
    assert booking_release == [82]


def test_without_the_exams_function_nothing_is_voided(monkeypatch):
    invoice = exam_invoice("booking:91", hours_old=100)
    monkeypatch.setitem(sys.modules, "exams.services", None)  # import raises ImportError

    assert exam_invoices_release_unpaid() == 0

    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.OPEN


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("schedule_data")
def test_two_beats_at_once_release_each_seat_exactly_once(booking_release):
    for n in range(10):
        exam_invoice(f"booking:{100 + n}", hours_old=100)
    barrier = threading.Barrier(4)
    counts = []

    def beat():
        try:
            barrier.wait()
            counts.append(exam_invoices_release_unpaid())
        finally:
            connection.close()

    threads = [threading.Thread(target=beat) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sum(counts) == 10
    assert sorted(booking_release) == list(range(100, 110))
    assert Invoice.objects.filter(status=InvoiceStatus.VOID).count() == 10
