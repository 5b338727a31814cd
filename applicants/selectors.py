"""Reads of an applicant's profile, hours and ethics adoption, for views and for other apps."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Max, Min, QuerySet, Sum
from django.utils import timezone

from applicants.models import (
    CONFIRMED_STATUSES,
    ConfirmationStatus,
    EthicsAdoption,
    EthicsCode,
    HoursEntry,
    MentoringFormat,
    Profile,
    User,
)
from ipma_portal.page_memo import memoized
from ipma_portal.reference_cache import ReferenceData


def profile_of(user: User) -> Profile:
    """The user's profile, unsaved and empty if they have not filled it in yet."""
    try:
        return user.profile
    except Profile.DoesNotExist:
        return Profile(user=user)


def hours_entries_of(user: User) -> QuerySet[HoursEntry]:
    return HoursEntry.objects.filter(user=user).order_by("-started_on", "-pk")


@dataclass(frozen=True)
class HoursTotals:
    total: Decimal
    entries: int
    by_format: dict[str, Decimal]
    first_started_on: object
    last_ended_on: object
    confirmed: Decimal = Decimal("0")
    awaiting: Decimal = Decimal("0")
    listed: int = 0  # every entry, the rejected ones too: the rows the hours page lists


def hours_totals(user: User) -> HoursTotals:
    """Total hours that count, per format, confirmed by mentees, and the period covered, in one query.

    Entries the committee rejected after a mentee's dispute count for nothing. Read once per read-only page.
    """
    return memoized(("applicants:hours-totals", user.pk), lambda: _hours_totals(user))


def _hours_totals(user: User) -> HoursTotals:
    # One row per format and status (a few dozen at most), added up here: the database groups the entries
    # at once, where an aggregate with a filter per figure cost more to build than to run.
    groups = HoursEntry.objects.filter(user=user).order_by().values("format", "status").annotate(
        hours=Sum("hours"), entries=Count("pk"), first=Min("started_on"), last=Max("ended_on"),
    )
    zero = Decimal("0")
    total = confirmed = awaiting = zero
    entries = listed = 0
    per_format: dict[str, Decimal] = {}
    firsts, lasts = [], []
    for group in groups:
        listed += group["entries"]
        if group["status"] == ConfirmationStatus.REJECTED:  # listed on the hours page, counted nowhere
            continue
        total += group["hours"]
        entries += group["entries"]
        per_format[group["format"]] = per_format.get(group["format"], zero) + group["hours"]
        firsts.append(group["first"])
        lasts.append(group["last"])
        if group["status"] in CONFIRMED_STATUSES:
            confirmed += group["hours"]
        elif group["status"] == ConfirmationStatus.REQUESTED:
            awaiting += group["hours"]
    return HoursTotals(
        confirmed=confirmed,
        awaiting=awaiting,
        total=total,
        entries=entries,
        listed=listed,
        by_format={label: per_format[value] for value, label in MentoringFormat.choices if per_format.get(value)},
        first_started_on=min(firsts, default=None),
        last_ended_on=max(lasts, default=None),
    )


def _ethics_codes() -> list[EthicsCode]:
    return list(EthicsCode.objects.filter(published_at__isnull=False).order_by("-version"))


# The versions of the code (a handful, changed once in years), newest first, kept per process: the application
# pages and the dashboard ask for the current one on every request. A version scheduled for later is kept
# too, and becomes current when its time comes (the choice is made at each read).
ETHICS_CODES = ReferenceData("ethics-codes", models=["applicants.EthicsCode"], build=_ethics_codes)


def ethics_current(*, fresh: bool = False) -> EthicsCode | None:
    """The newest published version of the code, or None before the first is published.

    ``fresh`` reads the database (for a write, which must not act on a version another process replaced
    within the last second); otherwise the kept versions answer.
    """
    if fresh:
        return EthicsCode.objects.filter(published_at__lte=timezone.now()).order_by("-version").first()
    return memoized("applicants:ethics-current", _ethics_current)


def _ethics_current() -> EthicsCode | None:
    now = timezone.now()
    return next((code for code in ETHICS_CODES.get() if code.published_at <= now), None)


def ethics_adoption_of(user: User, code: EthicsCode | None) -> EthicsAdoption | None:
    if code is None or not user.is_authenticated:
        return None
    return memoized(("applicants:ethics-adoption", user.pk, code.pk),
                    lambda: EthicsAdoption.objects.filter(user=user, code=code).first())


def ethics_adoption_current(user: User) -> tuple[EthicsCode | None, EthicsAdoption | None]:
    """The current version and the user's adoption of it (None if they have not adopted it)."""
    code = ethics_current()
    return code, ethics_adoption_of(user, code)
