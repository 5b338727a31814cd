"""Event fees through payments: the event's own price on an invoice of kind "event"."""

from decimal import Decimal

from django.utils.translation import gettext as _

from payments.models import Invoice, InvoiceKind
from payments.selectors import invoice_for
from payments.services import InvoiceLineDraft, invoice_charge, invoice_refund, invoice_void

INVOICE_KIND = InvoiceKind.EVENT


def event_invoice_raise(*, registration, actor) -> Invoice:
    """The invoice for a priced registration (idempotent per registration while one is open or paid)."""
    label = _("Member registration") if registration.member_pricing else _("Registration")
    description = f"{label}: {registration.event.title} ({registration.event.starts_at:%Y-%m-%d})"
    line = InvoiceLineDraft(description=description[:200], unit_amount=Decimal(registration.price))
    return invoice_charge(
        payer=registration.person, kind=INVOICE_KIND, reference=registration.invoice_reference, lines=[line],
        member_pricing=registration.member_pricing, actor=actor,
    )


def event_invoice(registration) -> Invoice | None:
    return invoice_for(kind=INVOICE_KIND, reference=registration.invoice_reference)


def event_invoice_void(*, registration, actor, note: str) -> None:
    invoice_void(kind=INVOICE_KIND, reference=registration.invoice_reference, actor=actor, note=note)


def event_invoice_refund(*, registration, actor, reason: str) -> None:
    invoice_refund(kind=INVOICE_KIND, reference=registration.invoice_reference, actor=actor, reason=reason)
