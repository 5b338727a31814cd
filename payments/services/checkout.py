"""Paying: the providers' checkout, their webhooks, staff-confirmed bank transfers and the demo.

The one path that marks an invoice paid is ``payment_record``: the Stripe webhook, the staff
confirmation of a bank transfer and the offline demo provider all hand it a ``PaymentNotice``.
"""

import logging
from dataclasses import dataclass
from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from notifications.services import outbox_enqueue_template
from payments.models import Invoice, InvoiceStatus, PaymentEvent, PaymentOutcome, Provider
from payments.providers import BankTransfer, DemoProvider, PaymentNotice, ProviderError, provider_get
from payments.services.invoices import invoice_announce, invoice_move, invoice_note
from payments.services.membership import membership_fulfil
from payments.signals import invoice_paid
from workflows.conflicts import decision_conflict_check

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PaymentResult:
    event: PaymentEvent
    duplicate: bool = False

    @property
    def outcome(self) -> str:
        return "duplicate" if self.duplicate else self.event.outcome


def payment_record(notice: PaymentNotice, *, actor=None) -> PaymentResult:
    """Apply what a provider reported, exactly once per (provider, event id).

    A repeated event changes nothing. An unknown invoice, an invoice no longer open, or an amount or
    currency that differs from the invoice is flagged for staff and nothing is marked paid.
    """
    with transaction.atomic():
        try:
            with transaction.atomic():
                event = PaymentEvent.objects.create(
                    provider=notice.provider,
                    event_id=notice.event_id,
                    event_type=notice.event_type,
                    invoice_number=notice.invoice_number[:255],
                    amount=notice.amount,
                    currency=notice.currency,
                    payment_reference=notice.payment_reference,
                    outcome=PaymentOutcome.IGNORED,
                    payload=notice.payload,
                    actor=actor,
                )
        except IntegrityError:
            # The unique (provider, event_id) row: a retry or replay of an event already handled.
            existing = PaymentEvent.objects.get(provider=notice.provider, event_id=notice.event_id)
            return PaymentResult(event=existing, duplicate=True)
        if not notice.is_payment:
            return PaymentResult(event=event)

        invoice = Invoice.objects.select_for_update().filter(number=notice.invoice_number).first()
        problem = _payment_problem(invoice, notice)
        if problem:
            event.outcome, event.note, event.invoice = PaymentOutcome.FLAGGED, problem, invoice
            event.save(update_fields=["outcome", "note", "invoice"])
            if invoice is not None:
                invoice_note(invoice, _("Payment %(event)s flagged: %(problem)s")
                             % {"event": notice.event_id, "problem": problem})
            logger.warning("Payment event %s %s flagged: %s", notice.provider, notice.event_id, problem)
            return PaymentResult(event=event)

        _invoice_mark_paid(invoice, notice=notice, actor=actor)
        event.outcome, event.invoice = PaymentOutcome.PROCESSED, invoice
        event.save(update_fields=["outcome", "invoice"])
        return PaymentResult(event=event)


def _payment_problem(invoice: Invoice | None, notice: PaymentNotice) -> str:
    if invoice is None:
        return _("No invoice numbered %(number)r.") % {"number": notice.invoice_number}
    if invoice.status != InvoiceStatus.OPEN:
        return _("Invoice is %(status)s, payment not applied; refund it if money arrived.") % {
            "status": invoice.get_status_display()
        }
    if notice.amount != invoice.amount or notice.currency.upper() != invoice.currency:
        return _("Amount paid %(paid)s %(paid_currency)s differs from the invoice's %(due)s %(currency)s.") % {
            "paid": notice.amount, "paid_currency": notice.currency or "?", "due": invoice.amount,
            "currency": invoice.currency,
        }
    return ""


def _invoice_mark_paid(invoice: Invoice, *, notice: PaymentNotice, actor) -> None:
    invoice.provider = notice.provider
    invoice.payment_reference = notice.payment_reference
    invoice_move(
        invoice, InvoiceStatus.PAID, actor=actor,
        note=_("Paid via %(provider)s (%(reference)s).")
        % {"provider": Provider(notice.provider).label, "reference": notice.payment_reference},
        update_fields=["provider", "payment_reference"],
    )
    membership_fulfil(invoice)
    outbox_enqueue_template(
        key=f"invoice-paid:{invoice.pk}",
        to=invoice.payer.email,
        template="payments/email/invoice_paid",
        context={"invoice": invoice, "payer": invoice.payer},
        language=invoice.payer.preferred_language or None,
    )
    # No PDF is rendered here (about 90 ms inside the payment's transaction, holding the invoice's lock):
    # the mail links to the receipt, which is rendered when the payer downloads it.
    transaction.on_commit(partial(invoice_announce, invoice_paid, invoice.pk))


def invoice_paid_announce(*, invoice: Invoice) -> None:
    """Send ``invoice_paid`` again (staff, when a listening app failed the first time)."""
    if invoice.status != InvoiceStatus.PAID:
        raise ValidationError(_("Only a paid invoice can be announced as paid."))
    invoice_announce(invoice_paid, invoice.pk)


def checkout_start(*, invoice: Invoice, provider_code: str, actor, request) -> str:
    """Send the payer to the chosen provider; returns the URL to redirect to."""
    if actor.pk != invoice.payer_id:
        raise PermissionDenied
    provider = provider_get(provider_code)
    if not provider.is_enabled():
        raise ValidationError(_("This payment method is not available."))
    if not invoice.is_payable:
        raise ValidationError(_("This invoice is %(status)s; there is nothing to pay.") % {"status": invoice.get_status_display()})
    try:
        checkout = provider.checkout(invoice=invoice, request=request)
    except ProviderError:
        raise ValidationError(
            _("The payment service could not be reached. Please try again, or choose another method.")
        ) from None
    with transaction.atomic():
        invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
        invoice.provider = provider.code
        invoice.checkout_reference = checkout.reference
        invoice.save(update_fields=["provider", "checkout_reference"])
        invoice_note(invoice, _("Checkout started with %(provider)s.") % {"provider": provider.label}, actor=actor)
    return checkout.url


def bank_transfer_confirm(*, invoice: Invoice, actor, bank_reference: str = "") -> PaymentResult:
    """Staff confirm that the full amount arrived by bank transfer; the same path as a webhook."""
    decision_conflict_check(decider=actor, person=invoice.payer)
    notice = BankTransfer().confirmation_notice(invoice=invoice, bank_reference=bank_reference)
    return payment_record(notice, actor=actor)


def demo_payment_complete(*, invoice: Invoice, actor) -> PaymentResult:
    """The offline demo: the payer "pays" and the invoice is marked paid through ``payment_record``."""
    provider = DemoProvider()
    if not provider.is_enabled():
        raise PermissionDenied
    if actor.pk != invoice.payer_id:
        raise PermissionDenied
    return payment_record(provider.payment_notice(invoice=invoice), actor=actor)
