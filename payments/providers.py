"""Payment providers behind one small interface.

A provider sends the payer somewhere to pay (``checkout``), turns what it tells us back into a
``PaymentNotice`` that ``services.payment_record`` applies (the single path that marks an invoice
paid), and pays a refund back (``refund_submit``; ``None`` means staff do it by hand).
"""

import abc
import json
import logging
from dataclasses import dataclass, field
from decimal import Decimal
from uuid import uuid4

import stripe
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from payments.models import Invoice, Provider, Refund

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Checkout:
    url: str
    reference: str = ""


@dataclass(frozen=True)
class PaymentNotice:
    """What a provider says happened, in the provider-neutral shape ``payment_record`` takes."""

    provider: str
    event_id: str
    event_type: str
    invoice_number: str = ""
    amount: Decimal | None = None
    currency: str = ""
    payment_reference: str = ""
    is_payment: bool = True
    payload: dict = field(default_factory=dict)


class ProviderError(Exception):
    """The provider could not be reached or refused the call; nothing was changed on our side."""


class PaymentProvider(abc.ABC):
    """The one small interface every way of paying implements."""

    code: str
    label = ""
    help_text = ""

    @abc.abstractmethod
    def is_enabled(self) -> bool: ...

    @abc.abstractmethod
    def checkout(self, *, invoice: Invoice, request) -> Checkout: ...

    @abc.abstractmethod
    def refund_submit(self, *, refund: Refund) -> str | None:
        """Pay the refund back; return the provider's reference, or None when staff must do it."""


class StripeCheckout(PaymentProvider):
    code = Provider.STRIPE
    label = gettext_lazy("Card (Stripe Checkout)")
    help_text = gettext_lazy("You are sent to Stripe's secure page and come back here when done.")
    # Stripe signs each webhook with a timestamp; older deliveries are refused as replays.
    signature_tolerance_seconds = 300

    def is_enabled(self) -> bool:
        return bool(settings.STRIPE_SECRET_KEY and settings.STRIPE_WEBHOOK_SECRET)

    def _client(self) -> stripe.StripeClient:
        return stripe.StripeClient(settings.STRIPE_SECRET_KEY, max_network_retries=2)

    def checkout(self, *, invoice: Invoice, request) -> Checkout:
        urls = {
            name: request.build_absolute_uri(reverse(f"payments:invoice_{name}", args=[invoice.number]))
            for name in ("paid", "cancelled")
        }
        params = {
            "mode": "payment",
            "client_reference_id": invoice.number,
            "customer_email": invoice.payer.email,
            "line_items": [
                {
                    "quantity": line.quantity,
                    "price_data": {
                        "currency": invoice.currency.lower(),
                        "unit_amount": int(line.unit_amount * 100),
                        "product_data": {"name": line.description},
                    },
                }
                for line in invoice.lines.all()
            ],
            "metadata": {"invoice_number": invoice.number},
            "payment_intent_data": {"metadata": {"invoice_number": invoice.number}},
            "success_url": urls["paid"],
            "cancel_url": urls["cancelled"],
        }
        try:
            session = self._client().v1.checkout.sessions.create(params=params)
        except stripe.StripeError as exc:
            logger.warning("Stripe Checkout session for %s failed: %s", invoice.number, exc)
            raise ProviderError(str(exc)) from exc
        return Checkout(url=session.url, reference=session.id)

    def webhook_notice(self, *, payload: bytes, signature: str) -> PaymentNotice:
        """Verify the signature (raises ``stripe.SignatureVerificationError``) and read the event."""
        stripe.WebhookSignature.verify_header(
            payload, signature, settings.STRIPE_WEBHOOK_SECRET, tolerance=self.signature_tolerance_seconds
        )
        event = json.loads(payload)
        notice = PaymentNotice(
            provider=self.code, event_id=event["id"], event_type=event.get("type", ""), payload=event,
            is_payment=False,
        )
        if notice.event_type not in ("checkout.session.completed", "checkout.session.async_payment_succeeded"):
            return notice
        session = event.get("data", {}).get("object", {})
        if session.get("payment_status") != "paid":
            # Delayed methods complete later with checkout.session.async_payment_succeeded.
            return notice
        amount = session.get("amount_total")
        return PaymentNotice(
            provider=self.code,
            event_id=event["id"],
            event_type=notice.event_type,
            invoice_number=(session.get("metadata") or {}).get("invoice_number")
            or session.get("client_reference_id")
            or "",
            amount=Decimal(amount) / 100 if isinstance(amount, int) else None,
            currency=(session.get("currency") or "").upper(),
            payment_reference=session.get("payment_intent") or session.get("id") or "",
            payload=event,
        )

    def refund_submit(self, *, refund: Refund) -> str | None:
        try:
            result = self._client().v1.refunds.create(
                params={
                    "payment_intent": refund.invoice.payment_reference,
                    "amount": refund.invoice.amount_minor,
                    "metadata": {"invoice_number": refund.invoice.number},
                },
                # The same refund row never pays back twice, whatever the retries.
                options={"idempotency_key": f"ipma-refund-{refund.pk}"},
            )
        except stripe.StripeError as exc:
            raise ProviderError(str(exc)) from exc
        if result.status in ("failed", "canceled"):
            raise ProviderError(f"Stripe refund {result.id} is {result.status}")
        return result.id


class BankTransfer(PaymentProvider):
    code = Provider.BANK_TRANSFER
    label = gettext_lazy("Bank transfer")
    help_text = gettext_lazy(
        "Transfer the amount quoting the invoice number; staff mark the invoice paid when it arrives."
    )

    def is_enabled(self) -> bool:
        return bool(settings.PAYMENTS_BANK_TRANSFER_DETAILS.strip())

    def checkout(self, *, invoice: Invoice, request) -> Checkout:
        return Checkout(url=reverse("payments:invoice_detail", args=[invoice.number]) + "#bank-transfer")

    def confirmation_notice(self, *, invoice: Invoice, bank_reference: str = "") -> PaymentNotice:
        # One confirmation per invoice: confirming the same transfer twice is the same event.
        return PaymentNotice(
            provider=self.code,
            event_id=f"bank-transfer:{invoice.number}",
            event_type="bank_transfer.confirmed",
            invoice_number=invoice.number,
            amount=invoice.amount,
            currency=invoice.currency,
            payment_reference=bank_reference or f"bank-transfer:{invoice.number}",
        )

    def refund_submit(self, *, refund: Refund) -> str | None:
        return None


class DemoProvider(PaymentProvider):
    code = Provider.DEMO
    label = gettext_lazy("Demo payment (no money moves)")
    help_text = gettext_lazy("For trying the portal offline: marks the invoice paid as a real payment would.")

    def is_enabled(self) -> bool:
        return bool(settings.PAYMENTS_DEMO_PROVIDER)

    def checkout(self, *, invoice: Invoice, request) -> Checkout:
        return Checkout(url=reverse("payments:demo_checkout", args=[invoice.number]))

    def payment_notice(self, *, invoice: Invoice) -> PaymentNotice:
        event_id = f"demo_{uuid4().hex}"
        return PaymentNotice(
            provider=self.code,
            event_id=event_id,
            event_type="demo.payment_succeeded",
            invoice_number=invoice.number,
            amount=invoice.amount,
            currency=invoice.currency,
            payment_reference=event_id,
        )

    def refund_submit(self, *, refund: Refund) -> str | None:
        return f"demo-refund-{refund.pk}"


PROVIDERS: dict[str, PaymentProvider] = {
    provider.code: provider for provider in (StripeCheckout(), BankTransfer(), DemoProvider())
}


def provider_get(code: str) -> PaymentProvider:
    """The provider for a code, enabled or not (refunds go back the way the money came)."""
    try:
        return PROVIDERS[code]
    except KeyError:
        raise ValidationError(_("Unknown payment method.")) from None


def providers_enabled() -> list[PaymentProvider]:
    """The providers a payer may choose now, in a fixed order."""
    return [provider for provider in PROVIDERS.values() if provider.is_enabled()]
