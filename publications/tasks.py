from celery import shared_task

from notifications.services import outbox_deliver_many
from publications import services


@shared_task(acks_late=True)
def mailing_send_batch(*, mailing_id: int) -> int:
    """Queue one batch of a mailing; safe to run twice (locked row, cursor, unique keys)."""
    return services.mailing_send_batch(mailing_id=mailing_id)


@shared_task
def mailings_continue() -> int:
    return services.mailings_continue()


@shared_task(acks_late=True)
def mailing_deliver(*, message_ids: list[int]) -> int:
    """Send one batch of newsletter messages; each is sent at most once (the outbox locks and marks it)."""
    return outbox_deliver_many(message_ids=message_ids)
