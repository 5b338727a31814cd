"""The Stripe webhook: payloads are built and signed here with the webhook secret, as Stripe would."""

import json
import threading
import time

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from notifications.models import OutboxMessage
from payments.models import InvoiceStatus, PaymentEvent, PaymentOutcome
from tests.payments.conftest import checkout_completed, stripe_signed

pytestmark = pytest.mark.django_db

URL = reverse("payments:stripe_webhook")


def post(client, body: str, signature: str | None):
    headers = {"HTTP_STRIPE_SIGNATURE": signature} if signature is not None else {}
    return client.post(URL, data=body, content_type="application/json", **headers)


@pytest.fixture
def invoice(raise_invoice, stripe_keys):
    return raise_invoice(kind="accreditation", reference="application:1", level_code="SM")


def test_signed_checkout_completed_marks_the_invoice_paid(client, invoice):
    body, signature = stripe_signed(checkout_completed(invoice))

    response = post(client, body, signature)

    assert response.status_code == 200
    assert response.json() == {"received": True, "outcome": "processed"}
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.PAID
    assert (invoice.provider, invoice.payment_reference) == ("stripe", "pi_test_1")
    event = PaymentEvent.objects.get()
    assert (event.event_id, event.outcome, event.invoice) == ("evt_1", PaymentOutcome.PROCESSED, invoice)


def test_paid_invoice_mails_the_receipt_through_the_outbox(client, invoice):
    body, signature = stripe_signed(checkout_completed(invoice))

    post(client, body, signature)

    message = OutboxMessage.objects.get(key=f"invoice-paid:{invoice.pk}")
    assert message.to == [invoice.payer.email]
    assert invoice.number in message.subject
    # The receipt is rendered when downloaded, not inside the webhook's transaction.
    assert message.attachments == []
    assert f"/invoices/{invoice.number}/pdf/" in message.body_text


def test_webhook_needs_no_csrf_token(invoice):
    body, signature = stripe_signed(checkout_completed(invoice))

    response = post(Client(enforce_csrf_checks=True), body, signature)

    assert response.status_code == 200


def test_bad_signature_refused_and_nothing_paid(client, invoice):
    body, signature = stripe_signed(checkout_completed(invoice), secret="whsec_someone_else")

    response = post(client, body, signature)

    assert response.status_code == 400
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.OPEN
    assert not PaymentEvent.objects.exists()


def test_missing_signature_refused(client, invoice):
    body, _signature = stripe_signed(checkout_completed(invoice))

    assert post(client, body, None).status_code == 400
    assert not PaymentEvent.objects.exists()


def test_tampered_body_refused(client, invoice):
    body, signature = stripe_signed(checkout_completed(invoice, amount=100))
    tampered = body.replace('"amount_total": 100', f'"amount_total": {invoice.amount_minor}')

    response = post(client, tampered, signature)

    assert response.status_code == 400
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.OPEN


def test_signed_event_replayed_after_the_tolerance_window_refused(client, invoice):
    body, signature = stripe_signed(checkout_completed(invoice), timestamp=int(time.time()) - 3600)

    response = post(client, body, signature)

    assert response.status_code == 400
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.OPEN


def test_replayed_event_processed_exactly_once(client, invoice):
    body, signature = stripe_signed(checkout_completed(invoice))

    first = post(client, body, signature)
    second = post(client, body, signature)
    resigned = post(client, *stripe_signed(checkout_completed(invoice)))  # a Stripe retry is signed afresh

    assert first.json()["outcome"] == "processed"
    assert second.json()["outcome"] == "duplicate"
    assert resigned.json()["outcome"] == "duplicate"
    assert PaymentEvent.objects.count() == 1
    assert invoice.events.filter(from_status="open", to_status="paid").count() == 1
    assert OutboxMessage.objects.filter(key=f"invoice-paid:{invoice.pk}").count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("schedule_data")
def test_concurrent_deliveries_of_one_event_mark_paid_once(raise_invoice, stripe_keys):
    invoice = raise_invoice(kind="exam", reference="booking:1", level_code="AM")
    body, signature = stripe_signed(checkout_completed(invoice, event_id="evt_concurrent"))
    barrier = threading.Barrier(6)
    outcomes = []

    def deliver():
        try:
            barrier.wait()
            outcomes.append(post(Client(), body, signature).json()["outcome"])
        finally:
            connection.close()

    threads = [threading.Thread(target=deliver) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["duplicate"] * 5 + ["processed"]
    assert invoice.events.filter(from_status="open", to_status="paid").count() == 1


def test_unknown_invoice_flagged_and_nothing_paid(client, invoice):
    body, signature = stripe_signed(checkout_completed(invoice, number="IPMA-1999-000001"))

    response = post(client, body, signature)

    assert response.status_code == 200
    event = PaymentEvent.objects.get()
    assert event.outcome == PaymentOutcome.FLAGGED and event.invoice is None
    assert "IPMA-1999-000001" in event.note
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.OPEN


def test_amount_mismatch_flagged_and_nothing_paid(client, invoice):
    body, signature = stripe_signed(checkout_completed(invoice, amount=invoice.amount_minor - 100))

    response = post(client, body, signature)

    assert response.json()["outcome"] == "flagged"
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.OPEN
    event = PaymentEvent.objects.get()
    assert event.invoice == invoice and "differs" in event.note
    assert invoice.events.filter(note__contains="flagged").count() == 1


def test_currency_mismatch_flagged_and_nothing_paid(client, invoice):
    body, signature = stripe_signed(checkout_completed(invoice, currency="eur"))

    assert post(client, body, signature).json()["outcome"] == "flagged"
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.OPEN


def test_second_payment_of_a_paid_invoice_flagged(client, invoice):
    post(client, *stripe_signed(checkout_completed(invoice, event_id="evt_a")))

    response = post(client, *stripe_signed(checkout_completed(invoice, event_id="evt_b")))

    assert response.json()["outcome"] == "flagged"
    assert "refund it" in PaymentEvent.objects.get(event_id="evt_b").note
    assert invoice.events.filter(from_status="open", to_status="paid").count() == 1


def test_events_that_are_not_payments_recorded_and_ignored(client, invoice):
    event = {"id": "evt_pi", "type": "payment_intent.created", "data": {"object": {"id": "pi_1"}}}

    response = post(client, *stripe_signed(event))

    assert response.json()["outcome"] == "ignored"
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.OPEN


def test_delayed_payment_paid_when_the_async_success_arrives(client, invoice):
    pending = checkout_completed(invoice, event_id="evt_pending", status="unpaid")
    succeeded = checkout_completed(invoice, event_id="evt_async")
    succeeded["type"] = "checkout.session.async_payment_succeeded"

    assert post(client, *stripe_signed(pending)).json()["outcome"] == "ignored"
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.OPEN
    assert post(client, *stripe_signed(succeeded)).json()["outcome"] == "processed"
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.PAID


def test_webhook_not_found_when_stripe_not_configured(client, settings):
    settings.STRIPE_SECRET_KEY = settings.STRIPE_WEBHOOK_SECRET = ""
    body = json.dumps({"id": "evt_x", "type": "checkout.session.completed"})

    response = client.post(URL, data=body, content_type="application/json", HTTP_STRIPE_SIGNATURE="t=1,v1=x")

    assert response.status_code == 404
    assert not PaymentEvent.objects.exists()


def test_webhook_accepts_post_only(client, stripe_keys):
    assert client.get(URL).status_code == 405
