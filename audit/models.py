"""The audit trail: one append-only row per staff decision, admin change and staff sign-in.

The database refuses UPDATE and DELETE on the table (migration 0001 installs the trigger), with the one
exception the event tables also allow: deleting an account sets ``actor`` to NULL and ``actor_name`` keeps
who acted. Rows name what they are about by content type, id and text, so deleting the object keeps them.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    STATUS_CHANGE = "status_change", _("Status changed")
    EVENT = "event", _("History note written")
    DECISION = "decision", _("Decision taken in the admin")
    PROPOSAL_PROPOSED = "proposal_proposed", _("Change proposed (two-person rule)")
    PROPOSAL_APPROVED = "proposal_approved", _("Proposed change approved")
    PROPOSAL_REJECTED = "proposal_rejected", _("Proposed change rejected")
    PROPOSAL_WITHDRAWN = "proposal_withdrawn", _("Proposed change withdrawn")
    ADMIN_ADD = "admin_add", _("Added in the admin")
    ADMIN_CHANGE = "admin_change", _("Changed in the admin")
    ADMIN_DELETE = "admin_delete", _("Deleted in the admin")
    SIGN_IN = "sign_in", _("Staff sign-in")
    SIGN_IN_FAILED = "sign_in_failed", _("Failed sign-in to a staff account")
    TWO_FACTOR = "two_factor", _("Two-factor passed")
    SIGN_OUT = "sign_out", _("Staff sign-out")


class AuditEntry(models.Model):
    Action = AuditAction

    created_at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="audit_entries", help_text=_("Empty for a failed sign-in: whoever tried is not known."),
    )
    actor_name = models.CharField(_("by (name)"), max_length=300, blank=True)
    action = models.CharField(_("action"), max_length=40, choices=AuditAction.choices, db_index=True)
    content_type = models.ForeignKey(
        "contenttypes.ContentType", verbose_name=_("kind of object"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    subject = GenericForeignKey("content_type", "object_id")
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    changes = models.JSONField(_("details"), default=dict, blank=True, encoder=DjangoJSONEncoder,
                               help_text=_("Names of the changed fields and of the decision; never their values."))
    address = models.GenericIPAddressField(_("from address"), null=True, blank=True, unpack_ipv4=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit trail")
        ordering = ["-created_at", "-pk"]
        # Nobody may be granted a right to add, change or delete a line of the trail.
        default_permissions = ("view",)
        indexes = [
            models.Index(fields=["content_type", "object_id", "created_at"], name="audit_entry_subject"),
            models.Index(fields=["actor", "created_at"], name="audit_entry_actor"),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.get_action_display()} {self.object_repr}".strip()


def actor_label(user) -> str:
    """How a history line names a person: their name and address, as they were at the time."""
    return f"{user.full_name} <{user.email}>" if getattr(user, "full_name", "") else user.email
