from celery import shared_task

from notifications.services import (
    OutboxDeliveryError,
    outbox_deliver,
    outbox_deliver_pending,
    outbox_purge_sent,
)


@shared_task(autoretry_for=(OutboxDeliveryError,), retry_backoff=True, retry_backoff_max=600, max_retries=8)
def outbox_send(*, message_id: int) -> bool:
    return outbox_deliver(message_id=message_id)


@shared_task
def outbox_sweep() -> int:
    return outbox_deliver_pending()


@shared_task
def outbox_purge_sent_bodies() -> int:
    return outbox_purge_sent()
