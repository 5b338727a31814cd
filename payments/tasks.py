"""Celery entry points; each calls a service and is safe to run twice."""

from celery import shared_task

from payments.services import (
    membership_reminders_send,
    refund_submit,
    refunds_submit_pending,
    sponsor_invoices_close,
)


@shared_task
def refund_submit_task(*, refund_id: int) -> bool:
    return refund_submit(refund_id=refund_id)


@shared_task
def refunds_submit() -> int:
    return refunds_submit_pending()


@shared_task
def membership_reminders() -> int:
    return membership_reminders_send()


@shared_task
def sponsor_invoices() -> int:
    return sponsor_invoices_close()
