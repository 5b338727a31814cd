"""Fees a sponsor pays: one entry point that asks who pays before invoicing, and the monthly grouped invoice.

Payments stands below the apps that know about sponsors, so it asks through ``fee_sponsor_requested``
and an app above answers. A covered fee is settled at once on the person's own invoice (provider
``sponsor``), which is what lets their application proceed or their seat be held exactly as a paid
invoice would; the money is collected from the sponsor on the month's grouped invoice.
"""

import datetime
import logging
from dataclasses import dataclass
from decimal import Decimal
from functools import partial

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from notifications.services import outbox_enqueue_template
from payments.models import LIVE_STATUSES, Invoice, InvoiceKind, InvoiceStatus, Provider, SponsoredCharge
from payments.selectors import schedule_date
from payments.services.invoices import (
    InvoiceLineDraft,
    invoice_announce,
    invoice_create,
    invoice_move,
    invoice_raise,
    invoice_raise_for_lines,
)
from payments.signals import fee_sponsor_requested, invoice_paid, invoice_refunded

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Sponsor:
    """Who pays a person's fee: ``key`` names them for grouping (e.g. ``organization:12``)."""

    key: str
    name: str
    billing_user: object  # the user the grouped invoice is addressed to (a contact of the sponsor)


def fee_sponsor(*, person, kind: str) -> Sponsor | None:
    """Ask the apps above whether someone else pays ``person``'s fee of ``kind``; the first answer wins.

    Not ``send_robust``: when the question cannot be answered, charging the person instead would be wrong.
    """
    for _receiver, answer in fee_sponsor_requested.send(sender=Invoice, person=person, kind=kind):
        if isinstance(answer, Sponsor):
            return answer
    return None


@transaction.atomic
def invoice_charge(*, payer, kind: str, reference: str, level_code: str | None = None,
                   lines: list[InvoiceLineDraft] | None = None, member_pricing: bool = False,
                   actor=None) -> Invoice:
    """The one way a person's fee is charged: billed to their sponsor when one covers it, else to them.

    Priced from the fee schedule, or from ``lines`` when the selling app prices it (events). Idempotent
    per (kind, reference); an invoice still open when a sponsor starts covering it is settled then.
    """
    if lines is None:
        invoice = invoice_raise(payer=payer, kind=kind, reference=reference, level_code=level_code, actor=actor)
    else:
        invoice = invoice_raise_for_lines(payer=payer, kind=kind, reference=reference, lines=lines,
                                          member_pricing=member_pricing, actor=actor)
    if invoice.status != InvoiceStatus.OPEN:
        return invoice
    sponsor = fee_sponsor(person=invoice.payer, kind=kind)
    if sponsor is None:
        return invoice
    return _sponsor_settle(invoice, sponsor=sponsor, actor=actor)


def _sponsor_settle(invoice: Invoice, *, sponsor: Sponsor, actor) -> Invoice:
    invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
    if invoice.status != InvoiceStatus.OPEN:
        return invoice
    invoice.provider = Provider.SPONSOR
    invoice.payment_reference = sponsor.key
    invoice_move(
        invoice, InvoiceStatus.PAID, actor=actor,
        note=_("Paid by %(sponsor)s: billed on its monthly invoice.") % {"sponsor": sponsor.name},
        update_fields=["provider", "payment_reference"],
    )
    SponsoredCharge.objects.create(
        sponsor_key=sponsor.key, sponsor_name=sponsor.name[:200], billing_user=sponsor.billing_user,
        person=invoice.payer, fee_invoice=invoice, amount=invoice.amount,
        description=_charge_description(invoice),
    )
    transaction.on_commit(partial(invoice_announce, invoice_paid, invoice.pk))
    return invoice


def _charge_description(invoice: Invoice) -> str:
    first_line = invoice.lines.order_by("pk").values_list("description", flat=True).first() or invoice.get_kind_display()
    return f"{invoice.payer.get_full_name() or invoice.payer.email}: {first_line} ({invoice.number})"[:200]


@transaction.atomic
def sponsored_invoice_release(*, invoice: Invoice, actor, reason: str) -> Invoice:
    """Undo a sponsor-settled fee (a cancelled booking or registration): off the month, or credited back."""
    invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
    charge = SponsoredCharge.objects.select_for_update().get(fee_invoice=invoice, is_credit=False)
    if charge.monthly_invoice_id is None:
        charge.released_at = timezone.now()
        charge.save(update_fields=["released_at"])
    else:
        SponsoredCharge.objects.get_or_create(
            fee_invoice=invoice, is_credit=True,
            defaults={
                "sponsor_key": charge.sponsor_key, "sponsor_name": charge.sponsor_name,
                "billing_user": charge.billing_user, "person": charge.person, "amount": -charge.amount,
                "description": (_("Credit: %(line)s") % {"line": charge.description})[:200],
            },
        )
    invoice_move(invoice, InvoiceStatus.REFUNDED, actor=actor,
                 note=_("Taken off the sponsor's invoice: %(reason)s") % {"reason": reason})
    transaction.on_commit(partial(invoice_announce, invoice_refunded, invoice.pk))
    return invoice


def sponsor_month_start(on: datetime.date | None = None) -> datetime.date:
    return (on or schedule_date()).replace(day=1)


def sponsor_invoices_close(*, on: datetime.date | None = None) -> int:
    """Raise each sponsor's grouped invoice for what was charged before this month; returns how many.

    Safe to run twice or at once: each sponsor's charges are locked and re-read, a billed charge is never
    billed again, and the (kind, reference) of a live invoice is unique per sponsor and month.
    """
    month_start = sponsor_month_start(on)
    keys = (
        SponsoredCharge.objects.filter(monthly_invoice__isnull=True, released_at__isnull=True,
                                       created_at__date__lt=month_start)
        .order_by("sponsor_key").values_list("sponsor_key", flat=True).distinct()
    )
    return sum(1 for key in list(keys) if _sponsor_invoice_close(sponsor_key=key, month_start=month_start))


@transaction.atomic
def _sponsor_invoice_close(*, sponsor_key: str, month_start: datetime.date) -> Invoice | None:
    charges = list(
        SponsoredCharge.objects.select_for_update()
        .filter(sponsor_key=sponsor_key, monthly_invoice__isnull=True, released_at__isnull=True,
                created_at__date__lt=month_start)
        .select_related("billing_user").order_by("pk")
    )
    total = sum((charge.amount for charge in charges), Decimal("0.00"))
    if not charges or total <= 0:
        return None  # nothing owed (or credits exceed charges): carried to the next month
    month = month_start - datetime.timedelta(days=1)
    reference = f"{sponsor_key}:{month:%Y-%m}"
    latest = charges[-1]
    invoice = Invoice.objects.filter(kind=InvoiceKind.SPONSORSHIP, reference=reference,
                                     status__in=LIVE_STATUSES).first()
    if invoice is None:
        invoice = invoice_create(
            payer=latest.billing_user, kind=InvoiceKind.SPONSORSHIP, reference=reference,
            lines=[InvoiceLineDraft(description=charge.description, unit_amount=charge.amount) for charge in charges],
            billed_to=latest.sponsor_name,
        )
        outbox_enqueue_template(
            key=f"sponsor-invoice:{invoice.pk}", to=invoice.payer.email,
            template="payments/email/sponsor_invoice",
            context={"invoice": invoice, "payer": invoice.payer, "month": month, "count": len(charges)},
            language=invoice.payer.preferred_language or None,
        )
    SponsoredCharge.objects.filter(pk__in=[charge.pk for charge in charges]).update(monthly_invoice=invoice)
    return invoice
