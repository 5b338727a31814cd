import hashlib
import hmac
import json
import time
from importlib import import_module
from urllib.parse import parse_qs

import pytest
import stripe

from payments.services import invoice_raise
from tests.factories import ApplicantFactory
from tests.payments.factories import MembershipPeriodFactory

WEBHOOK_SECRET = "whsec_test_secret_for_the_suite"


@pytest.fixture
def schedule_data(transactional_db):
    """Levels and the fee schedule come from data migrations; a transactional test before this one
    flushed them, so put them back (both migrations are idempotent)."""
    from django.apps import apps

    import_module("accreditation.migrations.0002_levels").add_levels(apps, None)
    import_module("payments.migrations.0003_fee_schedule").add_fees(apps, None)


@pytest.fixture
def member(db):
    """An applicant whose annual membership is running today."""
    return MembershipPeriodFactory().user


@pytest.fixture
def raise_invoice(db):
    def make(payer=None, kind="accreditation", reference=None, level_code="AM"):
        payer = payer or ApplicantFactory()
        reference = reference or f"test:{time.monotonic_ns()}"
        return invoice_raise(payer=payer, kind=kind, reference=reference, level_code=level_code)

    return make


@pytest.fixture
def stripe_keys(settings):
    settings.STRIPE_SECRET_KEY = "sk_test_suite"
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    return settings


def stripe_signed(event: dict, *, secret: str = WEBHOOK_SECRET, timestamp: int | None = None) -> tuple[str, str]:
    """The body and Stripe-Signature header Stripe would send, signed locally with the webhook secret."""
    body = json.dumps(event)
    timestamp = int(time.time()) if timestamp is None else timestamp
    signature = hmac.new(secret.encode(), f"{timestamp}.{body}".encode(), hashlib.sha256).hexdigest()
    return body, f"t={timestamp},v1={signature}"


def checkout_completed(invoice, *, event_id="evt_1", amount=None, currency="usd", number=None, status="paid"):
    return {
        "id": event_id,
        "object": "event",
        "type": "checkout.session.completed",
        "data": {
            "object": {
                "id": "cs_test_1",
                "object": "checkout.session",
                "amount_total": invoice.amount_minor if amount is None else amount,
                "currency": currency,
                "client_reference_id": number or invoice.number,
                "metadata": {"invoice_number": number or invoice.number},
                "payment_intent": "pi_test_1",
                "payment_status": status,
            }
        },
    }


class FakeStripeHTTP:
    """Stands in for the network under the stripe library: records each outbound call, answers from routes."""

    def __init__(self):
        self.calls: list[dict] = []
        self.routes: dict[tuple[str, str], tuple[int, dict]] = {}

    def respond(self, method: str, path: str, body: dict, status: int = 200) -> None:
        self.routes[(method.lower(), path)] = (status, body)

    def request(self, method, url, headers, post_data=None, **kwargs):
        path = "/" + url.split("://", 1)[1].split("/", 1)[1].split("?", 1)[0]
        self.calls.append(
            {"method": method.lower(), "path": path, "data": parse_qs(post_data or ""), "headers": dict(headers or {})}
        )
        status, body = self.routes.get((method.lower(), path), (404, {"error": {"message": "no route"}}))
        return json.dumps(body), status, {"request-id": "req_test"}


@pytest.fixture
def stripe_http(monkeypatch, stripe_keys):
    fake = FakeStripeHTTP()
    monkeypatch.setattr(stripe._http_client.RequestsClient, "request", fake.request)
    return fake
