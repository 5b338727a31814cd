"""The mails of the registration journey, through the outbox (one unique key per business event)."""

from django.utils.translation import gettext as _

from events.ical import calendar_bytes
from events.models import Registration
from notifications.models import OutboxMessage
from notifications.services import OutboxDraft, outbox_enqueue_template


def _send(registration: Registration, kind: str, template: str, *, key_suffix: str = "", ics: bool = False,
          **context) -> bool:
    """Queue the mail once per key; False when it was queued before (a rerun, a redelivered task)."""
    key = f"event-registration:{registration.pk}:{kind}{key_suffix}"
    if OutboxMessage.objects.filter(key=key).exists():
        return False
    person = registration.person
    attachments = []
    if ics:
        attachments.append((f"{registration.event.slug}.ics",
                            calendar_bytes([registration.event], name=registration.event.title),
                            "text/calendar"))
    outbox_enqueue_template(
        key=key, to=person.email,
        template=f"events/email/{template}",
        context={"registration": registration, "event": registration.event, "person": person, **context},
        language=person.preferred_language or None, attachments=attachments,
    )
    return True


def registration_confirmed(registration: Registration) -> None:
    _send(registration, "confirmed", "registration_confirmed", ics=True)


def waitlist_joined(registration: Registration) -> None:
    _send(registration, "waitlisted", "waitlist_joined")


def waitlist_offered(registration: Registration) -> None:
    _send(registration, "offered", "waitlist_offered", key_suffix=f":{registration.offer_expires_at:%Y%m%d%H%M%S}")


def waitlist_offer_expired(registration: Registration) -> None:
    _send(registration, "offer-expired", "waitlist_offer_expired",
          key_suffix=f":{registration.offer_expires_at:%Y%m%d%H%M%S}")


def registration_cancelled(registration: Registration) -> None:
    _send(registration, "cancelled", "registration_cancelled")


def registration_released(registration: Registration) -> None:
    _send(registration, "released", "registration_released")


def reminder(registration: Registration, hours: int) -> OutboxDraft:
    """The reminder, for ``outbox_enqueue_many`` (the reminder job queues all of a window's at once)."""
    person = registration.person
    return OutboxDraft(
        key=f"event-registration:{registration.pk}:reminder-{hours}h", to=person.email,
        template="events/email/reminder",
        context={"registration": registration, "event": registration.event, "person": person, "hours": hours},
        language=person.preferred_language or None,
    )


def event_cancelled(registration: Registration) -> None:
    _send(registration, "event-cancelled", "event_cancelled", reason=_("The event was cancelled."))
