"""What every workflow here shares: a status moved only along a transitions table, and immutable events."""

from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class InvalidTransition(ValidationError):
    """The transitions table does not allow this move from the current status."""


class Workflow(models.Model):
    """A row with a ``status`` field and a ``TRANSITIONS`` table (status -> statuses it may move to)."""

    TRANSITIONS: ClassVar[dict[str, frozenset[str]]] = {}

    class Meta:
        abstract = True

    def can_move_to(self, status: str) -> bool:
        return status in self.TRANSITIONS[self.status]

    def check_transition(self, status: str) -> None:
        if not self.can_move_to(status):
            labels = dict(self._meta.get_field("status").choices)
            raise InvalidTransition(
                _("This %(noun)s is %(current)s and cannot become %(target)s.") % {
                    "noun": self._meta.verbose_name,
                    "current": str(labels.get(self.status, _("new"))).lower(),
                    "target": str(labels[status]).lower(),
                },
                code="invalid_transition",
            )


class Event(models.Model):
    """One immutable line of a workflow's history; a trigger (migration 0002) refuses UPDATE and DELETE.

    Subclasses add the foreign key (``related_name="events"``) and ``from_status`` / ``to_status``.
    """

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+", help_text=_("Empty when the portal acted by itself (expiry, payment, audit draw)."),
    )
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        abstract = True
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_status or '∅'} → {self.to_status} ({self.created_at:%Y-%m-%d %H:%M})"
