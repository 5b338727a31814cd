"""Money changed by hand takes two staff members (``workflows.proposals``): one proposes, another approves.

A bank transfer confirmed by hand, a refund and a membership period granted by hand are each proposed
here and made by their executor when a second, different staff member approves.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from applicants.models import User
from payments.models import Invoice, InvoiceStatus, MembershipPeriod, PaymentEvent
from payments.services.checkout import bank_transfer_confirm
from payments.services.refunds import refund_request
from workflows.conflicts import decision_conflict_check
from workflows.proposals import ProposalAction, proposal_action_register, proposal_create

BANK_TRANSFER_CONFIRM = "payments.bank_transfer_confirm"
REFUND = "payments.refund"
MEMBERSHIP_GRANT = "payments.membership_grant"


# ---- proposing -----------------------------------------------------------------------------------------


def bank_transfer_confirm_propose(*, invoice: Invoice, actor, bank_reference: str, reason: str = ""):
    """Propose that the full amount of ``invoice`` arrived by bank transfer (reference as on the statement)."""
    if not invoice.can_transition(InvoiceStatus.PAID):
        raise ValidationError(_("%(number)s is not open.") % {"number": invoice.number}, code="not_open")
    bank_reference = bank_reference.strip()
    if not bank_reference:
        raise ValidationError(_("Give the bank reference of the transfer."), code="reference_required")
    # Refused here, not when the approver's payment record could not hold it (a database error then).
    limit = PaymentEvent._meta.get_field("payment_reference").max_length
    if len(bank_reference) > limit:
        raise ValidationError(_("The bank reference is too long: at most %(limit)s characters.") % {"limit": limit},
                              code="reference_too_long")
    return proposal_create(
        action=BANK_TRANSFER_CONFIRM, target=invoice, payload={"bank_reference": bank_reference}, actor=actor,
        reason=reason or _("Bank transfer received, reference %(reference)s.") % {"reference": bank_reference},
        summary=_("Confirm the bank transfer for %(number)s (%(amount)s %(currency)s)") % {
            "number": invoice.number, "amount": invoice.amount, "currency": invoice.currency},
    )


def refund_propose(*, invoice: Invoice, actor, reason: str):
    """Propose a full refund of a paid invoice."""
    if invoice.status != InvoiceStatus.PAID:
        raise ValidationError(_("Only a paid invoice can be refunded."), code="not_paid")
    return proposal_create(
        action=REFUND, target=invoice, payload={"reason": reason.strip()}, actor=actor, reason=reason,
        summary=_("Refund %(number)s (%(amount)s %(currency)s)") % {
            "number": invoice.number, "amount": invoice.amount, "currency": invoice.currency},
    )


def membership_grant_propose(*, user: User, plan: str, starts_on: datetime.date, ends_on: datetime.date | None,
                             actor, reason: str):
    """Propose a membership period granted by hand (no invoice); ``ends_on`` None is permanent."""
    period = MembershipPeriod(user=user, plan=plan, starts_on=starts_on, ends_on=ends_on)
    period.full_clean(exclude=["invoice"])
    return proposal_create(
        action=MEMBERSHIP_GRANT, target=user, actor=actor, reason=reason,
        payload={"plan": plan, "starts_on": starts_on.isoformat(), "ends_on": ends_on.isoformat() if ends_on else None},
        summary=_("Membership for %(person)s: %(plan)s from %(start)s to %(end)s") % {
            "person": user, "plan": plan, "start": starts_on, "end": ends_on or _("permanent")},
    )


# ---- the executors, run on approval ----------------------------------------------------------------------


def _bank_transfer_execute(invoice: Invoice, payload: dict, actor) -> None:
    result = bank_transfer_confirm(invoice=invoice, actor=actor, bank_reference=payload["bank_reference"])
    if result.outcome != "processed":
        raise ValidationError(f"{result.event.get_outcome_display()} {result.event.note}".strip(), code="not_processed")


def _refund_execute(invoice: Invoice, payload: dict, actor) -> None:
    decision_conflict_check(decider=actor, person=invoice.payer)
    refund_request(invoice=invoice, actor=actor, reason=payload["reason"])


@transaction.atomic
def membership_period_grant(*, user: User, plan: str, starts_on: datetime.date, ends_on: datetime.date | None,
                            actor) -> MembershipPeriod:
    """Create a membership period by hand (the approved proposal); its history names the approver."""
    decision_conflict_check(decider=actor, person=user)
    period = MembershipPeriod(user=user, plan=plan, starts_on=starts_on, ends_on=ends_on)
    period.full_clean(exclude=["invoice"])
    period._history_user = actor  # django-simple-history: who made the row
    period.save()
    return period


def _membership_execute(user: User, payload: dict, actor) -> None:
    membership_period_grant(
        user=user, plan=payload["plan"], starts_on=datetime.date.fromisoformat(payload["starts_on"]),
        ends_on=datetime.date.fromisoformat(payload["ends_on"]) if payload.get("ends_on") else None, actor=actor,
    )


def proposal_actions_register() -> None:
    """Called by ``PaymentsConfig.ready``."""
    proposal_action_register(ProposalAction(
        name=BANK_TRANSFER_CONFIRM, label=gettext_lazy("Confirm a bank transfer"), execute=_bank_transfer_execute,
        person=lambda invoice: invoice.payer, permission="payments.confirm_bank_transfer"))
    proposal_action_register(ProposalAction(
        name=REFUND, label=gettext_lazy("Refund an invoice"), execute=_refund_execute,
        person=lambda invoice: invoice.payer, permission="payments.refund_invoice"))
    proposal_action_register(ProposalAction(
        name=MEMBERSHIP_GRANT, label=gettext_lazy("Grant a membership period"), execute=_membership_execute,
        person=lambda user: user, permission="payments.add_membershipperiod"))
