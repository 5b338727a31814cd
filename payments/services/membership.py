"""Membership: buying a plan, the permanent upgrade, the periods a paid invoice opens, the end a
refund brings, and the reminders before a period ends."""

import datetime
from uuid import uuid4

from dateutil.relativedelta import relativedelta
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import DateField, Exists, ExpressionWrapper, OuterRef, Q
from django.utils.translation import gettext as _

from notifications.models import OutboxMessage
from notifications.services import outbox_enqueue_template
from payments.models import (
    MEMBERSHIP_KINDS,
    Invoice,
    InvoiceKind,
    InvoiceStatus,
    MemberGroup,
    MembershipPeriod,
)
from payments.selectors import (
    membership_active,
    membership_next_start,
    membership_plan,
    membership_status,
    schedule_date,
)
from payments.services.invoices import InvoiceLineDraft, invoice_create, invoice_raise, invoice_void_locked


def membership_fulfil(invoice: Invoice) -> None:
    """Membership invoices are fulfilled here, in the payment's transaction."""
    today = schedule_date()
    if invoice.kind == InvoiceKind.MEMBERSHIP:
        starts_on = membership_next_start(user=invoice.payer, on=today)
        MembershipPeriod.objects.create(
            user=invoice.payer, plan=invoice.membership_plan, invoice=invoice, starts_on=starts_on,
            ends_on=starts_on + relativedelta(months=invoice.membership_months or 12) - datetime.timedelta(days=1),
            group=invoice.membership_group,
        )
    elif invoice.kind == InvoiceKind.MEMBERSHIP_UPGRADE:
        current = membership_active(user=invoice.payer, on=today)
        MembershipPeriod.objects.create(
            user=invoice.payer, plan=MembershipPeriod.PERMANENT, invoice=invoice, starts_on=today, ends_on=None,
            group=current.group if current else "",
        )


def membership_end_on_refund(invoice: Invoice, *, on: datetime.date) -> MembershipPeriod | None:
    """A refunded membership ends its period: called in the refund's transaction, with its (UTC) day.

    The period ends on the refund day (inclusive, like every ``ends_on``). A period that had not begun
    by then was never used and is removed (its history row keeps it); one that already ended earlier
    is left as it was.
    """
    if invoice.kind not in MEMBERSHIP_KINDS:
        return None
    period = MembershipPeriod.objects.select_for_update().filter(invoice=invoice).first()
    if period is None:
        return None
    if period.starts_on > on:
        period.delete()
        return None
    if period.ends_on is None or period.ends_on > on:
        period.ends_on = on
        period.save(update_fields=["ends_on"])
    return period


@transaction.atomic
def membership_purchase(*, user, plan_code: str, group: str) -> Invoice:
    """The invoice for a membership plan, with the member group the buyer states; one open membership
    invoice per person at a time."""
    plan = membership_plan(plan_code)
    if plan is None:
        raise ValidationError(_("Unknown membership plan."))
    if group not in MemberGroup.values:
        raise ValidationError(_("Say which group of members you belong to."))
    # Serialise a person's membership purchases (double clicks, two tabs) on their user row.
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()
    if membership_status(user=user).is_permanent:
        raise ValidationError(_("You are a permanent member already."))
    for invoice in Invoice.objects.select_for_update().filter(
        payer=user, kind=InvoiceKind.MEMBERSHIP, status=InvoiceStatus.OPEN
    ):
        if invoice.membership_plan == plan.code:
            if invoice.membership_group != group:
                invoice.membership_group = group
                invoice.save(update_fields=["membership_group"])
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
        membership_group=group,
    )


def membership_upgrade_request(*, user) -> Invoice:
    """The invoice for the permanent membership upgrade (once per person)."""
    return invoice_raise(payer=user, kind=InvoiceKind.MEMBERSHIP_UPGRADE, reference=f"user:{user.pk}", actor=user)


# Days before a period's end on which its member is reminded; each reminder is sent once per period.
MEMBERSHIP_REMINDER_DAYS = (30, 7)


def membership_reminders_send(*, on: datetime.date | None = None) -> int:
    """Remind members 30 and 7 days before their membership ends; returns the reminders queued.

    A run that was missed catches up with the latest reminder only (a period ending in 5 days gets
    the 7-day one, not the 30-day one too). Periods followed by another one (renewed, or permanent),
    and refunded ones, are not reminded. Idempotent: the outbox key is unique per period and threshold.
    """
    day = on or schedule_date()
    thresholds = sorted(MEMBERSHIP_REMINDER_DAYS, reverse=True)
    # Another period that begins by the day after this one ends and lasts longer: the member renewed.
    following = MembershipPeriod.objects.filter(
        user=OuterRef("user"),
        starts_on__lte=ExpressionWrapper(OuterRef("ends_on") + datetime.timedelta(days=1), output_field=DateField()),
    ).filter(Q(ends_on__isnull=True) | Q(ends_on__gt=OuterRef("ends_on")))
    queued = 0
    for index, days_before in enumerate(thresholds):
        next_days = thresholds[index + 1] if index + 1 < len(thresholds) else -1
        due = (
            MembershipPeriod.objects.filter(
                ends_on__gt=day + datetime.timedelta(days=next_days),
                ends_on__lte=day + datetime.timedelta(days=days_before),
                starts_on__lte=day,
            )
            .exclude(invoice__status=InvoiceStatus.REFUNDED)
            .filter(~Exists(following), user__is_active=True)
            .select_related("user")
            .order_by("pk")
        )
        periods = {f"membership-reminder:{period.pk}:{days_before}": period for period in due}
        sent = set(OutboxMessage.objects.filter(key__in=periods).values_list("key", flat=True))
        for key, period in periods.items():
            if key in sent:
                continue
            # The outbox's unique key makes a second beat racing this one queue nothing more.
            with transaction.atomic():
                outbox_enqueue_template(
                    key=key,
                    to=period.user.email,
                    template="payments/email/membership_reminder",
                    context={"period": period, "member": period.user, "days": (period.ends_on - day).days},
                    language=period.user.preferred_language or None,
                )
            queued += 1
    return queued
