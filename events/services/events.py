"""An event's own life (publish, cancel, finish), the monthly series, and the reminders before it starts."""

import calendar
import datetime
import logging
import zoneinfo

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from events.models import LIVE, Audience, Event, EventKind, EventPrice, EventStatus, Registration, Series
from events.models import RegistrationStatus as RS
from events.services import billing, mail
from notifications.services import outbox_enqueue_many
from workflows.services import transition

logger = logging.getLogger(__name__)
REMINDER_HOURS = (24, 1)


def _locked(event: Event) -> Event:
    return Event.objects.select_for_update().get(pk=event.pk)


@transaction.atomic
def event_publish(*, event: Event, actor, note: str = "") -> Event:
    """Make a draft public (listed, in the feed, open for registration from its opening time)."""
    event = _locked(event)
    event.full_clean()
    transition(event, EventStatus.PUBLISHED, actor=actor, note=note)
    return event


@transaction.atomic
def event_finish(*, event: Event, actor, note: str = "") -> Event:
    """Close an event that has ended; attendance can still be recorded afterwards."""
    event = _locked(event)
    if event.ends_at > timezone.now():
        raise ValidationError(_("An event can be marked finished only after it has ended."), code="not_ended")
    transition(event, EventStatus.FINISHED, actor=actor, note=note)
    return event


@transaction.atomic
def event_cancel(*, event: Event, actor, note: str = "") -> Event:
    """Cancel the event: every live registration is cancelled, and paid ones are refunded in full."""
    if not (note or "").strip():
        raise ValidationError(_("Give the reason for cancelling the event."), code="no_reason")
    event = _locked(event)
    transition(event, EventStatus.CANCELLED, actor=actor, note=note)
    registrations = Registration.objects.select_for_update(of=("self",)).select_related("person", "event").filter(
        event=event, status__in=LIVE).order_by("pk")
    for registration in registrations:
        previous = registration.status
        registration.cancelled_at = timezone.now()
        transition(registration, RS.CANCELLED, actor=actor, note=note, update_fields=["cancelled_at"])
        if previous == RS.PENDING_PAYMENT:
            billing.event_invoice_void(registration=registration, actor=actor, note=note)
        elif previous == RS.CONFIRMED and registration.price > 0:
            billing.event_invoice_refund(registration=registration, actor=actor, reason=note)
        mail.event_cancelled(registration)
    Event.objects.filter(pk=event.pk).update(places_taken=0)
    return event


# The monthly series -----------------------------------------------------------------------------


def _nth_weekday(year: int, month: int, weekday: int, nth: int) -> datetime.date:
    first = datetime.date(year, month, 1)
    offset = (weekday - first.weekday()) % 7
    day = 1 + offset + 7 * (nth - 1)
    assert day <= calendar.monthrange(year, month)[1]
    return datetime.date(year, month, day)


def series_dates(series: Series, *, after: datetime.datetime, count: int = 12) -> list[datetime.datetime]:
    """The next ``count`` monthly start times after ``after``, in UTC, on the series' local clock."""
    zone = zoneinfo.ZoneInfo(series.time_zone)
    local_after = after.astimezone(zone)
    year, month = local_after.year, local_after.month
    starts = []
    while len(starts) < count:
        day = _nth_weekday(year, month, series.weekday, series.week_of_month)
        start = datetime.datetime.combine(day, series.local_start_time, tzinfo=zone)
        if start > after:
            starts.append(start.astimezone(datetime.UTC))
        month += 1
        if month == 13:
            year, month = year + 1, 1
    return starts


@transaction.atomic
def series_create_next(*, series: Series, actor, count: int = 12) -> list[Event]:
    """Create the series' next ``count`` monthly webinars as drafts, after its latest one (or from now).

    The unique (series, starts_at) constraint makes a double click or a second run create nothing twice.
    """
    Series.objects.select_for_update().filter(pk=series.pk).first()
    latest = series.events.order_by("-starts_at").values_list("starts_at", flat=True).first()
    after = max(latest or timezone.now(), timezone.now())
    created = []
    for starts_at in series_dates(series, after=after, count=count):
        event = Event(
            series=series, kind=EventKind.WEBINAR, slug=f"{slugify(series.title)[:90]}-{starts_at:%Y-%m}",
            starts_at=starts_at, ends_at=starts_at + datetime.timedelta(minutes=series.duration_minutes),
            time_zone=series.time_zone, capacity=series.capacity, language=series.language,
            pdu_value=series.pdu_value, status=EventStatus.DRAFT,
            registration_opens_at=starts_at - datetime.timedelta(days=45),
        )
        for field in ("title", "summary", "description"):
            for code in ("en", "zh_hans"):
                setattr(event, f"{field}_{code}", getattr(series, f"{field}_{code}"))
        try:
            with transaction.atomic():
                event.save()
        except IntegrityError:
            logger.info("Series %s already has an event at %s", series.pk, starts_at)
            continue
        EventPrice.objects.bulk_create([
            EventPrice(event=event, audience=Audience.MEMBER, amount=series.member_price),
            EventPrice(event=event, audience=Audience.NON_MEMBER, amount=series.non_member_price),
        ])
        event.events.create(from_status="", to_status=EventStatus.DRAFT, actor=actor,
                            note=_("Created from the series %(series)s.") % {"series": series.title})
        created.append(event)
    return created


# Reminders ------------------------------------------------------------------------------------


def reminders_send(*, now: datetime.datetime | None = None) -> int:
    """Remind confirmed registrants 24 hours and 1 hour before the start, each once.

    Each mail's outbox key is unique per registration and reminder, so a second run (or two beats at
    once) queues nothing twice. Returns how many reminders this run queued.
    """
    now = now or timezone.now()
    queued = 0
    for hours in REMINDER_HOURS:
        # The window reaches back to the next-shorter reminder, so a beat that skipped a run still reminds.
        shorter = min((h for h in REMINDER_HOURS if h < hours), default=0)
        window_start = now + datetime.timedelta(hours=shorter)
        rows = (Registration.objects.filter(
            status=RS.CONFIRMED, event__status=EventStatus.PUBLISHED,
            event__starts_at__gt=window_start, event__starts_at__lte=now + datetime.timedelta(hours=hours),
        ).select_related("event", "person").order_by("pk"))
        # One insert per window: keys already queued (a rerun, two beats) are skipped by the database.
        queued += outbox_enqueue_many(mail.reminder(registration, hours) for registration in rows)
    return queued
