"""Maker-checker: changes to money and results take one staff member to propose and another to approve.

An app registers a :class:`ProposalAction` per kind of change (``proposal_action_register``, in its
``AppConfig.ready``): the executor that performs it, whom it is about, and the permission both people need.
Its admin or service calls :func:`proposal_create`; :func:`proposal_approve`, by a second person, runs
the executor and the status change in one transaction. Approving twice does the change once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AuditAction
from audit.services import audit_record
from workflows.conflicts import decision_conflict_check
from workflows.models import Proposal, ProposalStatus
from workflows.services import event_record, transition


@dataclass(frozen=True)
class ProposalAction:
    """One kind of change under the two-person rule.

    ``execute(target, payload, actor)`` performs it for the approver (raising ``ValidationError`` if it
    no longer can; nothing is then approved); ``person(target)`` is whom it is about; ``permission`` is
    needed to propose and to approve.
    """

    name: str
    label: str
    execute: Callable
    person: Callable
    permission: str


_ACTIONS: dict[str, ProposalAction] = {}


def proposal_action_register(action: ProposalAction) -> None:
    _ACTIONS[action.name] = action


def proposal_action(name: str) -> ProposalAction:
    try:
        return _ACTIONS[name]
    except KeyError:
        raise ValidationError(_("Unknown proposed action %(name)s.") % {"name": name}, code="unknown_action") from None


def _may_act(action: ProposalAction, actor) -> None:
    if not (actor is not None and actor.is_active and actor.is_staff and actor.has_perm(action.permission)):
        raise PermissionDenied


@transaction.atomic
def proposal_create(*, action: str, target, payload: dict, actor, reason: str, summary: str = "") -> Proposal:
    """Propose ``action`` on ``target``; nothing changes until another staff member approves it."""
    registered = proposal_action(action)
    _may_act(registered, actor)
    if not reason.strip():
        raise ValidationError(_("Give the reason for this change."), code="reason_required")
    person = registered.person(target)
    decision_conflict_check(decider=actor, person=person)
    try:
        with transaction.atomic():
            proposal = Proposal.objects.create(
                action=action, target_type=ContentType.objects.get_for_model(target), target_id=target.pk,
                payload=payload, person=person, proposer=actor, reason=reason.strip(),
                summary=(summary or f"{registered.label}: {target}")[:300],
            )
    except IntegrityError:
        raise ValidationError(
            _("%(target)s already has an open proposal for this change; approve, reject or withdraw it first.")
            % {"target": target}, code="proposal_open",
        ) from None
    event_record(proposal, actor=actor, note=proposal.reason)
    _audit(proposal, AuditAction.PROPOSAL_PROPOSED, actor)
    return proposal


def _audit(proposal: Proposal, action: AuditAction, actor) -> None:
    """The trail of the proposal's target says who proposed, approved, rejected or withdrew a change to it."""
    audit_record(action=action, actor=actor, obj=proposal.target,
                 changes={"proposal": proposal.pk, "action": proposal.action})


def _locked(proposal: Proposal) -> Proposal:
    return Proposal.objects.select_for_update().get(pk=proposal.pk)


@transaction.atomic
def proposal_approve(*, proposal: Proposal, actor, note: str = "") -> Proposal:
    """A second staff member approves: the change is made now, with the status, in one transaction."""
    proposal = _locked(proposal)
    if proposal.status == ProposalStatus.APPROVED:
        return proposal  # approved already (a double click, a retried request): the change was made once
    registered = proposal_action(proposal.action)
    _may_act(registered, actor)
    if proposal.proposer_id == actor.pk:
        raise ValidationError(_("You proposed this change; another staff member must approve it."),
                              code="proposer_cannot_approve")
    decision_conflict_check(decider=actor, person=proposal.person)
    proposal.approver, proposal.decided_at, proposal.decision_note = actor, timezone.now(), note
    transition(proposal, ProposalStatus.APPROVED, actor=actor, note=note,
               update_fields=["approver", "decided_at", "decision_note"])
    registered.execute(proposal.target, proposal.payload, actor)
    _audit(proposal, AuditAction.PROPOSAL_APPROVED, actor)
    return proposal


@transaction.atomic
def proposal_reject(*, proposal: Proposal, actor, note: str) -> Proposal:
    """A second staff member refuses the change (reasons required); nothing changes."""
    proposal = _locked(proposal)
    _may_act(proposal_action(proposal.action), actor)
    if proposal.proposer_id == actor.pk:
        raise ValidationError(_("You proposed this change; withdraw it instead."), code="proposer_cannot_reject")
    if not note.strip():
        raise ValidationError(_("Give the reasons for rejecting this change."), code="reason_required")
    decision_conflict_check(decider=actor, person=proposal.person)
    proposal.approver, proposal.decided_at, proposal.decision_note = actor, timezone.now(), note
    transition(proposal, ProposalStatus.REJECTED, actor=actor, note=note,
               update_fields=["approver", "decided_at", "decision_note"])
    _audit(proposal, AuditAction.PROPOSAL_REJECTED, actor)
    return proposal


@transaction.atomic
def proposal_withdraw(*, proposal: Proposal, actor, note: str = "") -> Proposal:
    """The proposer takes the proposal back; nothing changes."""
    proposal = _locked(proposal)
    if proposal.proposer_id != actor.pk:
        raise ValidationError(_("Only the proposer can withdraw a proposal."), code="not_proposer")
    transition(proposal, ProposalStatus.WITHDRAWN, actor=actor, note=note)
    _audit(proposal, AuditAction.PROPOSAL_WITHDRAWN, actor)
    return proposal
