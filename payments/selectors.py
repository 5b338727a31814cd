"""Reads: the fee schedule in effect, membership, and which invoices a person may see."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import F, Q, QuerySet, Sum
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_noop

from ipma_portal.reference_cache import ReferenceData
from payments.models import (
    CURRENCY,
    Fee,
    FeeKind,
    Invoice,
    InvoiceKind,
    InvoiceStatus,
    MembershipPeriod,
    SponsoredCharge,
)

# The fee schedule's dates are UTC days, whatever time zone the viewer is in.
SCHEDULE_TIME_ZONE = datetime.UTC


def schedule_date(at: datetime.datetime | None = None) -> datetime.date:
    """The fee-schedule (UTC) day of a moment, by default now."""
    return timezone.localdate(at or timezone.now(), timezone=SCHEDULE_TIME_ZONE)


def fees_in_effect(*, on: datetime.date | None = None) -> QuerySet[Fee]:
    """For each (kind, level), the row with the latest ``effective_from`` not after ``on``: one query."""
    on = on or schedule_date()
    return (
        Fee.objects.filter(effective_from__lte=on)
        .order_by("kind", "level_id", "-effective_from")
        .distinct("kind", "level_id")
        .select_related("level")
    )


@dataclass(frozen=True)
class FeeSchedule:
    """The fees in effect on a day by (kind, level code; None for a fee of no level), and the levels by code."""

    fees: dict[tuple[str, str | None], Fee]
    levels: dict[str, object]


def _fee_schedule(on: datetime.date) -> FeeSchedule:
    from accreditation.models import Level

    return FeeSchedule(
        fees={(fee.kind, fee.level.code if fee.level_id else None): fee for fee in fees_in_effect(on=on)},
        levels={level.code: level for level in Level.objects.all()},
    )


# What every invoice is priced from: two queries a day per process, then kept until a fee or a level changes.
FEE_SCHEDULES = ReferenceData("fee-schedules", models=["payments.Fee", "accreditation.Level"], build=_fee_schedule)


def fee_in_effect(*, kind: str, level_code: str | None = None, on: datetime.date | None = None) -> Fee | None:
    """The price of one fee on a day (None when the schedule has no such row yet)."""
    return FEE_SCHEDULES.get(on or schedule_date()).fees.get((kind, level_code or None))


def level_priced(code: str):
    """The level an invoice is raised for, by its code (None for an unknown code), from the kept schedule."""
    return FEE_SCHEDULES.get(schedule_date()).levels.get(code)


@dataclass(frozen=True)
class FeeRow:
    level_code: str
    level_name: str
    member: Decimal | None
    non_member: Decimal | None
    exam: Decimal | None


@dataclass(frozen=True)
class FeeTable:
    """The public fee table: one row per level (iterate it), plus the fees that apply to every level."""

    rows: list[FeeRow]
    membership_upgrade: Decimal | None = None
    programme_accreditation: Decimal | None = None
    renewal: Decimal | None = None
    on: datetime.date | None = None
    currency: str = CURRENCY
    plans: list["MembershipPlan"] = field(default_factory=list)

    def __iter__(self):
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)


def fee_table(*, on: datetime.date | None = None) -> FeeTable:
    """The fee schedule in effect on a day (today by default), shaped for the public pages: two queries the
    first time, then kept in memory until a fee or a level changes."""
    # Per language too: the rows hold the levels' names.
    return FEE_TABLES.get((on or schedule_date(), translation.get_language()))


def _fee_table(on_and_language: tuple[datetime.date, str]) -> FeeTable:
    from accreditation.models import Level

    on, _language = on_and_language
    prices: dict[tuple[str, int | None], Decimal] = {
        (fee.kind, fee.level_id): fee.amount for fee in fees_in_effect(on=on)
    }
    rows = [
        FeeRow(
            level_code=level.code,
            level_name=level.name,
            member=prices.get((FeeKind.ACCREDITATION_MEMBER, level.pk)),
            non_member=prices.get((FeeKind.ACCREDITATION_NON_MEMBER, level.pk)),
            exam=prices.get((FeeKind.EXAM, level.pk)),
        )
        for level in Level.objects.order_by("rank")
    ]
    return FeeTable(
        rows=rows,
        membership_upgrade=prices.get((FeeKind.MEMBERSHIP_UPGRADE, None)),
        programme_accreditation=prices.get((FeeKind.PROGRAMME_ACCREDITATION, None)),
        renewal=prices.get((FeeKind.RENEWAL, None)),
        on=on,
        plans=membership_plans(),
    )


FEE_TABLES = ReferenceData("fee-tables", models=["payments.Fee", "accreditation.Level"], build=_fee_table)


# Membership ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MembershipPlan:
    code: str
    name: str
    fee: Decimal
    months: int


# The names of the plans that settings.PAYMENTS_MEMBERSHIP_PLANS offers by default, which the catalog translates; a
# name an operator configured is shown as written.
DEFAULT_PLAN_NAMES = (gettext_noop("Annual membership"), gettext_noop("Five-year membership"))


def membership_plans() -> list[MembershipPlan]:
    """The plans on offer, from ``settings.PAYMENTS_MEMBERSHIP_PLANS``, named in the language in use."""
    return [
        MembershipPlan(code=code, name=_plan_name(str(plan["name"])), fee=Decimal(str(plan["fee"])),
                       months=int(plan["months"]))
        for code, plan in settings.PAYMENTS_MEMBERSHIP_PLANS.items()
    ]


def _plan_name(name: str) -> str:
    return gettext(name) if name in DEFAULT_PLAN_NAMES else name


def membership_plan(code: str) -> MembershipPlan | None:
    return next((plan for plan in membership_plans() if plan.code == code), None)


def _active_on(on: datetime.date) -> Q:
    return Q(starts_on__lte=on) & (Q(ends_on__isnull=True) | Q(ends_on__gte=on))


def membership_active(*, user, on: datetime.date | None = None) -> MembershipPeriod | None:
    """The period that makes ``user`` a member on a day (a permanent one first), or None."""
    if not user.is_authenticated:
        return None
    on = on or schedule_date()
    return (
        MembershipPeriod.objects.filter(_active_on(on), user=user)
        .order_by(F("ends_on").desc(nulls_first=True))
        .first()
    )


def membership_days(*, user, on: datetime.date | None = None) -> int:
    """Days of membership up to and including ``on``, overlapping periods counted once."""
    on = on or schedule_date()
    spans = sorted(
        (start, min(end or on, on))
        for start, end in MembershipPeriod.objects.filter(user=user, starts_on__lte=on).values_list(
            "starts_on", "ends_on"
        )
    )
    days, covered_until = 0, None
    for start, end in spans:
        if covered_until is not None and start <= covered_until:
            start = covered_until + datetime.timedelta(days=1)
        if end >= start:
            days += (end - start).days + 1
            covered_until = end if covered_until is None else max(covered_until, end)
    return days


def membership_upgrade_days_required() -> int:
    # "after 5 years of membership": counted in days, a year being 365.25 days (leap years included).
    return int(settings.PAYMENTS_MEMBERSHIP_UPGRADE_AFTER_YEARS * 365.25 + 0.5)


@dataclass(frozen=True)
class MembershipStatus:
    active: MembershipPeriod | None
    days: int
    days_required: int

    @property
    def is_member(self) -> bool:
        return self.active is not None

    @property
    def is_permanent(self) -> bool:
        return self.active is not None and self.active.is_permanent

    @property
    def years(self) -> float:
        return self.days / 365.25

    @property
    def upgrade_allowed(self) -> bool:
        """A current member with enough years who is not permanent yet may buy the upgrade."""
        return self.is_member and not self.is_permanent and self.days >= self.days_required


def membership_status(*, user, on: datetime.date | None = None) -> MembershipStatus:
    on = on or schedule_date()
    return MembershipStatus(
        active=membership_active(user=user, on=on),
        days=membership_days(user=user, on=on),
        days_required=membership_upgrade_days_required(),
    )


def membership_next_start(*, user, on: datetime.date | None = None) -> datetime.date:
    """Where a newly bought period begins: the day after the current membership ends, else today."""
    on = on or schedule_date()
    active = membership_active(user=user, on=on)
    if active is None:
        return on
    latest_end = (
        MembershipPeriod.objects.filter(user=user, ends_on__gte=on).order_by("-ends_on").values_list(
            "ends_on", flat=True
        ).first()
    )
    return (latest_end or on) + datetime.timedelta(days=1)


# Invoices -------------------------------------------------------------------------------------


def invoices_visible_to(user) -> QuerySet[Invoice]:
    """The one permission rule for invoices: the payer sees theirs; staff with the view permission see all."""
    if not user.is_authenticated:
        return Invoice.objects.none()
    invoices = Invoice.objects.select_related("payer", "level")
    if user.is_staff and user.has_perm("payments.view_invoice"):
        return invoices
    return invoices.filter(payer=user)


def invoices_of(*, user) -> QuerySet[Invoice]:
    """The person's own invoices, newest first (the "my invoices" page)."""
    return Invoice.objects.filter(payer=user).select_related("level").order_by("-created_at")


def invoice_is_paid(*, kind: str, reference: str) -> bool:
    """Whether the invoice for this business object is paid (a refunded one no longer counts)."""
    return Invoice.objects.filter(kind=kind, reference=reference, status=InvoiceStatus.PAID).exists()


def invoice_for(*, kind: str, reference: str) -> Invoice | None:
    """The live (open or paid) invoice for a business object, else the latest one."""
    invoices = Invoice.objects.filter(kind=kind, reference=reference)
    live = invoices.filter(status__in=[InvoiceStatus.OPEN, InvoiceStatus.PAID]).first()
    return live or invoices.order_by("-created_at").first()


def sponsor_charges_open(*, sponsor_key: str) -> QuerySet[SponsoredCharge]:
    """A sponsor's running charges (not yet on a grouped invoice), oldest first."""
    return (SponsoredCharge.objects.filter(sponsor_key=sponsor_key, monthly_invoice__isnull=True,
                                           released_at__isnull=True)
            .order_by("created_at", "pk"))


def sponsor_charges_total(*, sponsor_key: str) -> Decimal:
    return sponsor_charges_open(sponsor_key=sponsor_key).aggregate(total=Sum("amount"))["total"] or Decimal("0.00")


def sponsor_invoices(*, sponsor_key: str) -> QuerySet[Invoice]:
    """A sponsor's grouped monthly invoices, newest first (their references start with the sponsor's key)."""
    return (Invoice.objects.filter(kind=InvoiceKind.SPONSORSHIP, reference__startswith=f"{sponsor_key}:")
            .order_by("-created_at"))
