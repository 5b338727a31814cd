import base64
import json
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from email.utils import make_msgid
from functools import partial
from smtplib import SMTPException

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import connection, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone, translation

from ipma_portal.encryption import fernet_from_passphrases
from notifications.models import OutboxMessage

logger = logging.getLogger(__name__)


class OutboxDeliveryError(Exception):
    """Sending failed; the message stays unsent and is retried."""


def outbox_enqueue(
    *,
    key: str,
    to: str | Sequence[str],
    subject: str,
    body: str,
    html_body: str = "",
    attachments: Iterable[tuple[str, bytes, str]] = (),
    sensitive: bool = False,
    headers: dict[str, str] | None = None,
) -> OutboxMessage:
    """Queue an email in the caller's transaction; it is dispatched to Celery once that commits.

    ``sensitive`` marks a message that carries a secret for its recipient only (a link that signs
    in, resets a password or accepts an invitation): its bodies are encrypted and erased once sent.
    """
    recipients = [to] if isinstance(to, str) else list(to)
    message = OutboxMessage(
        key=key, to=recipients, subject=" ".join(subject.split())[:255], body_text=_seal(body) if sensitive else body,
        body_html=_seal(html_body) if sensitive and html_body else html_body, sensitive=sensitive,
        attachments=[_attachment(*attachment) for attachment in attachments], headers=dict(headers or {}),
    )
    created = _insert([message])
    if not created:  # queued before: that row stands
        return OutboxMessage.objects.get(key=key)
    message.pk = created[0]
    message._state.adding, message._state.db = False, connection.alias  # as if read back: a save() updates it
    transaction.on_commit(partial(_dispatch, message.pk))
    return message


def outbox_enqueue_template(
    *,
    key: str,
    to: str | Sequence[str],
    template: str,
    context: dict,
    language: str | None = None,
    attachments: Iterable[tuple[str, bytes, str]] = (),
    sensitive: bool = False,
    headers: dict[str, str] | None = None,
) -> OutboxMessage:
    """Render ``<template>_subject.txt`` and ``_message.txt`` and queue (``sensitive`` as for outbox_enqueue)."""
    with translation.override(language or translation.get_language()):
        context = {"site_url": settings.SITE_URL, **context}
        subject = render_to_string(f"{template}_subject.txt", context)
        body = render_to_string(f"{template}_message.txt", context)
    return outbox_enqueue(
        key=key, to=to, subject=subject, body=body, attachments=attachments, sensitive=sensitive, headers=headers,
    )


@dataclass(frozen=True)
class OutboxDraft:
    """One templated email for :func:`outbox_enqueue_many`; the arguments of :func:`outbox_enqueue_template`."""

    key: str
    to: str | Sequence[str]
    template: str
    context: dict = field(default_factory=dict)
    language: str | None = None
    attachments: Sequence[tuple[str, bytes, str]] = ()
    sensitive: bool = False
    headers: dict[str, str] = field(default_factory=dict)


def outbox_enqueue_many(drafts: Iterable[OutboxDraft]) -> int:
    """Queue many templated emails with one INSERT in the caller's transaction; returns how many were new.

    ``INSERT ... ON CONFLICT (key) DO NOTHING``: a key already queued (a job run twice, two beats at
    once) is skipped by the database, as :func:`outbox_enqueue` skips it. The number of queries does not
    grow with the number of messages; the new ones are handed to Celery once the transaction commits.
    """
    messages = {}
    for draft in drafts:
        if draft.key in messages:
            continue
        with translation.override(draft.language or translation.get_language()):
            context = {"site_url": settings.SITE_URL, **draft.context}
            subject = " ".join(render_to_string(f"{draft.template}_subject.txt", context).split())[:255]
            body = render_to_string(f"{draft.template}_message.txt", context)
        messages[draft.key] = OutboxMessage(
            key=draft.key, to=[draft.to] if isinstance(draft.to, str) else list(draft.to), subject=subject,
            body_text=_seal(body) if draft.sensitive else body, sensitive=draft.sensitive,
            attachments=[_attachment(*attachment) for attachment in draft.attachments], headers=dict(draft.headers),
        )
    if not messages:
        return 0
    created = _insert(list(messages.values()))
    transaction.on_commit(partial(_dispatch_many, created))
    return len(created)


def _insert(messages: list[OutboxMessage]) -> list[int]:
    """``INSERT ... ON CONFLICT (key) DO NOTHING`` of these unsaved messages in one query: the ids of the new ones.

    A key already queued (a job run twice, two beats at once, an event noted again) is skipped by the database,
    without the lookup and savepoint of ``get_or_create``: one query whatever the number of messages."""
    now = timezone.now()
    table = OutboxMessage._meta.db_table
    placeholders = ", ".join(["(%s, %s, %s, %s, %s, %s::jsonb, %s, 0, %s, '', %s::jsonb)"] * len(messages))
    params = []
    for message in messages:
        message.created_at = now
        params += [message.key, message.to, message.subject, message.body_text, message.body_html,
                   json.dumps(message.attachments), now, message.sensitive, json.dumps(message.headers)]
    with connection.cursor() as cursor:
        cursor.execute(
            f'INSERT INTO "{table}" ("key", "to", "subject", "body_text", "body_html", "attachments", '
            f'"created_at", "attempts", "sensitive", "last_error", "headers") VALUES {placeholders} '
            'ON CONFLICT ("key") DO NOTHING RETURNING "id"',
            params,
        )
        return [message_id for (message_id,) in cursor.fetchall()]


def _attachment(name: str, content: bytes, mimetype: str) -> dict:
    return {"filename": name, "mimetype": mimetype, "content_b64": base64.b64encode(content).decode()}


def _dispatch_many(message_ids: list[int]) -> None:
    for message_id in message_ids:
        _dispatch(message_id)


def _fernet():
    return fernet_from_passphrases(settings.OUTBOX_ENCRYPTION_KEY, purpose="outbox")


def _seal(text: str) -> str:
    return _fernet().encrypt(text.encode()).decode()


def outbox_body_seal(text: str) -> str:
    """A body as a ``sensitive`` message stores it (encrypted), for a sender that builds its rows itself (a mailing's
    batch); such a row must be saved with ``sensitive=True``."""
    return _seal(text)


def outbox_message_bodies(message: OutboxMessage) -> tuple[str, str]:
    """The text and HTML bodies as they are mailed (decrypted); for sending, never for display to staff."""
    if not message.sensitive:
        return message.body_text, message.body_html
    fernet = _fernet()
    return tuple(fernet.decrypt(body.encode()).decode() if body else "" for body in (message.body_text, message.body_html))


def _dispatch(message_id: int) -> None:
    from notifications.tasks import outbox_send

    try:
        outbox_send.delay(message_id=message_id)
    except Exception:  # the broker is away: the change is committed and the sweep sends it later
        logger.warning("Could not hand outbox message %s to the broker; the sweep will send it", message_id, exc_info=True)


def _as_email(message: OutboxMessage) -> EmailMultiAlternatives:
    body_text, body_html = outbox_message_bodies(message)
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=message.to,
        # A stable Message-ID lets the receiving side drop a copy sent again after a crash.
        headers={**message.headers, "Message-ID": make_msgid(idstring=f"outbox-{message.pk}", domain="ipma-portal")},
    )
    if body_html:
        email.attach_alternative(body_html, "text/html")
    for attachment in message.attachments:
        email.attach(attachment["filename"], base64.b64decode(attachment["content_b64"]), attachment["mimetype"])
    return email


def outbox_deliver(*, message_id: int) -> bool:
    """Send one queued message unless it is already sent or being sent; True when this call sent it."""
    with transaction.atomic():
        # The row lock keeps a redelivered task and the sweep from sending the same message twice.
        message = (
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(pk=message_id, sent_at__isnull=True)
            .first()
        )
        if message is None:
            return False
        try:
            _as_email(message).send()
        except (SMTPException, OSError) as exc:
            OutboxMessage.objects.filter(pk=message.pk).update(attempts=F("attempts") + 1, last_error=str(exc)[:2000])
            error = exc
        else:
            # A secret is needed only until it is mailed: the sent copy keeps no working link.
            erased = {"body_text": "", "body_html": "", "headers": {}} if message.sensitive else {}
            OutboxMessage.objects.filter(pk=message.pk).update(
                sent_at=timezone.now(), attempts=F("attempts") + 1, last_error="", **erased
            )
            return True
    raise OutboxDeliveryError(f"outbox message {message_id}: {error}") from error


def outbox_deliver_pending(*, batch_size: int = 500) -> int:
    """The sweep: send what was queued but not sent (the broker or a worker was down). Returns sent count."""
    cutoff = timezone.now() - timedelta(seconds=settings.OUTBOX_SWEEP_GRACE_SECONDS)
    pending = list(
        OutboxMessage.objects.filter(
            sent_at__isnull=True, created_at__lte=cutoff, attempts__lt=settings.OUTBOX_MAX_ATTEMPTS
        )
        .order_by("created_at")
        .values_list("pk", flat=True)[:batch_size]
    )
    return outbox_deliver_many(message_ids=pending)


def outbox_deliver_many(*, message_ids: list[int]) -> int:
    """Send these messages one by one; a failure stays queued for the sweep to retry. Returns sent count."""
    sent = 0
    for message_id in message_ids:
        try:
            sent += outbox_deliver(message_id=message_id)
        except OutboxDeliveryError:
            logger.warning("Outbox message %s failed; it stays queued for the sweep", message_id)
    return sent


def outbox_purge_sent(*, now=None) -> int:
    """Erase the bodies and attachments of messages sent more than OUTBOX_SENT_RETENTION_DAYS ago.

    Safe to run again: a purged row no longer matches. Returns how many rows it purged.
    """
    cutoff = (now or timezone.now()) - timedelta(days=settings.OUTBOX_SENT_RETENTION_DAYS)
    stale = OutboxMessage.objects.filter(sent_at__lt=cutoff).exclude(body_text="", body_html="", attachments=[])
    return stale.update(body_text="", body_html="", attachments=[])
