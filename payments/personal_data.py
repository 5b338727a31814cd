"""Invoices and membership in the person's data copy and their erasure (PaymentsConfig hooks).

Invoices are kept after an account is erased, as accounting law requires (privacy notice); the
account they point to no longer carries a name or an address.
"""

from django.utils.translation import gettext as _

from applicants.personal_data import rows
from payments.models import Invoice, InvoiceStatus, MembershipPeriod


def data(user) -> dict:
    return {
        "invoices": rows(Invoice.objects.filter(payer=user).order_by("created_at"), "number", "kind", "reference",
                         "currency", "amount", "status", "provider", "created_at", "paid_at"),
        "membership": rows(MembershipPeriod.objects.filter(user=user).order_by("starts_on"), "plan", "starts_on",
                           "ends_on"),
    }


def erase_blockers(user) -> list[str]:
    return [_("Invoice %(number)s is open: pay it or ask the committee to void it.") % {"number": invoice.number}
            for invoice in Invoice.objects.filter(payer=user, status=InvoiceStatus.OPEN).order_by("created_at")]
