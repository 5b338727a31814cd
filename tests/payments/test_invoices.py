import datetime
import re
import threading
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection

from payments.models import (
    Invoice,
    InvoiceEvent,
    InvoiceKind,
    InvoiceStatus,
    MembershipPeriod,
    PaymentOutcome,
    Refund,
)
from payments.selectors import invoice_is_paid, membership_status, schedule_date
from payments.services import (
    bank_transfer_confirm,
    invoice_raise,
    invoice_refund,
    invoice_void,
    membership_purchase,
    membership_upgrade_request,
)
from payments.signals import invoice_paid
from tests.factories import ApplicantFactory, ReviewerFactory
from tests.payments.factories import MembershipPeriodFactory

pytestmark = pytest.mark.django_db


def test_invoice_raise_creates_number_lines_and_opening_event(applicant):
    invoice = invoice_raise(payer=applicant, kind="accreditation", reference="application:7", level_code="PM")

    assert re.fullmatch(r"IPMA-\d{4}-\d{6}", invoice.number)
    assert invoice.status == InvoiceStatus.OPEN
    line = invoice.lines.get()
    assert (line.description, line.quantity, line.unit_amount, line.amount) == (
        "Accreditation fee (non-member) — Professional Mentor (PM)", 1, Decimal("399"), Decimal("399")
    )
    assert list(invoice.events.values_list("from_status", "to_status")) == [("", "open")]


def test_invoice_raise_is_idempotent_per_kind_and_reference(applicant):
    first = invoice_raise(payer=applicant, kind="exam", reference="booking:3", level_code="AM")
    again = invoice_raise(payer=applicant, kind="exam", reference="booking:3", level_code="AM")
    other_kind = invoice_raise(payer=applicant, kind="exam_retake", reference="booking:3", level_code="AM")

    assert again.pk == first.pk
    assert other_kind.pk != first.pk
    assert Invoice.objects.filter(kind="exam", reference="booking:3").count() == 1


def test_invoice_numbers_come_from_a_sequence_and_are_unique(applicant):
    numbers = [
        invoice_raise(payer=applicant, kind="exam", reference=f"booking:{n}", level_code="AM").number for n in range(20)
    ]

    sequence = [int(number.rsplit("-", 1)[1]) for number in numbers]
    assert len(set(numbers)) == 20
    assert sequence == sorted(sequence)


def test_invoice_number_unique_in_the_database(applicant):
    invoice = invoice_raise(payer=applicant, kind="exam", reference="booking:1", level_code="AM")

    with pytest.raises(IntegrityError):
        Invoice.objects.create(number=invoice.number, payer=applicant, kind="exam", reference="booking:2", amount=1)


def test_one_live_invoice_per_reference_enforced_by_the_database(applicant):
    invoice_raise(payer=applicant, kind="exam", reference="booking:1", level_code="AM")

    with pytest.raises(IntegrityError):
        Invoice.objects.create(number="X-1", payer=applicant, kind="exam", reference="booking:1", amount=31)


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("schedule_data")
def test_concurrent_invoice_raise_for_one_reference_gives_one_invoice():
    payer = ApplicantFactory()
    barrier = threading.Barrier(8)
    results, errors = [], []

    def raise_it():
        try:
            barrier.wait()
            results.append(invoice_raise(payer=payer, kind="exam", reference="booking:99", level_code="SM").pk)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=raise_it) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert len(set(results)) == 1
    assert Invoice.objects.filter(kind="exam", reference="booking:99").count() == 1


def test_invoice_raise_refuses_unknown_level_and_missing_level(applicant):
    with pytest.raises(ValidationError, match="Unknown level"):
        invoice_raise(payer=applicant, kind="accreditation", reference="application:1", level_code="XX")
    with pytest.raises(ValidationError, match="level is needed"):
        invoice_raise(payer=applicant, kind="exam", reference="booking:1")


def test_invoice_raise_refuses_unknown_kind(applicant):
    with pytest.raises(ValidationError):
        invoice_raise(payer=applicant, kind="donation", reference="x:1")


def test_invoice_is_paid_only_after_payment(applicant):
    invoice = invoice_raise(payer=applicant, kind="accreditation", reference="application:5", level_code="AM")
    assert invoice_is_paid(kind="accreditation", reference="application:5") is False

    bank_transfer_confirm(invoice=invoice, actor=ReviewerFactory())

    assert invoice_is_paid(kind="accreditation", reference="application:5") is True
    assert invoice_is_paid(kind="accreditation", reference="application:6") is False


def test_invoice_paid_signal_sent_after_commit_with_the_invoice(applicant, django_capture_on_commit_callbacks):
    invoice = invoice_raise(payer=applicant, kind="accreditation", reference="application:8", level_code="AM")
    received = []

    def listener(sender, invoice, **kwargs):
        received.append((invoice.pk, invoice.status, invoice.kind))

    invoice_paid.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            bank_transfer_confirm(invoice=invoice, actor=ReviewerFactory())
        assert received == []
        for callback in callbacks:
            callback()
    finally:
        invoice_paid.disconnect(listener)

    assert received == [(invoice.pk, "paid", "accreditation")]


def test_failing_listener_does_not_undo_the_payment(applicant, django_capture_on_commit_callbacks):
    invoice = invoice_raise(payer=applicant, kind="accreditation", reference="application:9", level_code="AM")

    def broken(sender, invoice, **kwargs):
        raise RuntimeError("listener bug")

    invoice_paid.connect(broken)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            bank_transfer_confirm(invoice=invoice, actor=ReviewerFactory())
    finally:
        invoice_paid.disconnect(broken)

    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.PAID


def test_invoice_void_voids_the_open_invoice_and_records_the_event(applicant):
    invoice = invoice_raise(payer=applicant, kind="accreditation", reference="application:11", level_code="AM")
    actor = ReviewerFactory()

    invoice_void(kind="accreditation", reference="application:11", actor=actor, note="withdrawn")

    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.VOID and invoice.voided_at is not None
    event = invoice.events.last()
    assert (event.from_status, event.to_status, event.actor, event.note) == ("open", "void", actor, "withdrawn")


def test_invoice_void_twice_is_a_no_op(applicant):
    invoice_raise(payer=applicant, kind="accreditation", reference="application:12", level_code="AM")
    invoice_void(kind="accreditation", reference="application:12", actor=None)

    again = invoice_void(kind="accreditation", reference="application:12", actor=None)

    assert again.status == InvoiceStatus.VOID
    assert InvoiceEvent.objects.filter(invoice=again, to_status="void").count() == 1


def test_invoice_void_refuses_a_paid_invoice(applicant):
    invoice = invoice_raise(payer=applicant, kind="accreditation", reference="application:13", level_code="AM")
    bank_transfer_confirm(invoice=invoice, actor=ReviewerFactory())

    with pytest.raises(ValidationError, match="refund it"):
        invoice_void(kind="accreditation", reference="application:13", actor=None)


def test_after_void_the_reference_can_be_invoiced_again(applicant):
    first = invoice_raise(payer=applicant, kind="accreditation", reference="application:14", level_code="AM")
    invoice_void(kind="accreditation", reference="application:14", actor=None)

    second = invoice_raise(payer=applicant, kind="accreditation", reference="application:14", level_code="AM")

    assert second.pk != first.pk and second.status == InvoiceStatus.OPEN


def test_status_machine_refuses_paying_a_void_invoice(applicant):
    invoice = invoice_raise(payer=applicant, kind="accreditation", reference="application:15", level_code="AM")
    invoice_void(kind="accreditation", reference="application:15", actor=None)

    result = bank_transfer_confirm(invoice=invoice, actor=ReviewerFactory())

    invoice.refresh_from_db()
    assert result.event.outcome == PaymentOutcome.FLAGGED
    assert invoice.status == InvoiceStatus.VOID


def test_invoice_refund_of_an_open_invoice_voids_it(applicant):
    invoice_raise(payer=applicant, kind="exam", reference="booking:20", level_code="AM")

    invoice = invoice_refund(kind="exam", reference="booking:20", actor=applicant, reason="cancelled in time")

    assert invoice.status == InvoiceStatus.VOID
    assert not Refund.objects.filter(invoice=invoice).exists()


def test_invoice_refund_without_invoice_returns_none(applicant):
    assert invoice_refund(kind="exam", reference="booking:404", actor=applicant, reason="x") is None


# Membership ------------------------------------------------------------------------------------


def test_membership_purchase_invoice_then_payment_creates_the_period(applicant):
    invoice = membership_purchase(user=applicant, plan_code="annual", group="supporter")
    assert (invoice.kind, invoice.amount, invoice.membership_plan) == ("membership", Decimal("60.00"), "annual")
    assert membership_status(user=applicant).is_member is False

    bank_transfer_confirm(invoice=invoice, actor=ReviewerFactory())

    period = MembershipPeriod.objects.get(user=applicant)
    today = schedule_date()
    assert period.starts_on == today
    assert period.ends_on == today.replace(year=today.year + 1) - datetime.timedelta(days=1)
    assert membership_status(user=applicant).is_member is True


def test_membership_renewal_starts_the_day_after_the_current_period(member):
    current = member.membership_periods.get()
    invoice = membership_purchase(user=member, plan_code="annual", group="supporter")

    bank_transfer_confirm(invoice=invoice, actor=ReviewerFactory())

    new = member.membership_periods.exclude(pk=current.pk).get()
    assert new.starts_on == current.ends_on + datetime.timedelta(days=1)


def test_membership_purchase_twice_returns_the_open_invoice_and_another_plan_replaces_it(applicant):
    first = membership_purchase(user=applicant, plan_code="annual", group="supporter")
    again = membership_purchase(user=applicant, plan_code="annual", group="supporter")
    other = membership_purchase(user=applicant, plan_code="five-year", group="supporter")

    first.refresh_from_db()
    assert again.pk == first.pk
    assert first.status == InvoiceStatus.VOID
    assert other.status == InvoiceStatus.OPEN and other.amount == Decimal("250.00")


def test_membership_purchase_refuses_unknown_plan(applicant):
    with pytest.raises(ValidationError, match="Unknown membership plan"):
        membership_purchase(user=applicant, plan_code="lifetime-free", group="supporter")


def test_permanent_upgrade_refused_before_five_years(applicant):
    MembershipPeriodFactory(user=applicant, starts_on=schedule_date() - datetime.timedelta(days=4 * 365))

    with pytest.raises(ValidationError, match="after 5 years"):
        membership_upgrade_request(user=applicant)
    assert not Invoice.objects.filter(kind=InvoiceKind.MEMBERSHIP_UPGRADE).exists()


def test_permanent_upgrade_after_five_years_costs_100_and_makes_membership_permanent(applicant):
    today = schedule_date()
    MembershipPeriodFactory(user=applicant, plan="five-year", starts_on=today - datetime.timedelta(days=1900),
                            ends_on=today - datetime.timedelta(days=100))
    MembershipPeriodFactory(user=applicant, starts_on=today - datetime.timedelta(days=99))
    assert membership_status(user=applicant).upgrade_allowed is True

    invoice = membership_upgrade_request(user=applicant)
    assert invoice.amount == Decimal("100")
    bank_transfer_confirm(invoice=invoice, actor=ReviewerFactory())

    status = membership_status(user=applicant)
    assert status.is_permanent and status.upgrade_allowed is False
    with pytest.raises(ValidationError, match="permanent member"):
        membership_purchase(user=applicant, plan_code="annual", group="supporter")


def test_permanent_upgrade_needs_a_current_membership(applicant):
    today = schedule_date()
    MembershipPeriodFactory(user=applicant, starts_on=today - datetime.timedelta(days=2500),
                            ends_on=today - datetime.timedelta(days=10))

    assert membership_status(user=applicant).days >= 1826
    assert membership_status(user=applicant).upgrade_allowed is False


def test_membership_days_count_overlapping_periods_once(applicant):
    today = schedule_date()
    MembershipPeriodFactory(user=applicant, starts_on=today - datetime.timedelta(days=9), ends_on=today)
    MembershipPeriodFactory(user=applicant, starts_on=today - datetime.timedelta(days=4), ends_on=today + datetime.timedelta(days=30))

    assert membership_status(user=applicant).days == 10


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (datetime.date(2026, 1, 31), 1, datetime.date(2026, 2, 28)),
        (datetime.date(2028, 1, 31), 1, datetime.date(2028, 2, 29)),
        (datetime.date(2026, 11, 15), 12, datetime.date(2027, 11, 15)),
        (datetime.date(2024, 2, 29), 60, datetime.date(2029, 2, 28)),
    ],
)
def test_plan_months_added_by_calendar(start, months, expected, settings):
    settings.PAYMENTS_MEMBERSHIP_PLANS = {"plan": {"name": "Plan", "fee": "10.00", "months": months}}
    applicant = ApplicantFactory()
    with time_machine.travel(datetime.datetime.combine(start, datetime.time(12), tzinfo=datetime.UTC)):
        bank_transfer_confirm(invoice=membership_purchase(user=applicant, plan_code="plan", group="supporter"), actor=ReviewerFactory())

    period = MembershipPeriod.objects.get(user=applicant)
    assert (period.starts_on, period.ends_on) == (start, expected - datetime.timedelta(days=1))
