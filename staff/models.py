"""What every kind of organisation's staff shares: roles, memberships and email invitations.

A kind of organisation (a QTSP, an organization) subclasses both models with a ForeignKey named
``organisation`` (``related_name="staff"`` and ``"staff_invitations"``) and registers a
:class:`staff.schemes.StaffScheme` naming the pair, its roles' labels and its pages.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class StaffRole(models.TextChoices):
    """The two stored roles; each kind of organisation may call them its own way (see ``StaffScheme``)."""

    OWNER = "owner", _("Owner")
    COORDINATOR = "coordinator", _("Coordinator")


def nonce_new() -> str:
    return secrets.token_urlsafe(16)


class RoleLabelled:
    """``role_label``: the role as the registered scheme of this model's kind names it."""

    @property
    def role_label(self) -> str:
        from staff.schemes import scheme_of_model

        scheme = scheme_of_model(self._meta.label)
        return scheme.role_label(self.role) if scheme else str(StaffRole(self.role).label)


class StaffMembership(RoleLabelled, models.Model):
    """A person working for an organisation, in one role. Subclasses add ``organisation``."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE,
        related_name="%(app_label)s_%(class)s",
    )
    role = models.CharField(_("role"), max_length=20, choices=StaffRole.choices)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("added by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    created_at = models.DateTimeField(_("member since"), default=timezone.now)

    class Meta:
        abstract = True
        constraints = [
            models.UniqueConstraint(fields=["organisation", "user"], name="%(app_label)s_%(class)s_one_per_user"),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.role_label})"


class StaffInvitation(RoleLabelled, models.Model):
    """An emailed offer to join an organisation's staff. Subclasses add ``organisation``."""

    email = models.EmailField(_("email address"))
    role = models.CharField(_("role"), max_length=20, choices=StaffRole.choices)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("invited by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    nonce = models.CharField(max_length=32, default=nonce_new, editable=False)
    created_at = models.DateTimeField(_("invited at"), default=timezone.now)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("accepted by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        abstract = True
        constraints = [
            # One open invitation per address and organisation: inviting again re-sends, never duplicates.
            models.UniqueConstraint(
                "organisation", Lower("email"),
                condition=Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="%(app_label)s_%(class)s_one_open_per_email",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} ({self.role_label})"

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None

    def expires_at(self):
        return self.created_at + timedelta(days=settings.STAFF_INVITATION_MAX_AGE_DAYS)

    @property
    def is_expired(self) -> bool:
        return timezone.now() >= self.expires_at()
