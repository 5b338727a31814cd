import pytest
from django.urls import reverse

from payments.forms import PayForm
from payments.models import InvoiceStatus, PaymentEvent, PaymentOutcome
from tests.factories import ApplicantFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def no_providers(settings):
    settings.STRIPE_SECRET_KEY = settings.STRIPE_WEBHOOK_SECRET = ""
    settings.PAYMENTS_DEMO_PROVIDER = False
    settings.PAYMENTS_BANK_TRANSFER_DETAILS = ""
    return settings


def offered():
    return [code for code, _label in PayForm().fields["provider"].choices]


def test_stripe_not_offered_without_keys(no_providers):
    no_providers.PAYMENTS_BANK_TRANSFER_DETAILS = "IBAN XX00"

    assert offered() == ["bank_transfer"]


def test_stripe_not_offered_with_only_the_secret_key(no_providers):
    no_providers.STRIPE_SECRET_KEY = "sk_test_x"

    assert offered() == []


def test_stripe_offered_with_both_keys(stripe_keys, settings):
    settings.PAYMENTS_DEMO_PROVIDER = False
    settings.PAYMENTS_BANK_TRANSFER_DETAILS = ""

    assert offered() == ["stripe"]


def test_demo_offered_only_when_the_setting_enables_it(no_providers):
    assert "demo" not in offered()
    no_providers.PAYMENTS_DEMO_PROVIDER = True
    assert offered() == ["demo"]


def test_invoice_page_says_so_when_no_method_is_available(client, raise_invoice, no_providers):
    invoice = raise_invoice()
    client.force_login(invoice.payer)

    response = client.get(reverse("payments:invoice_detail", args=[invoice.number]))

    assert "Online payment is not available" in response.content.decode()


def test_pay_with_stripe_creates_a_checkout_session_and_redirects(client, raise_invoice, stripe_http):
    invoice = raise_invoice(level_code="MM")
    stripe_http.respond("post", "/v1/checkout/sessions", {
        "id": "cs_test_abc", "object": "checkout.session", "url": "https://checkout.stripe.com/c/pay/cs_test_abc",
    })
    client.force_login(invoice.payer)

    response = client.post(reverse("payments:invoice_pay", args=[invoice.number]), {"provider": "stripe"})

    assert response.status_code == 302
    assert response.url == "https://checkout.stripe.com/c/pay/cs_test_abc"
    (call,) = stripe_http.calls
    data = call["data"]
    assert call["headers"]["Authorization"] == "Bearer sk_test_suite"
    assert data["mode"] == ["payment"]
    assert data["client_reference_id"] == [invoice.number]
    assert data["metadata[invoice_number]"] == [invoice.number]
    assert data["line_items[0][price_data][unit_amount]"] == ["79900"]
    assert data["line_items[0][price_data][currency]"] == ["usd"]
    assert data["success_url"] == [f"http://testserver/invoices/{invoice.number}/paid/"]
    assert data["cancel_url"] == [f"http://testserver/invoices/{invoice.number}/cancelled/"]
    invoice.refresh_from_db()
    assert (invoice.provider, invoice.checkout_reference, invoice.status) == ("stripe", "cs_test_abc", "open")


def test_stripe_unreachable_shows_an_error_and_changes_nothing(client, raise_invoice, stripe_http):
    invoice = raise_invoice()
    stripe_http.respond("post", "/v1/checkout/sessions", {"error": {"message": "boom", "type": "api_error"}}, 500)
    client.force_login(invoice.payer)

    response = client.post(reverse("payments:invoice_pay", args=[invoice.number]), {"provider": "stripe"}, follow=True)

    assert "could not be reached" in response.content.decode()
    invoice.refresh_from_db()
    assert (invoice.provider, invoice.checkout_reference) == ("", "")


def test_pay_refuses_a_provider_that_is_not_enabled(client, raise_invoice, no_providers):
    invoice = raise_invoice()
    client.force_login(invoice.payer)

    response = client.post(reverse("payments:invoice_pay", args=[invoice.number]), {"provider": "stripe"}, follow=True)

    assert "Choose how you would like to pay" in response.content.decode()
    invoice.refresh_from_db()
    assert invoice.provider == ""


def test_someone_else_cannot_start_paying_an_invoice(client, raise_invoice, settings):
    settings.PAYMENTS_DEMO_PROVIDER = True
    invoice = raise_invoice()
    client.force_login(ApplicantFactory())

    response = client.post(reverse("payments:invoice_pay", args=[invoice.number]), {"provider": "demo"})

    assert response.status_code == 404


def test_bank_transfer_shows_the_details_and_leaves_the_invoice_open(client, raise_invoice, no_providers):
    no_providers.PAYMENTS_BANK_TRANSFER_DETAILS = "IBAN XX00 1234 TEST"
    invoice = raise_invoice()
    client.force_login(invoice.payer)

    response = client.post(
        reverse("payments:invoice_pay", args=[invoice.number]), {"provider": "bank_transfer"}, follow=True
    )

    content = response.content.decode()
    assert "IBAN XX00 1234 TEST" in content and invoice.number in content
    invoice.refresh_from_db()
    assert (invoice.status, invoice.provider) == (InvoiceStatus.OPEN, "bank_transfer")


def test_demo_checkout_marks_paid_through_the_payment_event_path(client, raise_invoice, no_providers):
    no_providers.PAYMENTS_DEMO_PROVIDER = True
    invoice = raise_invoice()
    client.force_login(invoice.payer)

    start = client.post(reverse("payments:invoice_pay", args=[invoice.number]), {"provider": "demo"})
    page = client.get(start.url)
    paid = client.post(start.url, follow=True)

    assert start.url == reverse("payments:demo_checkout", args=[invoice.number])
    assert "no money moves" in page.content.decode()
    assert "Payment received" in paid.content.decode()
    invoice.refresh_from_db()
    assert (invoice.status, invoice.provider) == (InvoiceStatus.PAID, "demo")
    event = PaymentEvent.objects.get(invoice=invoice)
    assert (event.provider, event.outcome, event.event_type) == ("demo", PaymentOutcome.PROCESSED, "demo.payment_succeeded")


def test_demo_checkout_posted_twice_pays_once(client, raise_invoice, no_providers):
    no_providers.PAYMENTS_DEMO_PROVIDER = True
    invoice = raise_invoice()
    client.force_login(invoice.payer)
    url = reverse("payments:demo_checkout", args=[invoice.number])

    client.post(url)
    client.post(url)

    assert invoice.events.filter(from_status="open", to_status="paid").count() == 1
    assert PaymentEvent.objects.filter(invoice=invoice).count() == 1


def test_demo_checkout_not_found_when_disabled(client, raise_invoice, no_providers):
    invoice = raise_invoice()
    client.force_login(invoice.payer)

    assert client.get(reverse("payments:demo_checkout", args=[invoice.number])).status_code == 404
    assert client.post(reverse("payments:demo_checkout", args=[invoice.number])).status_code == 404
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.OPEN


def test_paid_invoice_has_no_pay_form(client, raise_invoice, settings):
    settings.PAYMENTS_DEMO_PROVIDER = True
    invoice = raise_invoice()
    client.force_login(invoice.payer)
    client.post(reverse("payments:demo_checkout", args=[invoice.number]))

    response = client.get(reverse("payments:invoice_detail", args=[invoice.number]))

    assert response.context["form"] is None
    assert 'action="/invoices/' not in response.content.decode()


def test_return_pages(client, raise_invoice):
    invoice = raise_invoice()
    client.force_login(invoice.payer)

    waiting = client.get(reverse("payments:invoice_paid", args=[invoice.number]))
    cancelled = client.get(reverse("payments:invoice_cancelled", args=[invoice.number]))

    assert "We are confirming your payment" in waiting.content.decode()
    assert "Nothing was charged" in cancelled.content.decode()
