"""The exam emails, all through the outbox (in the caller's transaction, one key per event)."""

from datetime import timedelta
from functools import lru_cache

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, Timezone

from exams.models import Booking, SpecialArrangement, WaitlistEntry
from notifications.services import OutboxDraft, outbox_enqueue_template


@lru_cache(maxsize=64)
def _vtimezone(tzid: str) -> bytes:
    """The VTIMEZONE of a centre's zone, serialized once per process: icalendar derives it from the zone's whole
    table of transitions (about 4 ms each time) and writes a line for each of them (as long again), inside the
    booking's transaction. Only these bytes of it are used, so they serve every invitation in that zone."""
    return Timezone.from_tzid(tzid).to_ical()


def booking_ics(booking: Booking, *, sequence: int = 0, cancelled: bool = False) -> bytes:
    """An iCalendar invitation for the sitting, in the centre's own time zone."""
    session, centre = booking.session, booking.session.centre
    calendar = Calendar()
    calendar.add("prodid", "-//IPMA Portal//Exams//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if cancelled else "PUBLISH")
    event = Event()
    event.add("uid", f"exam-booking-{booking.pk}@ipma-portal")
    event.add("dtstamp", timezone.now())
    event.add("sequence", sequence)
    event.add("dtstart", timezone.localtime(session.starts_at, centre.zone))
    event.add("dtend", timezone.localtime(session.starts_at + timedelta(minutes=session.duration_minutes),
                                          centre.zone))
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    with translation.override(booking.candidate.preferred_language or translation.get_language()):
        event.add("summary", _("IPMA %(level)s exam") % {"level": booking.level.name})
        event.add("location", f"{centre.name}, {' '.join(centre.address.split())}, {centre.city}, "
                              f"{centre.country.name}")
        event.add("description", _("%(level)s (%(code)s) exam at %(centre)s. Bring an official photo ID.") % {
            "level": booking.level.name, "code": booking.level.code, "centre": centre.name})
    calendar.add_component(event)
    zones = b"".join(_vtimezone(tzid) for tzid in sorted(calendar.get_missing_tzids()))
    # What add_missing_timezones() does (the zones the event refers to, except UTC, before the event), with the
    # zones' lines kept per process spliced in where the event begins.
    serialized = calendar.to_ical()
    if not zones:
        return serialized
    start = serialized.index(b"BEGIN:VEVENT")
    return serialized[:start] + zones + serialized[start:]


def _ics_attachment(booking: Booking, **kwargs) -> list[tuple[str, bytes, str]]:
    return [(f"ipma-exam-{booking.pk}.ics", booking_ics(booking, **kwargs), "text/calendar")]


def _draft(*, key: str, booking: Booking, template: str, context: dict | None = None, attachments=()) -> OutboxDraft:
    return OutboxDraft(
        key=key, to=booking.candidate.email, template=f"exams/email/{template}",
        context={"booking": booking, "session": booking.session, "centre": booking.session.centre,
                 "level": booking.level, "candidate": booking.candidate, **(context or {})},
        language=booking.candidate.preferred_language or None, attachments=tuple(attachments),
    )


def _send(**kwargs) -> None:
    draft = _draft(**kwargs)
    outbox_enqueue_template(key=draft.key, to=draft.to, template=draft.template, context=draft.context,
                            language=draft.language, attachments=draft.attachments)


def booking_confirmed(booking: Booking) -> None:
    _send(key=f"booking-confirmed:{booking.pk}", booking=booking, template="booking_confirmed",
          attachments=_ics_attachment(booking))


def booking_rescheduled(booking: Booking, *, event_id: int, sequence: int) -> None:
    _send(key=f"booking-rescheduled:{event_id}", booking=booking, template="booking_rescheduled",
          attachments=_ics_attachment(booking, sequence=sequence))


def booking_cancelled(booking: Booking, *, sequence: int) -> None:
    _send(key=f"booking-cancelled:{booking.pk}", booking=booking, template="booking_cancelled",
          attachments=_ics_attachment(booking, sequence=sequence, cancelled=True))


def booking_released(booking: Booking, *, sequence: int) -> None:
    _send(key=f"booking-released:{booking.pk}", booking=booking, template="booking_released",
          attachments=_ics_attachment(booking, sequence=sequence, cancelled=True))


def booking_reminder(booking: Booking) -> OutboxDraft:
    """The reminder, for ``outbox_enqueue_many`` (the reminder job queues a batch at once)."""
    # Keyed by session: a rescheduled booking gets a reminder for its new session, never two for one.
    return _draft(key=f"booking-reminder:{booking.pk}:{booking.session_id}", booking=booking,
                  template="booking_reminder", attachments=_ics_attachment(booking))


def waitlist_offered(entry: WaitlistEntry) -> None:
    outbox_enqueue_template(
        key=f"waitlist-offer:{entry.pk}", to=entry.candidate.email, template="exams/email/waitlist_offer",
        context={"entry": entry, "session": entry.session, "centre": entry.session.centre, "level": entry.level,
                 "candidate": entry.candidate},
        language=entry.candidate.preferred_language or None,
    )


def arrangement_decided(arrangement: SpecialArrangement) -> None:
    _send(key=f"arrangement-decided:{arrangement.pk}", booking=arrangement.booking,
          template="arrangement_decided", context={"arrangement": arrangement})


def result_recorded(booking: Booking) -> None:
    _send(key=f"exam-result:{booking.pk}", booking=booking, template="result_recorded",
          context={"result": getattr(booking, "result", None)})


def result_corrected(booking: Booking, *, event_id: int) -> None:
    """The corrected result, mailed once per correction (its history line names it)."""
    _send(key=f"exam-result-corrected:{booking.pk}:{event_id}", booking=booking, template="result_recorded",
          context={"result": getattr(booking, "result", None)})
