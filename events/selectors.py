"""Reads for the event pages, the dashboard and the admin: prices, listings, who may see what."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.utils import timezone

from events.models import (
    HOLDS_PLACE,
    LIVE,
    Audience,
    Event,
    EventPrice,
    EventStatus,
    PDUCredit,
    Registration,
    RegistrationStatus,
)
from payments.selectors import membership_active, schedule_date

JOIN_OPENS_BEFORE = datetime.timedelta(minutes=30)


# Prices ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PriceQuote:
    """What one person pays today, and what the other audience would pay (to show the member discount)."""

    amount: Decimal
    member: bool
    member_amount: Decimal
    non_member_amount: Decimal
    early_bird: bool

    @property
    def is_free(self) -> bool:
        return self.amount == 0

    @property
    def member_saving(self) -> Decimal:
        return max(self.non_member_amount - self.member_amount, Decimal("0"))


def _price_in_effect(prices: list[EventPrice], audience: str, on: datetime.date) -> EventPrice | None:
    rows = [p for p in prices if p.audience == audience and p.effective_from <= on]
    return max(rows, key=lambda p: p.effective_from, default=None)


def price_quote(event: Event, *, user=None, on: datetime.date | None = None) -> PriceQuote:
    """The price on ``on`` (today by default): the member price only while a membership is valid that day.

    An event without a price row for an audience is free for it.
    """
    on = on or schedule_date()
    prices = list(event.prices.all())
    member_row = _price_in_effect(prices, Audience.MEMBER, on)
    non_member_row = _price_in_effect(prices, Audience.NON_MEMBER, on)
    member_amount = member_row.amount_on(on) if member_row else Decimal("0")
    non_member_amount = non_member_row.amount_on(on) if non_member_row else Decimal("0")
    is_member = bool(user and user.is_authenticated and membership_active(user=user, on=on) is not None)
    row = member_row if is_member else non_member_row
    early = bool(row and row.early_bird_until and on <= row.early_bird_until)
    return PriceQuote(
        amount=member_amount if is_member else non_member_amount, member=is_member,
        member_amount=member_amount, non_member_amount=non_member_amount, early_bird=early,
    )


# Listings -------------------------------------------------------------------------------------


def events_public() -> QuerySet[Event]:
    """Published and finished events, with what a listing shows prefetched (constant queries)."""
    return Event.objects.published().for_listing()


def events_upcoming(now: datetime.datetime | None = None) -> QuerySet[Event]:
    return events_public().filter(status=EventStatus.PUBLISHED, ends_at__gt=now or timezone.now()).order_by(
        "starts_at", "pk")


def events_past(now: datetime.datetime | None = None) -> QuerySet[Event]:
    return events_public().filter(ends_at__lte=now or timezone.now()).order_by("-starts_at", "-pk")


def event_for_page(slug: str) -> Event | None:
    return (
        events_public().filter(slug=slug)
        .prefetch_related("prices", Prefetch("programme__speakers"))
        .first()
    )


def registration_of(event: Event, user) -> Registration | None:
    """The person's live registration for the event, else their latest one."""
    if not user.is_authenticated:
        return None
    rows = list(Registration.objects.filter(event=event, person=user).order_by("-created_at", "-pk")[:5])
    return next((r for r in rows if r.status in LIVE), rows[0] if rows else None)


def registrations_visible_to(user) -> QuerySet[Registration]:
    """The one permission rule for registrations: a person sees their own; staff see all."""
    if not user.is_authenticated:
        return Registration.objects.none()
    if user.is_staff and user.has_perm("events.view_registration"):
        return Registration.objects.all()
    return Registration.objects.filter(person=user)


# Joining and materials ------------------------------------------------------------------------


def join_allowed(registration: Registration | None, now: datetime.datetime | None = None) -> bool:
    """A confirmed (paid or free) registrant, from 30 minutes before the start until the end."""
    if registration is None or registration.status != RegistrationStatus.CONFIRMED:
        return False
    event = registration.event
    now = now or timezone.now()
    return (event.status == EventStatus.PUBLISHED and bool(event.join_url)
            and event.starts_at - JOIN_OPENS_BEFORE <= now < event.ends_at)


def materials_allowed(event: Event, user) -> bool:
    """Recordings and slides: members with a valid membership today, and the event's registrants."""
    if not user.is_authenticated:
        return False
    if user.is_staff and user.has_perm("events.view_event"):
        return True
    if membership_active(user=user) is not None:
        return True
    return Registration.objects.filter(event=event, person=user, status=RegistrationStatus.CONFIRMED).exists()


# Dashboard and admin figures ------------------------------------------------------------------


def registrations_panel(user) -> dict:
    registrations = list(
        Registration.objects.filter(person=user).exclude(status__in=[RegistrationStatus.EXPIRED])
        .select_related("event").order_by("-event__starts_at")[:20]
    )
    credited = (PDUCredit.objects.filter(registration__person=user, withdrawn_at__isnull=True)
                .aggregate(total=Sum("hours"))["total"]) or Decimal("0")
    now = timezone.now()
    upcoming = [r for r in registrations if r.status == RegistrationStatus.CONFIRMED and r.event.ends_at > now]
    return {"registrations": registrations, "upcoming": upcoming, "pdus_from_events": credited,
            "join_opens_before_minutes": int(JOIN_OPENS_BEFORE.total_seconds() // 60)}


def events_with_figures(queryset: QuerySet[Event]) -> QuerySet[Event]:
    """Registrations, attendance and revenue per event, in the listing's one query."""
    return queryset.annotate(
        registered=Count("registrations", filter=Q(registrations__status__in=HOLDS_PLACE), distinct=True),
        waiting=Count("registrations", filter=Q(registrations__status=RegistrationStatus.WAITLISTED),
                      distinct=True),
        attended_count=Count("registrations", filter=Q(registrations__attended=True), distinct=True),
        revenue=Sum("registrations__price", filter=Q(registrations__status=RegistrationStatus.CONFIRMED)),
    )


def attendance_share() -> float:
    return settings.EVENTS_ATTENDANCE_SHARE
