"""Reads of an applicant's profile, hours and ethics adoption, for views and for other apps."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Max, Min, Q, QuerySet, Sum
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


def hours_totals(user: User) -> HoursTotals:
    """Total hours that count, per format, confirmed by mentees, and the period covered, in one query.

    Entries the committee rejected after a mentee's dispute count for nothing. Read once per read-only page.
    """
    return memoized(("applicants:hours-totals", user.pk), lambda: _hours_totals(user))


def _hours_totals(user: User) -> HoursTotals:
    sums = {f"hours_{value}": Sum("hours", filter=Q(format=value)) for value in MentoringFormat.values}
    row = HoursEntry.objects.filter(user=user).exclude(status=ConfirmationStatus.REJECTED).aggregate(
        total=Sum("hours"), entries=Count("pk"), first=Min("started_on"), last=Max("ended_on"),
        confirmed=Sum("hours", filter=Q(status__in=CONFIRMED_STATUSES)),
        awaiting=Sum("hours", filter=Q(status=ConfirmationStatus.REQUESTED)), **sums
    )
    return HoursTotals(
        confirmed=row["confirmed"] or Decimal("0"),
        awaiting=row["awaiting"] or Decimal("0"),
        total=row["total"] or Decimal("0"),
        entries=row["entries"],
        by_format={
            label: row[f"hours_{value}"] for value, label in MentoringFormat.choices if row[f"hours_{value}"]
        },
        first_started_on=row["first"],
        last_ended_on=row["last"],
    )


def ethics_current() -> EthicsCode | None:
    """The newest published version of the code, or None before the first is published."""
    return memoized("applicants:ethics-current", _ethics_current)


def _ethics_current() -> EthicsCode | None:
    return EthicsCode.objects.filter(published_at__lte=timezone.now()).order_by("-version").first()


def ethics_adoption_of(user: User, code: EthicsCode | None) -> EthicsAdoption | None:
    if code is None or not user.is_authenticated:
        return None
    return memoized(("applicants:ethics-adoption", user.pk, code.pk),
                    lambda: EthicsAdoption.objects.filter(user=user, code=code).first())


def ethics_adoption_current(user: User) -> tuple[EthicsCode | None, EthicsAdoption | None]:
    """The current version and the user's adoption of it (None if they have not adopted it)."""
    code = ethics_current()
    return code, ethics_adoption_of(user, code)
