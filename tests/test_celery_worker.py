"""Celery against a real Redis and a real worker, and the outbox through a broker outage.

Each test gets a Redis server of its own (the same redis-server the embedded default runs), so
stopping it is a real outage that touches nothing else.
"""

import time

import kombu.pools
import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail
from django.db import transaction

from ipma_portal import embedded
from ipma_portal.celery import app as celery_app
from notifications.models import OutboxMessage
from notifications.services import outbox_enqueue
from notifications.tasks import outbox_sweep

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def _use_broker(url: str) -> None:
    # Drop the pooled connections first, so the next publish connects to the new URL.
    if celery_app._pool is not None:
        celery_app._pool.force_close_all()
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    kombu.pools.reset()
    celery_app.conf.broker_url = url


@pytest.fixture
def broker(tmp_path):
    directory = tmp_path / "redis"
    url = embedded.redis_server_start(directory)
    original = celery_app.conf.broker_url
    _use_broker(url)

    class Broker:
        def stop(self):
            embedded.redis_server_stop(directory)

        def start(self):
            nonlocal url
            url = embedded.redis_server_start(directory)
            _use_broker(url)

    yield Broker()
    embedded.redis_server_stop(directory)
    _use_broker(original)


def _wait_until_sent(message: OutboxMessage, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        message.refresh_from_db()
        if message.sent_at:
            return
        time.sleep(0.1)
    raise AssertionError(f"outbox message {message.pk} was not sent within {timeout}s")


def test_worker_sends_outbox_message_queued_in_a_transaction(broker):
    with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        with transaction.atomic():
            message = outbox_enqueue(key="worker:1", to="a@example.org", subject="Hello", body="From the worker")

        _wait_until_sent(message)

    assert [m.subject for m in mail.outbox] == ["Hello"]


def test_broker_outage_commits_change_and_mail_goes_out_when_redis_is_back(broker):
    broker.stop()
    started = time.monotonic()
    with transaction.atomic():
        message = outbox_enqueue(key="outage:1", to="b@example.org", subject="Queued", body="During the outage")
    elapsed = time.monotonic() - started

    assert OutboxMessage.objects.filter(pk=message.pk, sent_at__isnull=True).exists()
    assert elapsed < 10, f"publishing to a dead broker blocked the request for {elapsed:.1f}s"

    broker.start()
    with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        outbox_sweep.delay()
        _wait_until_sent(message)

    assert [m.to for m in mail.outbox] == [["b@example.org"]]
