"""Celery entry points; each is idempotent (see the services they call)."""

from celery import shared_task

from exams.services import booking_reminders_send, bookings_release_unpaid, waitlist_offers_process


@shared_task
def booking_reminders() -> int:
    return booking_reminders_send()


@shared_task
def waitlist_offers() -> dict[str, int]:
    return waitlist_offers_process()


@shared_task
def release_unpaid() -> int:
    return bookings_release_unpaid()
