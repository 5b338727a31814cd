"""iCalendar (RFC 5545) for the public feed and the attachment of confirmation mails."""

from collections.abc import Iterable

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar
from icalendar import Event as VEvent

from events.models import Event, EventStatus

PRODID = "-//IPMA Portal//Events//EN"


def _vevent(event: Event) -> VEvent:
    url = settings.SITE_URL.rstrip("/") + reverse("events:detail", args=[event.slug])
    vevent = VEvent()
    vevent.add("uid", f"event-{event.pk}@{settings.SITE_URL.split('//')[-1].split('/')[0]}")
    vevent.add("dtstamp", timezone.now())
    vevent.add("dtstart", event.starts_at)
    vevent.add("dtend", event.ends_at)
    vevent.add("summary", event.title)
    vevent.add("description", f"{event.summary}\n\n{url}".strip())
    vevent.add("location", event.venue or url)
    vevent.add("url", url)
    # The join link is never in a calendar: the feed is public and calendars are shared.
    vevent.add("status", "CANCELLED" if event.status == EventStatus.CANCELLED else "CONFIRMED")
    vevent.add("sequence", int(event.starts_at.timestamp()) % 100000)
    return vevent


def calendar_bytes(events: Iterable[Event], *, name: str) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    for event in events:
        calendar.add_component(_vevent(event))
    return calendar.to_ical()
