"""Newsletter actions: subscribe (double opt-in), confirm, change, unsubscribe, and send a mailing in batches."""

from __future__ import annotations

import logging
from functools import partial

from django.conf import settings
from django.db import transaction
from django.db.models.functions import Lower
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from notifications.models import OutboxMessage
from notifications.services import outbox_body_seal, outbox_enqueue_template
from publications.models import Mailing, MailingDelivery, Subscriber
from publications.tokens import confirm_token, manage_signer, manage_token
from workflows.services import event_record, transition

logger = logging.getLogger(__name__)

# Stand in for each subscriber's own links while a batch's body is rendered once per language.
_MANAGE_PLACEHOLDER = "\x00MANAGE-LINK\x00"
_UNSUBSCRIBE_PLACEHOLDER = "\x00UNSUBSCRIBE-LINK\x00"


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def manage_url(subscriber_id: int) -> str:
    return _absolute(reverse("publications:newsletter_manage", args=[manage_token(subscriber_id)]))


def unsubscribe_url(subscriber_id: int) -> str:
    return _absolute(reverse("publications:newsletter_unsubscribe", args=[manage_token(subscriber_id)]))


class _SubscriberLinks:
    """Each subscriber's manage and unsubscribe links, with one reverse() per batch (it costs ~0.5 ms)."""

    _TOKEN = "TOKEN"

    def __init__(self):
        self.signer = manage_signer()
        self.manage = _absolute(reverse("publications:newsletter_manage", args=[self._TOKEN]))
        self.unsubscribe = _absolute(reverse("publications:newsletter_unsubscribe", args=[self._TOKEN]))

    def __call__(self, subscriber_id: int) -> tuple[str, str]:
        token = manage_token(subscriber_id, self.signer)
        return self.manage.replace(self._TOKEN, token), self.unsubscribe.replace(self._TOKEN, token)


def subscriber_subscribe(*, email: str, topics, language: str, source: str) -> Subscriber:
    """Ask for a subscription: a confirmation mail goes out, and nothing else until it is confirmed.

    An address that is already confirmed only has its topics updated; the caller shows the same page either
    way, so the form does not reveal who is subscribed.
    """
    email = email.strip()
    now = timezone.now()
    with transaction.atomic():
        subscriber = (
            Subscriber.objects.select_for_update().annotate(email_lower=Lower("email"))
            .filter(email_lower=email.lower()).first()
        )
        if subscriber is None:
            subscriber = Subscriber.objects.create(email=email, language=language, requested_at=now,
                                                   consent_source=source)
        elif subscriber.status == Subscriber.Status.CONFIRMED:
            subscriber.topics.set(topics)
            return subscriber
        else:
            subscriber.status = Subscriber.Status.PENDING
            subscriber.language, subscriber.requested_at, subscriber.consent_source = language, now, source
            subscriber.save(update_fields=["status", "language", "requested_at", "consent_source"])
        subscriber.topics.set(topics)
        # At most one confirmation mail per address every ten minutes, however often the form is sent.
        window = int(now.timestamp() // 600)
        outbox_enqueue_template(
            key=f"newsletter-confirm:{subscriber.pk}:{window}", to=subscriber.email,
            template="publications/email/newsletter_confirm", language=language,
            context={"confirm_url": _absolute(reverse("publications:newsletter_confirm",
                                                      args=[confirm_token(subscriber.pk)]))},
            sensitive=True,  # the link records consent: nobody but the subscriber may read it
        )
    return subscriber


def subscriber_confirm(*, subscriber_id: int, source: str) -> Subscriber | None:
    """Record consent (time and source) from a confirmation link; None when the subscriber is gone."""
    with transaction.atomic():
        subscriber = Subscriber.objects.select_for_update().filter(pk=subscriber_id).first()
        if subscriber is None or subscriber.status == Subscriber.Status.CONFIRMED:
            return subscriber
        subscriber.status = Subscriber.Status.CONFIRMED
        subscriber.consent_at, subscriber.consent_source = timezone.now(), source
        subscriber.unsubscribed_at, subscriber.unsubscribe_source = None, ""
        subscriber.save(update_fields=["status", "consent_at", "consent_source", "unsubscribed_at",
                                       "unsubscribe_source"])
    return subscriber


def subscriber_unsubscribe(*, subscriber_id: int, source: str) -> Subscriber | None:
    """Stop all mail to the subscriber at once (no confirmation needed); repeating it changes nothing."""
    with transaction.atomic():
        subscriber = Subscriber.objects.select_for_update().filter(pk=subscriber_id).first()
        if subscriber is None or subscriber.status == Subscriber.Status.UNSUBSCRIBED:
            return subscriber
        subscriber.status = Subscriber.Status.UNSUBSCRIBED
        subscriber.unsubscribed_at, subscriber.unsubscribe_source = timezone.now(), source
        subscriber.save(update_fields=["status", "unsubscribed_at", "unsubscribe_source"])
        # Copies of a mailing still waiting in the outbox are not sent any more.
        OutboxMessage.objects.filter(
            key__in=subscriber.deliveries.values("outbox_key"), sent_at__isnull=True,
        ).delete()
    return subscriber


def subscriber_topics_set(*, subscriber: Subscriber, topics) -> None:
    subscriber.topics.set(topics)


def subscriber_export(*, subscriber: Subscriber) -> dict:
    """Everything the portal holds about one subscription, for its owner."""
    return {
        "email": subscriber.email,
        "language": subscriber.language,
        "status": subscriber.status,
        "topics": [topic.name for topic in subscriber.topics.all()],
        "subscription_requested_at": subscriber.requested_at.isoformat(),
        "consent_given_at": subscriber.consent_at.isoformat() if subscriber.consent_at else None,
        "consent_given_through": subscriber.consent_source,
        "unsubscribed_at": subscriber.unsubscribed_at.isoformat() if subscriber.unsubscribed_at else None,
        "unsubscribed_through": subscriber.unsubscribe_source,
        "mailings_received": [
            {"subject": delivery.mailing.subject, "queued_at": delivery.queued_at.isoformat()}
            for delivery in subscriber.deliveries.select_related("mailing").order_by("queued_at")
        ],
    }


# Mailings ------------------------------------------------------------------------------------------------


def mailing_start(*, mailing: Mailing, actor) -> Mailing:
    """Staff send a draft: it moves to "sending" and the first batch is queued after commit."""
    with transaction.atomic():
        mailing = Mailing.objects.select_for_update().get(pk=mailing.pk)
        mailing.started_at = timezone.now()
        transition(mailing, Mailing.Status.SENDING, actor=actor, update_fields=["started_at"])
        transaction.on_commit(partial(_batch_dispatch, mailing.pk))
    return mailing


def mailing_cancel(*, mailing: Mailing, actor, note: str = "") -> Mailing:
    """Stop a mailing; copies already queued are still sent (they may be on their way)."""
    with transaction.atomic():
        mailing = Mailing.objects.select_for_update().get(pk=mailing.pk)
        transition(mailing, Mailing.Status.CANCELLED, actor=actor, note=note)
    return mailing


def _batch_dispatch(mailing_id: int) -> None:
    from publications.tasks import mailing_send_batch

    try:
        mailing_send_batch.delay(mailing_id=mailing_id)
    except Exception:  # the broker is away: the periodic job continues the mailing later
        logger.warning("Could not queue the next batch of mailing %s; the periodic job continues it", mailing_id,
                       exc_info=True)


def _outbox_dispatch(message_ids: list[int]) -> None:
    """Hand a batch's messages to one Celery task (one broker call per batch, not one per message)."""
    from publications.tasks import mailing_deliver

    try:
        mailing_deliver.delay(message_ids=message_ids)
    except Exception:  # the outbox sweep sends what the broker did not take
        logger.warning("Could not hand %s newsletter messages to the broker; the outbox sweep sends them",
                       len(message_ids), exc_info=True)




def _render_bodies(mailing: Mailing, languages) -> dict[str, tuple[str, str]]:
    """(subject, text) per language with a placeholder for each subscriber's link: rendered once a batch."""
    articles = list(mailing.issue.articles.published()) if mailing.issue_id else []
    bodies = {}
    for language in languages:
        with translation.override(language):
            context = {"mailing": mailing, "issue": mailing.issue, "articles": articles,
                       "site_url": settings.SITE_URL, "manage_url": _MANAGE_PLACEHOLDER,
                       "unsubscribe_url": _UNSUBSCRIBE_PLACEHOLDER}
            subject = " ".join(mailing.subject.split())[:255]
            bodies[language] = (subject, render_to_string("publications/email/mailing_message.txt", context))
    return bodies


def mailing_send_batch(*, mailing_id: int, batch_size: int | None = None) -> int:
    """Queue the next batch of a sending mailing in the outbox; returns how many copies this call queued.

    One transaction with the mailing's row locked: two runs at once queue each batch once, a run that dies
    rolls back whole, and the unique keys (one per mailing and subscriber) refuse any second copy. The number
    of queries does not depend on the batch size.
    """
    batch_size = batch_size or settings.PUBLICATIONS_MAILING_BATCH_SIZE
    with transaction.atomic():
        mailing = Mailing.objects.select_for_update(skip_locked=True).filter(
            pk=mailing_id, status=Mailing.Status.SENDING,
        ).first()
        if mailing is None:  # finished, cancelled, or another worker holds this batch
            return 0
        topic_ids = list(mailing.topics.values_list("pk", flat=True))
        recipients = list(
            Subscriber.objects.confirmed().for_topics(topic_ids).filter(pk__gt=mailing.cursor)
            .order_by("pk").values_list("pk", "email", "language")[:batch_size]
        )
        bodies = _render_bodies(mailing, {language for _pk, _email, language in recipients})
        messages, deliveries, links = [], [], _SubscriberLinks()
        for subscriber_id, email, language in recipients:
            key = f"newsletter:{mailing.pk}:{subscriber_id}"
            subject, body = bodies[language]
            manage, unsubscribe = links(subscriber_id)
            body = body.replace(_MANAGE_PLACEHOLDER, manage)
            # Sealed like any mail with a secret: the subscriber's own links manage and end the subscription.
            messages.append(OutboxMessage(
                key=key, to=[email], subject=subject, sensitive=True,
                body_text=outbox_body_seal(body.replace(_UNSUBSCRIBE_PLACEHOLDER, unsubscribe)),
                headers={"List-Unsubscribe": f"<{unsubscribe}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
            ))
            deliveries.append(MailingDelivery(mailing=mailing, subscriber_id=subscriber_id, outbox_key=key))
        if recipients:
            OutboxMessage.objects.bulk_create(messages, ignore_conflicts=True)
            MailingDelivery.objects.bulk_create(deliveries, ignore_conflicts=True)
            message_ids = list(OutboxMessage.objects.filter(
                key__in=[message.key for message in messages], sent_at__isnull=True,
            ).values_list("pk", flat=True))
            transaction.on_commit(partial(_outbox_dispatch, message_ids))
            mailing.cursor = recipients[-1][0]
            mailing.queued += len(recipients)
        if len(recipients) < batch_size:
            mailing.finished_at = timezone.now()
            transition(mailing, Mailing.Status.SENT, actor=None, update_fields=["cursor", "queued", "finished_at"],
                       note=f"{mailing.queued} copies queued")
        else:
            mailing.save(update_fields=["cursor", "queued"])
            transaction.on_commit(partial(_batch_dispatch, mailing.pk))
    return len(recipients)


def mailings_continue() -> int:
    """The periodic safety net: continue every mailing still sending (a worker died or the broker was away)."""
    queued = 0
    for mailing_id in Mailing.objects.filter(status=Mailing.Status.SENDING).values_list("pk", flat=True):
        queued += mailing_send_batch(mailing_id=mailing_id)
    return queued


def mailing_created(*, mailing: Mailing, actor) -> None:
    event_record(mailing, actor=actor, note="created")
