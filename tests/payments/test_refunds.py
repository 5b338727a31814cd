import pytest
from django.urls import reverse

from notifications.models import OutboxMessage
from payments.models import InvoiceStatus, Refund, RefundStatus
from payments.providers import StripeCheckout
from payments.selectors import invoice_is_paid
from payments.services import (
    bank_transfer_confirm,
    demo_payment_complete,
    invoice_refund,
    payment_record,
    refund_submit,
    refunds_submit_pending,
)
from tests.factories import ReviewerFactory
from tests.payments.conftest import checkout_completed, stripe_signed

pytestmark = pytest.mark.django_db


@pytest.fixture
def stripe_paid(raise_invoice, stripe_http):
    invoice = raise_invoice(kind="exam", reference="booking:5", level_code="SM")
    body, signature = stripe_signed(checkout_completed(invoice))
    payment_record(StripeCheckout().webhook_notice(payload=body.encode(), signature=signature))
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.PAID
    return invoice


def test_cancelled_booking_refund_goes_to_stripe_once_and_is_recorded(stripe_paid, stripe_http, django_capture_on_commit_callbacks):
    stripe_http.respond("post", "/v1/refunds", {"id": "re_test_1", "object": "refund", "status": "succeeded"})
    candidate = stripe_paid.payer

    with django_capture_on_commit_callbacks() as callbacks:
        invoice_refund(kind="exam", reference="booking:5", actor=candidate, reason="booking cancelled before the deadline")
    refund = Refund.objects.get(invoice=stripe_paid)
    assert refund.status == RefundStatus.REQUESTED and len(callbacks) == 1

    assert refund_submit(refund_id=refund.pk) is True
    assert refund_submit(refund_id=refund.pk) is False

    (call,) = stripe_http.calls[-1:]
    assert [c["path"] for c in stripe_http.calls] == ["/v1/refunds"]
    assert call["data"]["payment_intent"] == ["pi_test_1"]
    assert call["data"]["amount"] == ["13100"]
    assert call["headers"]["Idempotency-Key"] == f"ipma-refund-{refund.pk}"
    refund.refresh_from_db()
    stripe_paid.refresh_from_db()
    assert (refund.status, refund.provider_reference) == (RefundStatus.COMPLETED, "re_test_1")
    assert stripe_paid.status == InvoiceStatus.REFUNDED and stripe_paid.refunded_at is not None
    assert invoice_is_paid(kind="exam", reference="booking:5") is False
    assert OutboxMessage.objects.filter(key=f"invoice-refunded:{stripe_paid.pk}").count() == 1


def test_refund_requested_twice_is_one_refund(stripe_paid):
    invoice_refund(kind="exam", reference="booking:5", actor=None, reason="first")
    invoice_refund(kind="exam", reference="booking:5", actor=None, reason="again")

    assert Refund.objects.filter(invoice=stripe_paid).count() == 1
    assert Refund.objects.get().reason == "first"


def test_stripe_refund_error_keeps_it_requested_and_the_sweep_retries(stripe_paid, stripe_http):
    invoice_refund(kind="exam", reference="booking:5", actor=None, reason="cancelled")
    refund = Refund.objects.get()
    stripe_http.respond("post", "/v1/refunds", {"error": {"message": "card declined", "type": "invalid_request_error"}}, 400)

    assert refund_submit(refund_id=refund.pk) is False
    refund.refresh_from_db()
    assert refund.status == RefundStatus.REQUESTED and "card declined" in refund.note
    stripe_paid.refresh_from_db()
    assert stripe_paid.status == InvoiceStatus.PAID

    stripe_http.respond("post", "/v1/refunds", {"id": "re_2", "object": "refund", "status": "pending"})
    assert refunds_submit_pending() == 1
    refund.refresh_from_db()
    assert refund.status == RefundStatus.COMPLETED


def test_bank_transfer_refund_waits_for_staff(raise_invoice, client, reviewer):
    invoice = raise_invoice(kind="exam", reference="booking:6", level_code="AM")
    bank_transfer_confirm(invoice=invoice, actor=reviewer)
    invoice_refund(kind="exam", reference="booking:6", actor=invoice.payer, reason="cancelled")
    refund = Refund.objects.get()

    assert refund_submit(refund_id=refund.pk) is False
    assert refunds_submit_pending() == 0
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.PAID

    client.force_login(reviewer)
    response = client.post(
        reverse("admin:payments_refund_changelist"),
        {"action": "mark_paid_back", "_selected_action": [refund.pk], "note": "BANK-REF-42"},
    )

    assert response.status_code == 302
    refund.refresh_from_db()
    invoice.refresh_from_db()
    assert (refund.status, refund.provider_reference, refund.completed_by) == (RefundStatus.COMPLETED, "BANK-REF-42", reviewer)
    assert invoice.status == InvoiceStatus.REFUNDED
    assert invoice.events.filter(from_status="paid", to_status="refunded", actor=reviewer).count() == 1


def test_demo_refund_completes_without_staff(raise_invoice, settings):
    settings.PAYMENTS_DEMO_PROVIDER = True
    invoice = raise_invoice(kind="exam", reference="booking:7", level_code="AM")
    demo_payment_complete(invoice=invoice, actor=invoice.payer)
    invoice_refund(kind="exam", reference="booking:7", actor=ReviewerFactory(), reason="cancelled")

    assert refund_submit(refund_id=Refund.objects.get().pk) is True
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.REFUNDED


def test_refund_shown_to_the_payer(raise_invoice, client, reviewer):
    invoice = raise_invoice(kind="exam", reference="booking:8", level_code="AM")
    bank_transfer_confirm(invoice=invoice, actor=reviewer)
    invoice_refund(kind="exam", reference="booking:8", actor=None, reason="cancelled")
    client.force_login(invoice.payer)

    response = client.get(reverse("payments:invoice_detail", args=[invoice.number]))

    assert "Refund" in response.content.decode() and "Requested" in response.content.decode()


def test_refund_handed_to_the_celery_task_after_commit(raise_invoice, settings, monkeypatch, django_capture_on_commit_callbacks):
    from ipma_portal.celery import app

    monkeypatch.setitem(app.conf, "task_always_eager", True)  # the task runs in-process, as a worker would
    settings.PAYMENTS_DEMO_PROVIDER = True
    invoice = raise_invoice(kind="exam", reference="booking:9", level_code="AM")
    demo_payment_complete(invoice=invoice, actor=invoice.payer)

    with django_capture_on_commit_callbacks(execute=True):
        invoice_refund(kind="exam", reference="booking:9", actor=invoice.payer, reason="cancelled")

    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.REFUNDED
    assert Refund.objects.get(invoice=invoice).status == RefundStatus.COMPLETED


def test_refund_survives_the_broker_being_away(raise_invoice, reviewer, monkeypatch, django_capture_on_commit_callbacks):
    from payments.tasks import refund_submit_task

    def broker_down(**kwargs):
        raise ConnectionError("redis is away")

    monkeypatch.setattr(refund_submit_task, "delay", broker_down)
    invoice = raise_invoice(kind="exam", reference="booking:10", level_code="AM")
    bank_transfer_confirm(invoice=invoice, actor=reviewer)

    with django_capture_on_commit_callbacks(execute=True):
        invoice_refund(kind="exam", reference="booking:10", actor=reviewer, reason="cancelled")

    assert Refund.objects.get(invoice=invoice).status == RefundStatus.REQUESTED
