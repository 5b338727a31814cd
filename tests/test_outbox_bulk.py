"""outbox_enqueue_many: one INSERT for many messages, keys already queued skipped by the database."""

import base64

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from notifications.models import OutboxMessage
from notifications.services import OutboxDraft, outbox_enqueue, outbox_enqueue_many, outbox_message_bodies

pytestmark = pytest.mark.django_db

TEMPLATE = "events/email/reminder"


def _drafts(count: int, *, prefix: str = "bulk") -> list[OutboxDraft]:
    from events.models import Event, Registration

    return [OutboxDraft(key=f"{prefix}:{index}", to=f"person{index}@example.org", template=TEMPLATE,
                        context={"registration": Registration(), "event": Event(title="Webinar", slug="webinar"),
                                 "person": None, "hours": 24})
            for index in range(count)]


def _inserts(count: int) -> int:
    with CaptureQueriesContext(connection) as queries:
        outbox_enqueue_many(_drafts(count))
    return sum(1 for query in queries.captured_queries if query["sql"].startswith("INSERT"))


def test_queues_every_draft_with_its_rendered_subject_and_body():
    assert outbox_enqueue_many(_drafts(3)) == 3
    message = OutboxMessage.objects.get(key="bulk:1")
    assert message.to == ["person1@example.org"]
    assert "Webinar" in message.subject + message.body_text


def test_one_insert_whatever_the_number_of_messages():
    assert _inserts(5) == 1
    OutboxMessage.objects.all().delete()
    assert _inserts(200) == 1


def test_a_key_already_queued_is_skipped():
    outbox_enqueue(key="bulk:0", to="first@example.org", subject="First", body="Kept")
    assert outbox_enqueue_many(_drafts(2)) == 1
    assert OutboxMessage.objects.get(key="bulk:0").subject == "First"
    assert outbox_enqueue_many(_drafts(2)) == 0
    assert OutboxMessage.objects.count() == 2


def test_the_same_key_twice_in_one_call_queues_one():
    assert outbox_enqueue_many([*_drafts(1), *_drafts(1)]) == 1


def test_attachments_are_stored_as_for_a_single_message():
    draft = _drafts(1)[0]
    outbox_enqueue_many([OutboxDraft(key=draft.key, to=draft.to, template=draft.template, context=draft.context,
                                     attachments=[("exam.ics", b"BEGIN:VCALENDAR", "text/calendar")])])
    (attachment,) = OutboxMessage.objects.get(key=draft.key).attachments
    assert attachment["filename"] == "exam.ics"
    assert base64.b64decode(attachment["content_b64"]) == b"BEGIN:VCALENDAR"


def test_sensitive_bodies_are_sealed():
    draft = _drafts(1)[0]
    outbox_enqueue_many([OutboxDraft(key=draft.key, to=draft.to, template=draft.template, context=draft.context,
                                     sensitive=True)])
    message = OutboxMessage.objects.get(key=draft.key)
    assert "Webinar" not in message.body_text
    assert "Webinar" in outbox_message_bodies(message)[0] + message.subject


def test_new_messages_are_handed_to_celery_after_commit(django_capture_on_commit_callbacks, monkeypatch):
    sent = []
    monkeypatch.setattr("notifications.services._dispatch", sent.append)
    outbox_enqueue(key="bulk:0", to="first@example.org", subject="First", body="Kept")
    with django_capture_on_commit_callbacks(execute=True):
        outbox_enqueue_many(_drafts(3))
    assert sorted(sent) == sorted(OutboxMessage.objects.exclude(key="bulk:0").values_list("pk", flat=True))
