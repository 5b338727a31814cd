"""Account mail carries secrets for its recipient only: sealed in the outbox, hidden from every staff
role in the admin, erased once sent; the bodies of all sent mail are purged after a retention period."""

import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from notifications.models import OutboxMessage
from notifications.services import (
    outbox_deliver,
    outbox_enqueue,
    outbox_enqueue_template,
    outbox_message_bodies,
    outbox_purge_sent,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

RESET_LINK = re.compile(r"/accounts/password/reset/key/(\S+)/")


@pytest.fixture
def reset_for_someone_else(client):
    """Someone (here: a committee member signed out) asks a password reset for another person's account."""
    victim = UserFactory(email="victim@example.org")
    client.post(reverse("account_reset_password"), {"email": victim.email})
    message = OutboxMessage.objects.get(to=[victim.email])
    token = RESET_LINK.search(outbox_message_bodies(message)[0]).group(1)
    return message, token


def test_account_mail_is_queued_sensitive_and_encrypted(reset_for_someone_else):
    message, token = reset_for_someone_else

    assert message.sensitive
    assert token not in message.body_text and "/accounts/password/reset/key/" not in message.body_text
    assert token not in message.body_html


@pytest.mark.parametrize("page", ["changelist", "change"])
def test_superuser_sees_no_reset_link_in_the_outbox_admin(admin_client, reset_for_someone_else, page):
    message, token = reset_for_someone_else
    url = (reverse("admin:notifications_outboxmessage_changelist") if page == "changelist"
           else reverse("admin:notifications_outboxmessage_change", args=[message.pk]))

    response = admin_client.get(url)

    content = response.content.decode()
    assert response.status_code == 200
    assert message.subject in content
    assert token not in content
    assert "/accounts/password/reset/key/" not in content
    assert message.body_text not in content  # not even the ciphertext


def test_outbox_admin_search_does_not_match_the_body(admin_client, reset_for_someone_else):
    _message, token = reset_for_someone_else

    response = admin_client.get(reverse("admin:notifications_outboxmessage_changelist"), {"q": token[:8]})

    assert response.context["cl"].result_count == 0


def test_sensitive_message_is_mailed_in_clear_and_its_body_erased_once_sent(reset_for_someone_else):
    message, token = reset_for_someone_else

    assert outbox_deliver(message_id=message.pk)

    message.refresh_from_db()
    assert f"/accounts/password/reset/key/{token}/" in mail.outbox[-1].body
    assert message.is_sent
    assert message.body_text == "" and message.body_html == ""


def test_a_sensitive_messages_headers_are_erased_once_sent_with_its_body():
    message = outbox_enqueue(key="newsletter:1:1", to="ana@example.org", subject="Connect", body="Hello.",
                             headers={"List-Unsubscribe": "<https://portal.example/newsletter/unsubscribe/tok/>"},
                             sensitive=True)

    assert outbox_deliver(message_id=message.pk)

    message.refresh_from_db()
    assert mail.outbox[-1].extra_headers["List-Unsubscribe"].endswith("/tok/>")
    assert message.headers == {} and message.body_text == ""


def test_sensitive_flag_reaches_templated_mail():
    message = outbox_enqueue_template(
        key="invitation:1", to="new.staff@example.org", template="account/email/password_reset_key",
        context={"password_reset_url": "https://portal.example/invite/secret-token/", "user": UserFactory()},
        sensitive=True,
    )

    assert message.sensitive
    assert "secret-token" not in message.body_text
    assert "secret-token" in outbox_message_bodies(message)[0]


def test_ordinary_message_keeps_its_body_after_sending():
    message = outbox_enqueue(key="note:1", to="a@example.org", subject="Hello", body="Your application moved.")

    outbox_deliver(message_id=message.pk)

    message.refresh_from_db()
    assert message.body_text == "Your application moved."


def _sent(key: str, days_ago: int, **fields) -> OutboxMessage:
    message = outbox_enqueue(key=key, to="a@example.org", subject="Hello", body=f"body of {key}",
                             attachments=[("a.ics", b"BEGIN:VCALENDAR", "text/calendar")], **fields)
    OutboxMessage.objects.filter(pk=message.pk).update(sent_at=timezone.now() - datetime.timedelta(days=days_ago))
    return message


def test_purge_erases_bodies_sent_before_the_retention_period(settings):
    settings.OUTBOX_SENT_RETENTION_DAYS = 30
    old = _sent("old", 31)
    recent = _sent("recent", 29)
    waiting = outbox_enqueue(key="waiting", to="a@example.org", subject="Hello", body="not sent yet")
    OutboxMessage.objects.filter(pk=waiting.pk).update(created_at=timezone.now() - datetime.timedelta(days=90))

    purged = outbox_purge_sent()

    old.refresh_from_db()
    recent.refresh_from_db()
    waiting.refresh_from_db()
    assert purged == 1
    assert (old.body_text, old.body_html, old.attachments) == ("", "", [])
    assert old.subject == "Hello" and old.to == ["a@example.org"]
    assert recent.body_text == "body of recent" and recent.attachments
    assert waiting.body_text == "not sent yet"


def test_purge_is_idempotent(settings):
    settings.OUTBOX_SENT_RETENTION_DAYS = 30
    _sent("old", 31)

    assert outbox_purge_sent() == 1
    assert outbox_purge_sent() == 0


def test_purge_task_is_scheduled(settings):
    from notifications.tasks import outbox_purge_sent_bodies

    [entry] = [entry for entry in settings.CELERY_BEAT_SCHEDULE.values()
               if entry["task"] == "notifications.tasks.outbox_purge_sent_bodies"]
    assert entry["schedule"] <= 24 * 3600
    _sent("old", 45)
    assert outbox_purge_sent_bodies() == 1


def test_delivery_failure_logs_no_body(reset_for_someone_else, monkeypatch, caplog):
    from smtplib import SMTPException

    from notifications.services import OutboxDeliveryError

    message, token = reset_for_someone_else
    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send",
                        lambda self, *a, **k: (_ for _ in ()).throw(SMTPException("relay down")))

    with pytest.raises(OutboxDeliveryError) as error:
        outbox_deliver(message_id=message.pk)

    assert token not in str(error.value) and token not in caplog.text
    message.refresh_from_db()
    assert token not in message.last_error
