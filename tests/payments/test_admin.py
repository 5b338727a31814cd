import csv
import datetime
import io
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accreditation.models import Level
from payments.admin import InvoiceResource
from payments.models import Fee, FeeKind, Invoice, InvoiceStatus, Refund
from payments.selectors import schedule_date
from payments.services import bank_transfer_confirm, invoice_raise, invoice_void
from tests.factories import ApplicantFactory, ReviewerFactory
from workflows.models import Proposal
from workflows.proposals import proposal_approve

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:payments_invoice_changelist")


@pytest.fixture
def staff_client(client, reviewer):
    client.force_login(reviewer)
    return client


@pytest.mark.parametrize("model", ["invoice", "fee", "paymentevent", "refund", "membershipperiod"])
def test_reviewer_opens_every_payments_screen(staff_client, model):
    assert staff_client.get(reverse(f"admin:payments_{model}_changelist")).status_code == 200


def test_applicant_cannot_open_the_invoice_admin(client, applicant):
    client.force_login(applicant)

    assert client.get(CHANGELIST).status_code == 302


def _mixed_invoices(reviewer):
    """Two months, three levels, three statuses."""
    with time_machine.travel(datetime.datetime(2026, 9, 15, 12, tzinfo=datetime.UTC)):
        am = invoice_raise(payer=ApplicantFactory(), kind="accreditation", reference="application:1", level_code="AM")
        bank_transfer_confirm(invoice=am, actor=reviewer)
        invoice_raise(payer=ApplicantFactory(), kind="exam", reference="booking:1", level_code="SM")
    with time_machine.travel(datetime.datetime(2026, 10, 2, 12, tzinfo=datetime.UTC)):
        pm = invoice_raise(payer=ApplicantFactory(), kind="accreditation", reference="application:2", level_code="PM")
        bank_transfer_confirm(invoice=pm, actor=reviewer)
        invoice_raise(payer=ApplicantFactory(), kind="exam", reference="booking:2", level_code="SM")
        invoice_void(kind="exam", reference="booking:2", actor=reviewer)
        invoice_raise(payer=ApplicantFactory(), kind="programme_accreditation", reference="programme:1")


def test_invoice_list_totals_by_month_level_and_status(staff_client, reviewer):
    _mixed_invoices(reviewer)

    totals = staff_client.get(CHANGELIST).context["totals"]

    assert [(row["month"].strftime("%Y-%m"), row["count"], row["total"]) for row in totals["by_month"]] == [
        ("2026-10", 3, Decimal("1530.00")), ("2026-09", 2, Decimal("430.00")),
    ]
    assert [(row["level__code"], row["count"], row["total"]) for row in totals["by_level"]] == [
        ("AM", 1, Decimal("299.00")), ("PM", 1, Decimal("399.00")), ("SM", 2, Decimal("262.00")),
        (None, 1, Decimal("1000.00")),
    ]
    assert {row["status"]: (row["count"], row["total"]) for row in totals["by_status"]} == {
        "open": (2, Decimal("1131.00")), "paid": (2, Decimal("698.00")), "void": (1, Decimal("131.00")),
    }


def test_invoice_totals_follow_the_list_filters(staff_client, reviewer):
    _mixed_invoices(reviewer)

    response = staff_client.get(CHANGELIST, {"status__exact": "paid"})

    assert [(row["status"], row["total"]) for row in response.context["totals"]["by_status"]] == [
        ("paid", Decimal("698.00"))
    ]
    assert "Totals of the invoices listed" in response.content.decode()


def test_invoice_admin_queries_do_not_grow_with_rows(staff_client):
    def queries_for(n):
        for i in range(n):
            invoice_raise(payer=ApplicantFactory(), kind="exam", reference=f"booking:{n}-{i}", level_code="AM")
        with CaptureQueriesContext(connection) as queries:
            assert staff_client.get(CHANGELIST).status_code == 200
        return len(queries)

    assert queries_for(5) == queries_for(50)


def test_csv_export_for_accounting(staff_client, reviewer):
    _mixed_invoices(reviewer)
    field_names = InvoiceResource().get_export_order()

    response = staff_client.post(
        reverse("admin:payments_invoice_export"),
        {"format": "0", "resource": "0", **{f"invoiceresource_{name}": "on" for name in field_names}},
    )

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == 5
    paid_am = next(row for row in rows if row["level"] == "AM")
    assert (paid_am["status"], paid_am["amount"], paid_am["kind"], paid_am["currency"]) == ("paid", "299.00", "accreditation", "USD")
    assert paid_am["payer_email"].endswith("@example.org")
    assert set(rows[0]) >= {"number", "payer_email", "level", "amount", "status", "paid_at"}


def test_csv_export_keeps_a_formula_name_from_running(staff_client):
    payer = ApplicantFactory(full_name='=HYPERLINK("x")')
    invoice_raise(payer=payer, kind="exam", reference="booking:formula", level_code="AM")

    response = staff_client.post(
        reverse("admin:payments_invoice_export"),
        {"format": "0", "resource": "0", "invoiceresource_payer_name": "on", "invoiceresource_number": "on"},
    )

    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [row["payer_name"] for row in rows] == ['\'=HYPERLINK("x")']


def test_confirm_bank_transfer_action_proposes_and_a_second_person_approves(staff_client, reviewer, raise_invoice):
    invoice = raise_invoice()
    staff_client.post(CHANGELIST, {"action": "confirm_bank_transfer", "_selected_action": [invoice.pk], "note": "SWIFT-77"})
    checker = ReviewerFactory()

    proposal_approve(proposal=Proposal.objects.get(), actor=checker)

    invoice.refresh_from_db()
    assert (invoice.status, invoice.provider, invoice.payment_reference) == ("paid", "bank_transfer", "SWIFT-77")
    assert invoice.events.get(to_status="paid", from_status="open").actor == checker


def test_confirm_bank_transfer_proposed_twice_is_one_proposal(staff_client, raise_invoice):
    invoice = raise_invoice()

    for _ in range(2):
        staff_client.post(CHANGELIST, {"action": "confirm_bank_transfer", "_selected_action": [invoice.pk],
                                       "note": "SWIFT-1"})

    assert Proposal.objects.filter(target_id=invoice.pk).count() == 1


def test_void_action(staff_client, raise_invoice):
    invoice = raise_invoice()

    staff_client.post(CHANGELIST, {"action": "void_invoices", "_selected_action": [invoice.pk], "note": "duplicate"})

    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.VOID and invoice.events.last().note == "duplicate"


def test_refund_action_needs_a_reason(staff_client, reviewer, raise_invoice):
    invoice = raise_invoice()
    bank_transfer_confirm(invoice=invoice, actor=reviewer)

    response = staff_client.post(CHANGELIST, {"action": "refund_invoices", "_selected_action": [invoice.pk]}, follow=True)
    assert "Give the reason" in response.content.decode()
    assert not Refund.objects.exists()

    staff_client.post(CHANGELIST, {"action": "refund_invoices", "_selected_action": [invoice.pk], "note": "paid twice"})
    assert Proposal.objects.get(action="payments.refund").reason == "paid twice"


def test_invoice_admin_cannot_edit_or_delete_an_invoice(staff_client, raise_invoice):
    invoice = raise_invoice()
    url = reverse("admin:payments_invoice_change", args=[invoice.pk])

    staff_client.post(url, {"status": "paid", "amount": "1"})

    invoice.refresh_from_db()
    assert (invoice.status, invoice.amount) == ("open", Decimal("299.00"))
    assert staff_client.get(reverse("admin:payments_invoice_delete", args=[invoice.pk])).status_code == 403


def test_staff_add_a_future_price_to_the_fee_schedule(staff_client):
    level = Level.objects.get(code="AM")
    start = schedule_date() + datetime.timedelta(days=10)

    response = staff_client.post(
        reverse("admin:payments_fee_add"),
        {"kind": FeeKind.EXAM, "level": level.pk, "amount": "35.00", "effective_from": start.isoformat()},
    )

    assert response.status_code == 302
    assert Fee.objects.filter(kind=FeeKind.EXAM, level=level, amount=Decimal("35.00"), effective_from=start).exists()


def test_staff_cannot_backdate_a_price(staff_client):
    level = Level.objects.get(code="AM")

    response = staff_client.post(
        reverse("admin:payments_fee_add"),
        {"kind": FeeKind.EXAM, "level": level.pk, "amount": "35.00", "effective_from": "2020-01-01"},
    )

    assert response.status_code == 200
    assert "today or later" in response.content.decode()


def test_level_rules_explained_on_the_fee_form(staff_client):
    response = staff_client.post(
        reverse("admin:payments_fee_add"),
        {"kind": FeeKind.EXAM, "level": "", "amount": "35.00", "effective_from": timezone.now().date().isoformat()},
    )

    assert "Choose a level" in response.content.decode()


def test_price_in_effect_is_read_only(staff_client):
    fee = Fee.objects.get(kind=FeeKind.EXAM, level__code="AM", effective_from=datetime.date(2024, 1, 1))
    url = reverse("admin:payments_fee_change", args=[fee.pk])

    response = staff_client.post(url, {"kind": fee.kind, "level": fee.level_id, "amount": "1.00", "effective_from": "2030-01-01"})

    assert response.status_code == 403
    fee.refresh_from_db()
    assert fee.amount == Decimal("31")
    assert staff_client.get(url).status_code == 200  # still viewable


def test_fee_list_shows_what_is_in_effect_and_scheduled(staff_client):
    Fee.objects.create(
        kind=FeeKind.EXAM, level=Level.objects.get(code="MM"), amount=Decimal("350"),
        effective_from=schedule_date() + datetime.timedelta(days=5),
    )

    Fee.objects.create(
        kind=FeeKind.EXAM, level=Level.objects.get(code="MM"), amount=Decimal("340"), effective_from=datetime.date(2025, 1, 1)
    )

    response = staff_client.get(reverse("admin:payments_fee_changelist"), {"kind__exact": "exam", "level__id__exact": Level.objects.get(code="MM").pk})

    states = [(fee.amount, response.context["cl"].model_admin.schedule_state(fee)) for fee in response.context["cl"].result_list]
    assert states == [(Decimal("350"), "scheduled"), (Decimal("340"), "in effect"), (Decimal("331"), "superseded")]


def test_invoice_history_visible_in_the_admin(staff_client, reviewer, raise_invoice):
    invoice = raise_invoice()
    bank_transfer_confirm(invoice=invoice, actor=reviewer, bank_reference="REF-9")

    content = staff_client.get(reverse("admin:payments_invoice_change", args=[invoice.pk])).content.decode()

    assert "bank-transfer:" in content and "REF-9" in content
    assert Invoice.objects.get(pk=invoice.pk).status == "paid"
