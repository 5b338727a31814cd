"""The one state-machine engine: a status moved along a declared table, and an immutable history.

A workflow model subclasses :class:`Workflow` and declares ``TRANSITIONS`` (status -> the statuses it may
move to). Its history model subclasses :class:`WorkflowEvent`, adds the foreign key to the workflow row
with ``related_name="events"`` and ``on_delete=models.PROTECT``, and its migration installs the database
trigger with :func:`workflows.operations.ImmutableEvents`. Only :func:`workflows.services.transition`
moves a status.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.models import actor_label


class InvalidTransition(ValidationError):
    """The transitions table does not allow this move from the row's current status."""


class Workflow(models.Model):
    """A row with a ``status`` field that only moves along the edges of ``TRANSITIONS``."""

    TRANSITIONS: ClassVar[Mapping[str, frozenset[str] | set[str]]] = {}

    class Meta:
        abstract = True

    def can_transition(self, to: str) -> bool:
        return to in self.TRANSITIONS.get(self.status, ())

    def check_transition(self, to: str) -> None:
        """Raise :class:`InvalidTransition`, in words a person can read, unless ``to`` is allowed now."""
        if self.can_transition(to):
            return
        labels = dict(self._meta.get_field("status").choices)
        raise InvalidTransition(
            _("This %(noun)s (%(name)s) is “%(current)s” and cannot become “%(target)s”.") % {
                "noun": self._meta.verbose_name,
                "name": self,
                "current": labels.get(self.status, self.status or _("new")),
                "target": labels.get(to, to),
            },
            code="invalid_transition",
        )


class WorkflowEvent(models.Model):
    """One line of a workflow's history: who, when, from which status to which, and why.

    The database refuses UPDATE and DELETE on every event table (see ``workflows.operations``), with one
    exception: when an account is deleted its foreign key may become NULL, and ``actor_name`` keeps who it was.
    Subclasses add the foreign key to their workflow row (``related_name="events"``, ``on_delete=PROTECT``).
    """

    from_status = models.CharField(_("from"), max_length=40, blank=True)
    to_status = models.CharField(_("to"), max_length=40)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", help_text=_("Empty when the portal acted by itself (payment, deadline, expiry)."),
    )
    actor_name = models.CharField(
        _("by (name)"), max_length=300, blank=True, editable=False,
        help_text=_("Who acted, kept even after their account is deleted."),
    )
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)

    class Meta:
        abstract = True
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_status or '∅'} → {self.to_status} ({self.created_at:%Y-%m-%d %H:%M})"

    def save(self, *args, **kwargs) -> None:
        # The name is part of the row's own invariant: a history line always says who acted.
        if self._state.adding and self.actor_id and not self.actor_name:
            self.actor_name = actor_label(self.actor)
        super().save(*args, **kwargs)

    @property
    def by(self) -> str:
        """Who acted, for display: the account if it still exists, else the name kept at the time."""
        if self.actor_id is None and not self.actor_name:
            return str(_("the portal"))
        return self.actor_name or str(self.actor)

    by.fget.short_description = _("by")  # the column's heading in the admin's history ("操作人"), not "By"


class ProposalStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Proposal(Workflow):
    """A change to money or results that one staff member proposes and a second, different one approves.

    ``action`` names an executor registered in ``workflows.proposals``; approving runs it on the target
    with ``payload`` in the same transaction as the status change. Nothing changes before that.
    """

    Status = ProposalStatus
    TRANSITIONS = {
        ProposalStatus.PROPOSED: frozenset({ProposalStatus.APPROVED, ProposalStatus.REJECTED, ProposalStatus.WITHDRAWN}),
        ProposalStatus.APPROVED: frozenset(),
        ProposalStatus.REJECTED: frozenset(),
        ProposalStatus.WITHDRAWN: frozenset(),
    }

    status = models.CharField(_("status"), max_length=20, choices=ProposalStatus.choices,
                              default=ProposalStatus.PROPOSED, db_index=True)
    action = models.CharField(_("action"), max_length=80, db_index=True)
    summary = models.CharField(_("what"), max_length=300)
    target_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.PROTECT, related_name="+")
    target_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("target_type", "target_id")
    payload = models.JSONField(_("details"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("about"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", help_text=_("Whom the change is about: neither proposer nor approver may be in conflict with them."),
    )
    proposer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("proposed by"), null=True,
                                 on_delete=models.SET_NULL, related_name="proposals_made")
    reason = models.TextField(_("reason"))
    proposed_at = models.DateTimeField(_("proposed at"), default=timezone.now)
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="proposals_decided", help_text=_("The second staff member, who approved or rejected it."),
    )
    decision_note = models.TextField(_("decision note"), blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("proposal (two-person rule)")
        verbose_name_plural = _("proposals (two-person rule)")
        ordering = ["-proposed_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(approver__isnull=True) | Q(proposer__isnull=True) | ~Q(approver=F("proposer")),
                name="workflows_proposal_approver_not_proposer",
                violation_error_message=_("The approver must be another person than the proposer."),
            ),
            # One open proposal per action and object: a second would approve the same change twice.
            models.UniqueConstraint(fields=["action", "target_type", "target_id"],
                                    condition=Q(status=ProposalStatus.PROPOSED),
                                    name="workflows_proposal_one_open_per_target"),
        ]
        indexes = [models.Index(fields=["target_type", "target_id"], name="workflows_proposal_target")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.summary}"


class ProposalEvent(WorkflowEvent):
    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="events")

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("proposal event")
        verbose_name_plural = _("proposal events")
