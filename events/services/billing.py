"""Event fees through payments.

payments prices its invoices from its own fee schedule and has no invoice kind for events yet, so the
event invoice is written here from payments' models, the way ``payments.services._invoice_create`` does.
TO MOVE into payments: an ``InvoiceKind.EVENT`` and ``invoice_raise_for_lines(payer, kind, reference,
lines, member_pricing)``; then this module becomes a call to it.
"""

from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from payments.models import LIVE_STATUSES, Invoice, InvoiceEvent, InvoiceLine, InvoiceStatus
from payments.selectors import invoice_for, schedule_date
from payments.services import invoice_refund, invoice_void
from workflows.numbers import number_next

INVOICE_KIND = "event"


def event_invoice_raise(*, registration, actor) -> Invoice:
    """The invoice for a priced registration (idempotent per registration while one is open or paid)."""
    reference = registration.invoice_reference
    existing = Invoice.objects.filter(kind=INVOICE_KIND, reference=reference, status__in=LIVE_STATUSES).first()
    if existing is not None:
        return existing
    label = _("Member registration") if registration.member_pricing else _("Registration")
    description = f"{label}: {registration.event.title} ({registration.event.starts_at:%Y-%m-%d})"
    amount = Decimal(registration.price)
    try:
        with transaction.atomic():
            invoice = Invoice.objects.create(
                number=f"IPMA-{schedule_date().year}-{number_next('payments_invoice_number_seq'):06d}",
                payer=registration.person, kind=INVOICE_KIND, reference=reference,
                member_pricing=registration.member_pricing, amount=amount,
            )
            InvoiceLine.objects.create(invoice=invoice, description=description[:200], quantity=1,
                                       unit_amount=amount, amount=amount)
            InvoiceEvent.objects.create(invoice=invoice, actor=actor, to_status=InvoiceStatus.OPEN)
    except IntegrityError:
        existing = Invoice.objects.filter(kind=INVOICE_KIND, reference=reference, status__in=LIVE_STATUSES).first()
        if existing is None:
            raise
        return existing
    return invoice


def event_invoice(registration) -> Invoice | None:
    return invoice_for(kind=INVOICE_KIND, reference=registration.invoice_reference)


def event_invoice_void(*, registration, actor, note: str) -> None:
    invoice_void(kind=INVOICE_KIND, reference=registration.invoice_reference, actor=actor, note=note)


def event_invoice_refund(*, registration, actor, reason: str) -> None:
    invoice_refund(kind=INVOICE_KIND, reference=registration.invoice_reference, actor=actor, reason=reason)
