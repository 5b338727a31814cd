"""Refunds: a paid invoice paid back in full, the way it was paid (card provider, or staff by bank)."""

import logging
from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from notifications.services import outbox_enqueue_template
from payments.models import LIVE_STATUSES, Invoice, InvoiceStatus, Provider, Refund, RefundStatus
from payments.providers import ProviderError, provider_get
from payments.selectors import invoice_for, schedule_date
from payments.services.invoices import invoice_announce, invoice_move, invoice_note, invoice_void_locked
from payments.services.membership import membership_end_on_refund
from payments.signals import invoice_refunded

logger = logging.getLogger(__name__)


@transaction.atomic
def invoice_refund(*, kind: str, reference: str, actor, reason: str) -> Invoice | None:
    """Refund the paid invoice for a business object, in full, the way it was paid.

    A card payment is refunded through the provider by a task after commit; a bank transfer becomes
    a refund task for staff. An invoice still open has nothing to refund and is voided instead.
    """
    invoice = (
        Invoice.objects.select_for_update()
        .filter(kind=kind, reference=reference, status__in=LIVE_STATUSES)
        .first()
    )
    if invoice is None:
        return invoice_for(kind=kind, reference=reference)
    if invoice.status == InvoiceStatus.OPEN:
        return invoice_void_locked(
            invoice, actor=actor, note=_("Not paid, so nothing to refund: %(reason)s") % {"reason": reason})
    if invoice.provider == Provider.SPONSOR:
        from payments.services.sponsorship import sponsored_invoice_release  # sponsorship imports this module

        return sponsored_invoice_release(invoice=invoice, actor=actor, reason=reason)
    refund_request(invoice=invoice, actor=actor, reason=reason)
    return invoice


@transaction.atomic
def refund_request(*, invoice: Invoice, actor, reason: str) -> Refund:
    """Record a full refund of a paid invoice (once) and hand it to its provider after commit."""
    invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
    existing = Refund.objects.filter(invoice=invoice).first()
    if existing is not None:
        return existing
    if invoice.status != InvoiceStatus.PAID:
        raise ValidationError(_("Only a paid invoice can be refunded."))
    if invoice.provider == Provider.SPONSOR:
        raise ValidationError(_("This fee was billed to a sponsor: cancelling what it paid for takes it off the "
                                "sponsor's invoice (or credits it on the next one)."))
    refund = Refund.objects.create(
        invoice=invoice, amount=invoice.amount, reason=reason, provider=invoice.provider, requested_by=actor
    )
    invoice_note(invoice, _("Refund requested: %(reason)s") % {"reason": reason}, actor=actor)
    transaction.on_commit(partial(_dispatch_refund, refund.pk))
    return refund


def _dispatch_refund(refund_id: int) -> None:
    from payments.tasks import refund_submit_task  # the tasks module imports these services

    try:
        refund_submit_task.delay(refund_id=refund_id)
    except Exception:  # the broker is away: the periodic refunds sweep submits it later
        logger.warning("Could not hand refund %s to the broker; the sweep will submit it", refund_id)


def refund_submit(*, refund_id: int) -> bool:
    """Pay a requested refund back through its provider; True when it completed now.

    Safe to run twice or concurrently: the row lock lets one run through, and Stripe's idempotency
    key makes a retried call the same refund. Bank transfers stay requested for staff.
    """
    with transaction.atomic():
        refund = (
            Refund.objects.select_for_update(skip_locked=True)
            .select_related("invoice")
            .filter(pk=refund_id, status=RefundStatus.REQUESTED)
            .first()
        )
        if refund is None:
            return False
        try:
            reference = provider_get(refund.provider).refund_submit(refund=refund)
        except ProviderError as exc:
            Refund.objects.filter(pk=refund.pk).update(note=_("Provider error, will retry: %(error)s") % {"error": exc})
            logger.warning("Refund %s failed at the provider: %s", refund.pk, exc)
            return False
        if reference is None:
            return False
        _refund_complete(refund, actor=None, reference=reference)
        return True


def refunds_submit_pending() -> int:
    """The sweep: submit requested refunds that providers pay back automatically."""
    automatic = [Provider.STRIPE, Provider.DEMO]
    pending = Refund.objects.filter(status=RefundStatus.REQUESTED, provider__in=automatic).values_list("pk", flat=True)
    return sum(refund_submit(refund_id=pk) for pk in list(pending))


@transaction.atomic
def refund_complete(*, refund: Refund, actor, reference: str = "", note: str = "") -> Refund:
    """Staff record that they paid a (bank transfer) refund back."""
    refund = Refund.objects.select_for_update().select_related("invoice").get(pk=refund.pk)
    if refund.status != RefundStatus.REQUESTED:
        return refund
    if note:
        refund.note = note
    _refund_complete(refund, actor=actor, reference=reference)
    return refund


def _refund_complete(refund: Refund, *, actor, reference: str) -> None:
    invoice = Invoice.objects.select_for_update().get(pk=refund.invoice_id)
    refund.status = RefundStatus.COMPLETED
    refund.provider_reference = reference
    refund.completed_by = actor
    refund.completed_at = timezone.now()
    refund.save(update_fields=["status", "provider_reference", "completed_by", "completed_at", "note"])
    invoice_move(
        invoice, InvoiceStatus.REFUNDED, actor=actor,
        note=_("Refunded %(amount)s %(currency)s (%(reference)s): %(reason)s")
        % {"amount": refund.amount, "currency": invoice.currency, "reference": reference or "-", "reason": refund.reason},
    )
    membership_end_on_refund(invoice, on=schedule_date(refund.completed_at))
    outbox_enqueue_template(
        key=f"invoice-refunded:{invoice.pk}",
        to=invoice.payer.email,
        template="payments/email/invoice_refunded",
        context={"invoice": invoice, "refund": refund, "payer": invoice.payer},
        language=invoice.payer.preferred_language or None,
    )
    transaction.on_commit(partial(invoice_announce, invoice_refunded, invoice.pk))
