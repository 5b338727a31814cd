"""Raising, voiding and moving invoices: every status change goes through the workflow engine."""

import logging
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from payments.models import (
    EXAM_KINDS,
    LIVE_STATUSES,
    FeeKind,
    Invoice,
    InvoiceKind,
    InvoiceLine,
    InvoiceStatus,
)
from payments.selectors import (
    fee_in_effect,
    invoice_for,
    level_priced,
    membership_active,
    membership_status,
    schedule_date,
)
from workflows.numbers import number_next
from workflows.services import event_record, transition

logger = logging.getLogger(__name__)

INVOICE_NUMBERS = "payments_invoice_number_seq"

# Status changes --------------------------------------------------------------------------------

_STATUS_TIMESTAMP = {
    InvoiceStatus.PAID: "paid_at",
    InvoiceStatus.VOID: "voided_at",
    InvoiceStatus.REFUNDED: "refunded_at",
}


def invoice_move(invoice: Invoice, to: str, *, actor=None, note: str = "", update_fields=()) -> None:
    """Move a locked invoice to ``to`` along its table, stamp the time, and record the event."""
    stamp = _STATUS_TIMESTAMP[to]
    invoice.check_transition(to)
    setattr(invoice, stamp, timezone.now())
    transition(invoice, to, actor=actor, note=note, update_fields=[stamp, *update_fields])


def invoice_note(invoice: Invoice, note: str, *, actor=None) -> None:
    """Record something staff should see on the invoice without changing its status."""
    event_record(invoice, actor=actor, note=note)


def invoice_announce(signal, invoice_id: int) -> None:
    """Send a payments signal after commit; a failing listener is logged and does not undo the payment."""
    invoice = Invoice.objects.select_related("payer", "level").get(pk=invoice_id)
    for receiver, result in signal.send_robust(sender=Invoice, invoice=invoice):
        if isinstance(result, Exception):
            logger.error("Listener %r failed for invoice %s", receiver, invoice.number, exc_info=result)


# Raising invoices -------------------------------------------------------------------------------


@dataclass(frozen=True)
class InvoiceLineDraft:
    description: str
    unit_amount: Decimal
    fee_id: int | None = None
    quantity: int = 1


def _invoice_number() -> str:
    return f"IPMA-{schedule_date().year}-{number_next(INVOICE_NUMBERS):06d}"


def _level(level_code: str | None):
    if not level_code:
        return None
    level = level_priced(level_code)
    if level is None:
        raise ValidationError(_("Unknown level %(code)s.") % {"code": level_code})
    return level


def _fee_line(kind: str, *, level, description: str) -> InvoiceLineDraft:
    fee = fee_in_effect(kind=kind, level_code=level.code if level else None)
    if fee is None:
        raise ValidationError(_("The fee schedule has no price for %(fee)s yet.") % {"fee": FeeKind(kind).label})
    return InvoiceLineDraft(description=description, unit_amount=fee.amount, fee_id=fee.pk)


def _price(*, kind: str, payer, level) -> tuple[list[InvoiceLineDraft], bool]:
    """The lines of a new invoice from the fee schedule today, and whether member prices applied."""
    level_name = f" — {level.name} ({level.code})" if level else ""
    if kind in (InvoiceKind.ACCREDITATION, *EXAM_KINDS) and level is None:
        raise ValidationError(_("A level is needed to price this invoice."))
    if kind == InvoiceKind.ACCREDITATION:
        # Member pricing depends on membership on the day the invoice is raised, not when it is paid.
        member = membership_active(user=payer) is not None
        fee_kind = FeeKind.ACCREDITATION_MEMBER if member else FeeKind.ACCREDITATION_NON_MEMBER
        label = _("Accreditation fee (member)") if member else _("Accreditation fee (non-member)")
        return [_fee_line(fee_kind, level=level, description=f"{label}{level_name}")], member
    if kind == InvoiceKind.EXAM:
        return [_fee_line(FeeKind.EXAM, level=level, description=f"{_('Examination fee')}{level_name}")], False
    if kind == InvoiceKind.EXAM_RETAKE:
        # The source documents publish one exam fee per level; a retake is charged the same.
        return [_fee_line(FeeKind.EXAM, level=level, description=f"{_('Exam retake fee')}{level_name}")], False
    if kind == InvoiceKind.RENEWAL:
        return [_fee_line(FeeKind.RENEWAL, level=None, description=f"{_('Certificate renewal fee')}{level_name}")], False
    if kind == InvoiceKind.MEMBERSHIP_UPGRADE:
        if not membership_status(user=payer).upgrade_allowed:
            raise ValidationError(
                _("The permanent upgrade is open to current members after %(years)s years of membership.")
                % {"years": settings.PAYMENTS_MEMBERSHIP_UPGRADE_AFTER_YEARS}
            )
        return [_fee_line(FeeKind.MEMBERSHIP_UPGRADE, level=None, description=_("Permanent membership upgrade"))], True
    if kind == InvoiceKind.PROGRAMME_ACCREDITATION:
        return [_fee_line(FeeKind.PROGRAMME_ACCREDITATION, level=None, description=_("Programme accreditation fee"))], False
    raise ValidationError(_("Invoices of kind %(kind)s are not raised this way.") % {"kind": kind})


def invoice_create(
    *, payer, kind: str, reference: str, lines: list[InvoiceLineDraft], level=None, member_pricing=False,
    actor=None, **fields,
) -> Invoice:
    """Insert the invoice; if another request raised the same (kind, reference) first, return that one."""
    try:
        with transaction.atomic():
            invoice = Invoice.objects.create(
                number=_invoice_number(),
                payer=payer,
                kind=kind,
                reference=reference,
                level=level,
                member_pricing=member_pricing,
                amount=sum((line.unit_amount * line.quantity for line in lines), Decimal("0.00")),
                **fields,
            )
            InvoiceLine.objects.bulk_create(
                InvoiceLine(
                    invoice=invoice, fee_id=line.fee_id, description=line.description, quantity=line.quantity,
                    unit_amount=line.unit_amount, amount=line.unit_amount * line.quantity,
                )
                for line in lines
            )
            event_record(invoice, actor=actor, from_status="")
    except IntegrityError:
        existing = Invoice.objects.filter(kind=kind, reference=reference, status__in=LIVE_STATUSES).first()
        if existing is None:
            raise
        return existing
    return invoice


@transaction.atomic
def invoice_raise(*, payer, kind: str, reference: str, level_code: str | None = None, actor=None) -> Invoice:
    """The invoice for a business action, priced from the fee schedule and the payer's membership today.

    Idempotent per (kind, reference): while an open or paid invoice exists for it, that one is returned.
    """
    existing = Invoice.objects.filter(kind=kind, reference=reference, status__in=LIVE_STATUSES).first()
    if existing is not None:
        return existing
    if kind == InvoiceKind.MEMBERSHIP:
        raise ValidationError(_("Membership is bought through membership_purchase."))
    level = _level(level_code)
    lines, member_pricing = _price(kind=kind, payer=payer, level=level)
    return invoice_create(
        payer=payer, kind=kind, reference=reference, lines=lines, level=level, member_pricing=member_pricing,
        actor=actor,
    )


@transaction.atomic
def invoice_raise_for_lines(*, payer, kind: str, reference: str, lines: list[InvoiceLineDraft],
                            member_pricing: bool = False, actor=None) -> Invoice:
    """An invoice priced by the app that sells (an event's own price list), not by the fee schedule.

    Idempotent per (kind, reference) like ``invoice_raise``.
    """
    existing = Invoice.objects.filter(kind=kind, reference=reference, status__in=LIVE_STATUSES).first()
    if existing is not None:
        return existing
    return invoice_create(payer=payer, kind=kind, reference=reference, lines=lines, member_pricing=member_pricing,
                          actor=actor)


# Voiding --------------------------------------------------------------------------------------


def invoice_void_locked(invoice: Invoice, *, actor, note: str) -> Invoice:
    """Void an invoice the caller has locked (the table refuses a paid or closed one)."""
    invoice_move(invoice, InvoiceStatus.VOID, actor=actor, note=note)
    return invoice


@transaction.atomic
def invoice_void(*, kind: str, reference: str, actor, note: str = "") -> Invoice | None:
    """Void the open invoice for a business object (no-op if none is open; a paid one must be refunded)."""
    invoice = (
        Invoice.objects.select_for_update().filter(kind=kind, reference=reference, status=InvoiceStatus.OPEN).first()
    )
    if invoice is None:
        latest = invoice_for(kind=kind, reference=reference)
        if latest is not None and latest.status == InvoiceStatus.PAID:
            raise ValidationError(_("A paid invoice cannot be voided; refund it instead."))
        return latest
    return invoice_void_locked(invoice, actor=actor, note=note)


@transaction.atomic
def invoice_void_by_staff(*, invoice: Invoice, actor, note: str = "") -> Invoice:
    invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
    return invoice_void_locked(invoice, actor=actor, note=note or _("Voided by staff."))
