import threading
from smtplib import SMTPException
from unittest import mock

import pytest
from django.core import mail
from django.db import connection, transaction

from notifications.models import OutboxMessage
from notifications.services import (
    OutboxDeliveryError,
    outbox_deliver,
    outbox_deliver_pending,
    outbox_enqueue,
)
from notifications.tasks import outbox_send


def _enqueue(key="event:1", to="person@example.org"):
    return outbox_enqueue(key=key, to=to, subject="Your application", body="It was received.")


@pytest.mark.django_db
def test_outbox_message_rolls_back_with_the_change():
    with pytest.raises(RuntimeError), transaction.atomic():
        _enqueue()
        raise RuntimeError("the business change failed")

    assert not OutboxMessage.objects.exists()


@pytest.mark.django_db
def test_outbox_same_key_twice_keeps_one_message():
    first = _enqueue(key="application-submitted:7")
    second = _enqueue(key="application-submitted:7")

    assert first.pk == second.pk
    assert OutboxMessage.objects.count() == 1


@pytest.mark.django_db
def test_outbox_queues_a_message_in_one_query_and_returns_it_as_stored(django_assert_num_queries):
    with django_assert_num_queries(1):  # INSERT ... ON CONFLICT DO NOTHING: no look-up first, no savepoint
        message = _enqueue(key="application-submitted:8")

    stored = OutboxMessage.objects.get(key="application-submitted:8")
    assert (message.pk, message.to, message.subject, message.body_text, message.created_at) == \
        (stored.pk, stored.to, stored.subject, stored.body_text, stored.created_at)
    message.attempts = 2
    message.save()  # the returned row is saved as an update, not a second insert
    assert OutboxMessage.objects.get().attempts == 2


@pytest.mark.django_db
def test_outbox_same_key_again_changes_nothing_and_queues_nothing_more(django_capture_on_commit_callbacks):
    _enqueue(key="application-submitted:9")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        again = outbox_enqueue(key="application-submitted:9", to="other@example.org", subject="Other", body="Other")

    assert (again.to, again.subject) == (["person@example.org"], "Your application")
    assert callbacks == []


@pytest.mark.django_db
def test_outbox_dispatches_send_task_only_after_commit(django_capture_on_commit_callbacks):
    with mock.patch.object(outbox_send, "delay") as delay:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            message = _enqueue()
        assert delay.call_count == 0

        for callback in callbacks:
            callback()

    delay.assert_called_once_with(message_id=message.pk)


@pytest.mark.django_db
def test_outbox_send_task_run_twice_sends_one_mail():
    message = _enqueue()

    outbox_send.run(message_id=message.pk)
    outbox_send.run(message_id=message.pk)

    assert len(mail.outbox) == 1
    message.refresh_from_db()
    assert message.sent_at is not None
    assert message.attempts == 1


@pytest.mark.django_db
def test_outbox_mail_carries_subject_body_and_attachment():
    outbox_enqueue(
        key="booking-confirmed:3", to=["a@example.org"], subject="Exam booked", body="See you there.",
        attachments=[("exam.ics", b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "text/calendar")],
    )

    outbox_deliver_pending()

    sent = mail.outbox[0]
    assert (sent.subject, sent.body, sent.to) == ("Exam booked", "See you there.", ["a@example.org"])
    assert sent.attachments[0][0] == "exam.ics"
    assert sent.extra_headers["Message-ID"].startswith("<")


@pytest.mark.django_db
def test_outbox_failed_send_records_attempt_and_stays_queued():
    message = _enqueue()

    failing_send = mock.patch("django.core.mail.EmailMultiAlternatives.send", side_effect=SMTPException("421 try later"))
    with failing_send, pytest.raises(OutboxDeliveryError):
        outbox_deliver(message_id=message.pk)

    message.refresh_from_db()
    assert (message.sent_at, message.attempts) == (None, 1)
    assert "421 try later" in message.last_error


@pytest.mark.django_db
def test_outbox_sweep_sends_what_failed_before():
    message = _enqueue()
    with mock.patch("django.core.mail.EmailMultiAlternatives.send", side_effect=SMTPException("down")):
        outbox_deliver_pending()

    sent = outbox_deliver_pending()

    assert sent == 1
    assert len(mail.outbox) == 1
    message.refresh_from_db()
    assert message.sent_at is not None


@pytest.mark.django_db
def test_outbox_sweep_gives_up_after_max_attempts(settings):
    settings.OUTBOX_MAX_ATTEMPTS = 2
    message = _enqueue()
    OutboxMessage.objects.filter(pk=message.pk).update(attempts=2)

    assert outbox_deliver_pending() == 0
    assert mail.outbox == []


@pytest.mark.django_db
def test_outbox_sweep_leaves_fresh_messages_to_their_task(settings):
    settings.OUTBOX_SWEEP_GRACE_SECONDS = 300
    _enqueue()

    assert outbox_deliver_pending() == 0


@pytest.mark.django_db(transaction=True)
def test_outbox_concurrent_deliveries_send_once():
    message = _enqueue()
    barrier = threading.Barrier(4)
    results = []

    def deliver():
        barrier.wait()
        try:
            results.append(outbox_deliver(message_id=message.pk))
        finally:
            connection.close()

    threads = [threading.Thread(target=deliver) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(results) == [False, False, False, True]
    assert len(mail.outbox) == 1
