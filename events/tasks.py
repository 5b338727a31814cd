"""Celery entry points for the periodic jobs; each is idempotent, so a redelivered task is harmless."""

from celery import shared_task

from events import services


@shared_task
def registrations_release_unpaid() -> int:
    return services.registrations_release_unpaid()


@shared_task
def offers_expire() -> int:
    return services.offers_expire()


@shared_task
def reminders_send() -> int:
    return services.reminders_send()
