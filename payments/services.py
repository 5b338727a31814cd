"""Every change to invoices, payments, refunds and membership: one function per business action.

The one path that marks an invoice paid is ``payment_record``: the Stripe webhook, the staff
confirmation of a bank transfer and the offline demo provider all hand it a ``PaymentNotice``.
"""

import calendar
import datetime
import logging
from dataclasses import dataclass
from decimal import Decimal
from functools import partial
from uuid import uuid4

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from notifications.services import outbox_enqueue_template
from payments.models import (
    EXAM_KINDS,
    LIVE_STATUSES,
    FeeKind,
    Invoice,
    InvoiceEvent,
    InvoiceKind,
    InvoiceLine,
    InvoiceStatus,
    MembershipPeriod,
    PaymentEvent,
    PaymentOutcome,
    Provider,
    Refund,
    RefundStatus,
)
from payments.providers import (
    BankTransfer,
    DemoProvider,
    PaymentNotice,
    ProviderError,
    provider_get,
)
from payments.receipts import invoice_pdf, invoice_pdf_name
from payments.selectors import (
    fee_in_effect,
    invoice_for,
    membership_active,
    membership_next_start,
    membership_plan,
    membership_status,
    schedule_date,
)
from payments.signals import invoice_paid, invoice_refunded

logger = logging.getLogger(__name__)


# Status changes --------------------------------------------------------------------------------

_STATUS_TIMESTAMP = {
    InvoiceStatus.PAID: "paid_at",
    InvoiceStatus.VOID: "voided_at",
    InvoiceStatus.REFUNDED: "refunded_at",
}


def _transition(invoice: Invoice, to: str, *, actor=None, note: str = "", extra_fields=()) -> None:
    """Move a locked invoice to ``to`` if the table allows it, and record the event."""
    if not invoice.can_transition(to):
        raise ValidationError(
            _("This invoice is %(status)s and cannot become %(to)s.")
            % {"status": invoice.get_status_display(), "to": InvoiceStatus(to).label}
        )
    from_status = invoice.status
    invoice.status = to
    stamp = _STATUS_TIMESTAMP[to]
    setattr(invoice, stamp, timezone.now())
    invoice.save(update_fields=["status", stamp, *extra_fields])
    InvoiceEvent.objects.create(invoice=invoice, actor=actor, from_status=from_status, to_status=to, note=note)


def _note(invoice: Invoice, note: str, *, actor=None) -> None:
    """Record something staff should see on the invoice without changing its status."""
    InvoiceEvent.objects.create(
        invoice=invoice, actor=actor, from_status=invoice.status, to_status=invoice.status, note=note
    )


# Raising invoices -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Line:
    description: str
    unit_amount: Decimal
    fee_id: int | None = None
    quantity: int = 1


def _invoice_number() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval('payments_invoice_number_seq')")
        (sequence,) = cursor.fetchone()
    return f"IPMA-{schedule_date().year}-{sequence:06d}"


def _level(level_code: str | None):
    from accreditation.models import Level

    if not level_code:
        return None
    try:
        return Level.objects.get(code=level_code)
    except Level.DoesNotExist:
        raise ValidationError(_("Unknown level %(code)s.") % {"code": level_code}) from None


def _fee_line(kind: str, *, level, description: str) -> _Line:
    fee = fee_in_effect(kind=kind, level_code=level.code if level else None)
    if fee is None:
        raise ValidationError(_("The fee schedule has no price for %(fee)s yet.") % {"fee": FeeKind(kind).label})
    return _Line(description=description, unit_amount=fee.amount, fee_id=fee.pk)


def _price(*, kind: str, payer, level) -> tuple[list[_Line], bool]:
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


def _invoice_create(
    *, payer, kind: str, reference: str, lines: list[_Line], level=None, member_pricing=False, actor=None,
    **fields,
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
            InvoiceEvent.objects.create(invoice=invoice, actor=actor, to_status=InvoiceStatus.OPEN)
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
    return _invoice_create(
        payer=payer, kind=kind, reference=reference, lines=lines, level=level, member_pricing=member_pricing,
        actor=actor,
    )


# Voiding and refunding ------------------------------------------------------------------------


def _void(invoice: Invoice, *, actor, note: str) -> Invoice:
    _transition(invoice, InvoiceStatus.VOID, actor=actor, note=note)
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
    return _void(invoice, actor=actor, note=note)


@transaction.atomic
def invoice_void_by_staff(*, invoice: Invoice, actor, note: str = "") -> Invoice:
    invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
    return _void(invoice, actor=actor, note=note or _("Voided by staff."))


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
        return _void(invoice, actor=actor, note=_("Not paid, so nothing to refund: %(reason)s") % {"reason": reason})
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
    refund = Refund.objects.create(
        invoice=invoice, amount=invoice.amount, reason=reason, provider=invoice.provider, requested_by=actor
    )
    _note(invoice, _("Refund requested: %(reason)s") % {"reason": reason}, actor=actor)
    transaction.on_commit(partial(_dispatch_refund, refund.pk))
    return refund


def _dispatch_refund(refund_id: int) -> None:
    from payments.tasks import refund_submit_task

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
    _transition(
        invoice, InvoiceStatus.REFUNDED, actor=actor,
        note=_("Refunded %(amount)s %(currency)s (%(reference)s): %(reason)s")
        % {"amount": refund.amount, "currency": invoice.currency, "reference": reference or "-", "reason": refund.reason},
    )
    outbox_enqueue_template(
        key=f"invoice-refunded:{invoice.pk}",
        to=invoice.payer.email,
        template="payments/email/invoice_refunded",
        context={"invoice": invoice, "refund": refund, "payer": invoice.payer},
        language=invoice.payer.preferred_language or None,
    )
    transaction.on_commit(partial(_announce, invoice_refunded, invoice.pk))


# Paying ---------------------------------------------------------------------------------------


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
                _note(invoice, _("Payment %(event)s flagged: %(problem)s") % {"event": notice.event_id, "problem": problem})
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
    _transition(
        invoice, InvoiceStatus.PAID, actor=actor,
        note=_("Paid via %(provider)s (%(reference)s).")
        % {"provider": Provider(notice.provider).label, "reference": notice.payment_reference},
        extra_fields=["provider", "payment_reference"],
    )
    _membership_fulfil(invoice)
    outbox_enqueue_template(
        key=f"invoice-paid:{invoice.pk}",
        to=invoice.payer.email,
        template="payments/email/invoice_paid",
        context={"invoice": invoice, "payer": invoice.payer},
        language=invoice.payer.preferred_language or None,
        attachments=[(invoice_pdf_name(invoice), invoice_pdf(invoice), "application/pdf")],
    )
    transaction.on_commit(partial(_announce, invoice_paid, invoice.pk))


def _announce(signal, invoice_id: int) -> None:
    """Send a payments signal after commit; a failing listener is logged and does not undo the payment."""
    invoice = Invoice.objects.select_related("payer", "level").get(pk=invoice_id)
    for receiver, result in signal.send_robust(sender=Invoice, invoice=invoice):
        if isinstance(result, Exception):
            logger.error("Listener %r failed for invoice %s", receiver, invoice.number, exc_info=result)


def invoice_paid_announce(*, invoice: Invoice) -> None:
    """Send ``invoice_paid`` again (staff, when a listening app failed the first time)."""
    if invoice.status != InvoiceStatus.PAID:
        raise ValidationError(_("Only a paid invoice can be announced as paid."))
    _announce(invoice_paid, invoice.pk)


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
        _note(invoice, _("Checkout started with %(provider)s.") % {"provider": provider.label}, actor=actor)
    return checkout.url


def bank_transfer_confirm(*, invoice: Invoice, actor, bank_reference: str = "") -> PaymentResult:
    """Staff confirm that the full amount arrived by bank transfer; the same path as a webhook."""
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


# Membership -----------------------------------------------------------------------------------


def _add_months(day: datetime.date, months: int) -> datetime.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def _membership_fulfil(invoice: Invoice) -> None:
    """Membership invoices are fulfilled here, in the payment's transaction."""
    today = schedule_date()
    if invoice.kind == InvoiceKind.MEMBERSHIP:
        starts_on = membership_next_start(user=invoice.payer, on=today)
        MembershipPeriod.objects.create(
            user=invoice.payer, plan=invoice.membership_plan, invoice=invoice, starts_on=starts_on,
            ends_on=_add_months(starts_on, invoice.membership_months or 12) - datetime.timedelta(days=1),
        )
    elif invoice.kind == InvoiceKind.MEMBERSHIP_UPGRADE:
        MembershipPeriod.objects.create(
            user=invoice.payer, plan=MembershipPeriod.PERMANENT, invoice=invoice, starts_on=today, ends_on=None
        )


@transaction.atomic
def membership_purchase(*, user, plan_code: str) -> Invoice:
    """The invoice for a membership plan; one open membership invoice per person at a time."""
    plan = membership_plan(plan_code)
    if plan is None:
        raise ValidationError(_("Unknown membership plan."))
    # Serialise a person's membership purchases (double clicks, two tabs) on their user row.
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()
    if membership_status(user=user).is_permanent:
        raise ValidationError(_("You are a permanent member already."))
    for invoice in Invoice.objects.select_for_update().filter(
        payer=user, kind=InvoiceKind.MEMBERSHIP, status=InvoiceStatus.OPEN
    ):
        if invoice.membership_plan == plan.code:
            return invoice
        _void(invoice, actor=user, note=_("Replaced by a purchase of another plan."))
    return _invoice_create(
        payer=user,
        kind=InvoiceKind.MEMBERSHIP,
        reference=f"user:{user.pk}:{uuid4().hex[:12]}",
        lines=[_Line(description=plan.name, unit_amount=plan.fee)],
        actor=user,
        membership_plan=plan.code,
        membership_months=plan.months,
    )


def membership_upgrade_request(*, user) -> Invoice:
    """The invoice for the permanent membership upgrade (once per person)."""
    return invoice_raise(payer=user, kind=InvoiceKind.MEMBERSHIP_UPGRADE, reference=f"user:{user.pk}", actor=user)


# Unpaid exam bookings -------------------------------------------------------------------------


def exam_invoices_release_unpaid(*, now: datetime.datetime | None = None) -> int:
    """Void exam invoices left unpaid too long and release each booking's seat, exactly once.

    Each invoice is voided and ``exams.services.booking_release_unpaid`` called in one transaction
    under the invoice's row lock, so a second run (or a concurrent beat) finds it void and skips
    it, and a payment arriving later is flagged instead of applied. Returns how many were released.
    """
    try:
        from exams.services import booking_release_unpaid
    except ImportError:
        logger.info("exams.services.booking_release_unpaid is not available; unpaid exam invoices stay open")
        return 0
    cutoff = (now or timezone.now()) - datetime.timedelta(hours=settings.PAYMENTS_EXAM_UNPAID_RELEASE_HOURS)
    candidates = list(
        Invoice.objects.filter(kind__in=EXAM_KINDS, status=InvoiceStatus.OPEN, created_at__lte=cutoff)
        .order_by("created_at")
        .values_list("pk", flat=True)
    )
    released = 0
    for invoice_id in candidates:
        try:
            with transaction.atomic():
                invoice = (
                    Invoice.objects.select_for_update(skip_locked=True)
                    .filter(pk=invoice_id, status=InvoiceStatus.OPEN)
                    .first()
                )
                if invoice is None:
                    continue
                _void(
                    invoice, actor=None,
                    note=_("Unpaid after %(hours)s hours: voided and the seat released.")
                    % {"hours": settings.PAYMENTS_EXAM_UNPAID_RELEASE_HOURS},
                )
                booking_release_unpaid(booking_id=_booking_id(invoice.reference))
        except Exception:
            # One booking that cannot be released must not stop the others; its invoice stays open.
            logger.exception("Releasing unpaid exam invoice %s failed; it stays open", invoice_id)
            continue
        released += 1
    return released


def _booking_id(reference: str) -> int:
    prefix, _sep, value = reference.partition(":")
    if prefix != "booking" or not value.isdigit():
        raise ValueError(f"not a booking reference: {reference!r}")
    return int(value)
