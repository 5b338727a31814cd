"""The newsletter: subscribers with double opt-in, mailings moved by the workflow engine, one delivery each."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from publications.models.library import Issue
from workflows.models import Workflow, WorkflowEvent


class SubscriberQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(status=Subscriber.Status.CONFIRMED)

    def for_topics(self, topic_ids):
        """Subscribers of any of ``topic_ids``, and those who chose no topic (they receive everything)."""
        if not topic_ids:
            return self
        return self.filter(Q(topics__in=topic_ids) | Q(topics__isnull=True)).distinct()


class Subscriber(models.Model):
    """An address on the newsletter list. Nothing is sent to it until its owner confirms (double opt-in).

    Links in mails carry a signed id (``publications.tokens``), so no secret is stored here for staff to read.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for confirmation")
        CONFIRMED = "confirmed", _("Confirmed")
        UNSUBSCRIBED = "unsubscribed", _("Unsubscribed")

    email = models.EmailField(_("email address"))
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES, default="en")
    topics = models.ManyToManyField("exams.Topic", verbose_name=_("topics"), blank=True, related_name="+",
                                    help_text=_("No topic chosen means every topic."))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING)
    requested_at = models.DateTimeField(_("subscription requested at"), default=timezone.now)
    consent_at = models.DateTimeField(_("consent given at"), null=True, blank=True)
    consent_source = models.CharField(_("consent given through"), max_length=200, blank=True)
    unsubscribed_at = models.DateTimeField(_("unsubscribed at"), null=True, blank=True)
    unsubscribe_source = models.CharField(_("unsubscribed through"), max_length=200, blank=True)

    objects = SubscriberQuerySet.as_manager()

    class Meta:
        verbose_name = _("newsletter subscriber")
        verbose_name_plural = _("newsletter subscribers")
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(Lower("email"), name="publications_subscriber_email_unique")]
        indexes = [models.Index(fields=["status", "id"], name="publications_subscriber_status")]

    def __str__(self) -> str:
        return self.email


class Mailing(Workflow):
    """One sending of the newsletter: an issue of a publication, or a message, to the confirmed subscribers
    of its topics. Batches go into the outbox; ``cursor`` is the last subscriber id already queued."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        CANCELLED = "cancelled", _("Cancelled")

    TRANSITIONS = {
        Status.DRAFT: {Status.SENDING, Status.CANCELLED},
        Status.SENDING: {Status.SENT, Status.CANCELLED},
        Status.SENT: set(),
        Status.CANCELLED: set(),
    }

    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("message"), blank=True, help_text=_("Markdown, shown before the issue's articles."))
    issue = models.ForeignKey(Issue, verbose_name=_("issue"), null=True, blank=True, on_delete=models.PROTECT,
                              related_name="mailings")
    topics = models.ManyToManyField("exams.Topic", verbose_name=_("topics"), blank=True, related_name="+",
                                    help_text=_("No topic chosen sends to every confirmed subscriber."))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT,
                              db_index=True)
    cursor = models.BigIntegerField(_("last subscriber queued"), default=0, editable=False)
    queued = models.PositiveIntegerField(_("queued"), default=0, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    started_at = models.DateTimeField(_("sending started at"), null=True, blank=True, editable=False)
    finished_at = models.DateTimeField(_("all queued at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("mailing")
        verbose_name_plural = _("mailings")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.subject


class MailingEvent(WorkflowEvent):
    mailing = models.ForeignKey(Mailing, verbose_name=_("mailing"), on_delete=models.PROTECT, related_name="events")

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("mailing event")
        verbose_name_plural = _("mailing events")


class MailingDelivery(models.Model):
    """That one subscriber's copy of one mailing is in the outbox; the pair is unique, so never queued twice."""

    mailing = models.ForeignKey(Mailing, verbose_name=_("mailing"), on_delete=models.CASCADE,
                                related_name="deliveries")
    subscriber = models.ForeignKey(Subscriber, verbose_name=_("subscriber"), on_delete=models.CASCADE,
                                   related_name="deliveries")
    outbox_key = models.CharField(_("outbox key"), max_length=255, unique=True)
    queued_at = models.DateTimeField(_("queued at"), default=timezone.now)

    class Meta:
        verbose_name = _("mailing delivery")
        verbose_name_plural = _("mailing deliveries")
        constraints = [
            models.UniqueConstraint(fields=["mailing", "subscriber"], name="publications_delivery_once"),
        ]

    def __str__(self) -> str:
        return self.outbox_key
