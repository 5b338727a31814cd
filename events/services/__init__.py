"""Every change to events and registrations: one function per business action."""

from events.services.attendance import attendance_import, attendance_record
from events.services.events import (
    event_cancel,
    event_finish,
    event_publish,
    reminders_send,
    series_create_next,
)
from events.services.registrations import (
    offer_accept,
    offers_expire,
    place_give_back,
    place_take,
    registration_cancel,
    registration_create,
    registration_payment_received,
    registrations_release_unpaid,
)

__all__ = [
    "attendance_import", "attendance_record", "event_cancel", "event_finish", "event_publish", "offer_accept",
    "offers_expire", "place_give_back", "place_take", "registration_cancel", "registration_create",
    "registration_payment_received", "registrations_release_unpaid", "reminders_send", "series_create_next",
]
