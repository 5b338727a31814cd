from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutboxMessage(models.Model):
    """An email written in the same transaction as the change that causes it; Celery sends it.

    ``key`` names the business event (e.g. ``application-submitted:42``): queuing the same event
    twice yields one row, and one row is sent at most once.
    """

    key = models.CharField(_("key"), max_length=255, unique=True)
    to = ArrayField(models.EmailField(), verbose_name=_("recipients"))
    subject = models.CharField(_("subject"), max_length=255)
    body_text = models.TextField(_("text body"))
    body_html = models.TextField(_("HTML body"), blank=True)
    # [{"filename": ..., "mimetype": ..., "content_b64": ...}], e.g. an .ics invitation.
    attachments = models.JSONField(_("attachments"), default=list, blank=True)
    # Extra headers, e.g. a newsletter's List-Unsubscribe and List-Unsubscribe-Post (RFC 8058).
    headers = models.JSONField(_("extra headers"), default=dict, blank=True)
    created_at = models.DateTimeField(_("queued at"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    # A secret for its recipient only (a reset or confirmation link, a sign-in code): the bodies are
    # stored encrypted, never shown in the admin, and erased once sent.
    sensitive = models.BooleanField(_("sensitive"), default=False)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["created_at"], condition=Q(sent_at__isnull=True), name="outbox_unsent_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.key} → {', '.join(self.to)}"

    @property
    def is_sent(self) -> bool:
        return self.sent_at is not None
