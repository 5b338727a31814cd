from celery import shared_task

from applicants.confirmations import hours_confirmations_expire as _expire_all


@shared_task
def hours_confirmations_expire() -> int:
    """Close the hours confirmations nobody answered in time (idempotent)."""
    return _expire_all()
