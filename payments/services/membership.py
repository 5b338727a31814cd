"""Membership: buying a plan, the permanent upgrade, and the periods a paid invoice opens."""

import datetime
from uuid import uuid4

from dateutil.relativedelta import relativedelta
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from payments.models import Invoice, InvoiceKind, InvoiceStatus, MembershipPeriod
from payments.selectors import membership_next_start, membership_plan, membership_status, schedule_date
from payments.services.invoices import InvoiceLineDraft, invoice_create, invoice_raise, invoice_void_locked


def membership_fulfil(invoice: Invoice) -> None:
    """Membership invoices are fulfilled here, in the payment's transaction."""
    today = schedule_date()
    if invoice.kind == InvoiceKind.MEMBERSHIP:
        starts_on = membership_next_start(user=invoice.payer, on=today)
        MembershipPeriod.objects.create(
            user=invoice.payer, plan=invoice.membership_plan, invoice=invoice, starts_on=starts_on,
            ends_on=starts_on + relativedelta(months=invoice.membership_months or 12) - datetime.timedelta(days=1),
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
        invoice_void_locked(invoice, actor=user, note=_("Replaced by a purchase of another plan."))
    return invoice_create(
        payer=user,
        kind=InvoiceKind.MEMBERSHIP,
        reference=f"user:{user.pk}:{uuid4().hex[:12]}",
        lines=[InvoiceLineDraft(description=plan.name, unit_amount=plan.fee)],
        actor=user,
        membership_plan=plan.code,
        membership_months=plan.months,
    )


def membership_upgrade_request(*, user) -> Invoice:
    """The invoice for the permanent membership upgrade (once per person)."""
    return invoice_raise(payer=user, kind=InvoiceKind.MEMBERSHIP_UPGRADE, reference=f"user:{user.pk}", actor=user)
