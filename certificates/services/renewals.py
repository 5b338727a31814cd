"""Renewal (CCR): the holder applies once the PDUs are met, pays the fee, the committee decides.

Approval starts the next certificate period where the old one ends (so renewing early loses no time
and renewing in the grace period gains none) and supersedes the old certificate.
"""

import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from applicants.selectors import profile_of
from certificates.models import (
    Certificate,
    CertificateKind,
    CertificateStatus,
    Renewal,
    RenewalStatus,
)
from certificates.selectors import pdu_progress, renewal_possible
from certificates.services.issuing import _create, _notify, certificate_transition
from notifications.services import outbox_enqueue_template
from payments.selectors import invoice_is_paid
from payments.services import invoice_charge, invoice_refund, invoice_void
from workflows.conflicts import decision_conflict_check
from workflows.services import event_record, transition

logger = logging.getLogger(__name__)

FEE_KIND = "renewal"


def _locked(renewal: Renewal) -> Renewal:
    return Renewal.objects.select_for_update(of=("self",)).select_related("holder", "certificate__level").get(
        pk=renewal.pk
    )


def _fee_raise(renewal: Renewal, *, actor) -> None:
    """The renewal fee, billed to the holder's sponsor when their sponsorship covers renewals (the renewal then
    goes to the committee as with a fee paid)."""
    invoice_charge(payer=renewal.holder, kind=FEE_KIND, reference=renewal.payment_reference,
                   level_code=renewal.certificate.level.code, actor=actor)


def renewal_fee_is_paid(renewal: Renewal) -> bool:
    """Whether the renewal fee is paid."""
    return invoice_is_paid(kind=FEE_KIND, reference=renewal.payment_reference)


def _fee_void(renewal: Renewal, *, actor, note: str) -> None:
    """Void the open fee invoice; a paid one raises ValidationError (the caller decides)."""
    invoice_void(kind=FEE_KIND, reference=renewal.payment_reference, actor=actor, note=note)


@transaction.atomic
def renewal_apply(*, certificate: Certificate, actor) -> Renewal:
    """The holder applies to renew once the level's PDUs are met; the renewal fee is raised."""
    certificate = Certificate.objects.select_for_update(of=("self",)).select_related("level").get(pk=certificate.pk)
    if certificate.holder_id != actor.pk:
        raise PermissionDenied
    if not renewal_possible(certificate):
        if certificate.status == CertificateStatus.EXPIRED:
            raise ValidationError(
                _("The grace period for renewing this certificate ended on %(date)s; apply for the level again.")
                % {"date": formats.date_format(certificate.grace_ends_on, "DATE_FORMAT")},
                code="grace_over",
            )
        raise ValidationError(
            _("A certificate that is %(status)s cannot be renewed.")
            % {"status": certificate.get_status_display().lower()},
            code="not_renewable",
        )
    if certificate.renewals.filter(status__in=[RenewalStatus.AWAITING_PAYMENT, RenewalStatus.UNDER_REVIEW]).exists():
        raise ValidationError(_("A renewal of this certificate is already open."), code="already_open")
    progress = pdu_progress(certificate)
    if not progress.met:
        raise ValidationError(
            _("You have %(approved)s of the %(required)s approved PDUs this renewal needs.")
            % {"approved": progress.approved, "required": progress.required},
            code="pdus_short",
        )
    renewal = Renewal.objects.create(
        certificate=certificate, holder=actor, status=RenewalStatus.AWAITING_PAYMENT,
        pdu_hours=progress.approved, pdu_required=progress.required,
    )
    event_record(renewal, actor=actor, from_status="")
    _fee_raise(renewal, actor=actor)
    return renewal


@transaction.atomic
def renewal_fee_paid(*, renewal_id: int) -> Renewal | None:
    """The fee arrived: the renewal goes to the committee. Safe to call again for the same renewal."""
    renewal = Renewal.objects.select_for_update().filter(pk=renewal_id).first()
    if renewal is None:
        logger.warning("Renewal %s from a paid invoice does not exist", renewal_id)
        return None
    if renewal.status != RenewalStatus.AWAITING_PAYMENT:
        return renewal
    transition(renewal, RenewalStatus.UNDER_REVIEW, actor=None, note=_("Renewal fee paid."))
    return renewal


def _new_legal_name(renewal: Renewal) -> str:
    """The name as it stands in the profile now (people change names), else the old certificate's."""
    return profile_of(renewal.holder).legal_name or renewal.certificate.legal_name


@transaction.atomic
def renewal_approve(*, renewal: Renewal, actor, note: str = "") -> Certificate:
    """Start the next certificate period: a new certificate from the old one's expiry; the old is superseded."""
    renewal = _locked(renewal)
    decision_conflict_check(decider=actor, person=renewal.holder)
    renewal.check_transition(RenewalStatus.APPROVED)
    if not renewal_fee_is_paid(renewal):
        raise ValidationError(_("The renewal fee is not paid."), code="unpaid")
    old = Certificate.objects.select_for_update(of=("self",)).select_related("level").get(pk=renewal.certificate_id)
    level = old.level
    certificate_transition(certificate=old, to_status=CertificateStatus.SUPERSEDED, actor=actor,
                           note=_("Renewed (renewal %(id)s).") % {"id": renewal.pk})
    new = _create(
        kind=CertificateKind.INDIVIDUAL, prefix=level.code, legal_name=_new_legal_name(renewal),
        valid_from=old.expires_on, years=level.certificate_validity_years, actor=actor,
        source=renewal.payment_reference, note=_("Renewal of %(number)s") % {"number": old.number},
        holder=renewal.holder, level=level, previous=old,
    )
    renewal.decided_at, renewal.decided_by, renewal.decision_note = timezone.now(), actor, note.strip()
    renewal.new_certificate = new
    transition(renewal, RenewalStatus.APPROVED, actor=actor, note=renewal.decision_note,
                update_fields=["decided_at", "decided_by", "decision_note", "new_certificate"])
    _notify(new, key=f"renewal-approved:{renewal.pk}", template="renewal_approved", context={"old": old})
    return new


@transaction.atomic
def renewal_reject(*, renewal: Renewal, actor, reason: str) -> Renewal:
    """The committee refuses a renewal with reasons; an unpaid fee invoice is voided (a paid fee paid for the review)."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give the reasons for rejecting the renewal."), code="no_reason")
    renewal = _locked(renewal)
    decision_conflict_check(decider=actor, person=renewal.holder)
    was_awaiting = renewal.status == RenewalStatus.AWAITING_PAYMENT
    renewal.decided_at, renewal.decided_by, renewal.decision_note = timezone.now(), actor, reason
    transition(renewal, RenewalStatus.REJECTED, actor=actor, note=reason,
                update_fields=["decided_at", "decided_by", "decision_note"])
    if was_awaiting:
        _fee_void(renewal, actor=actor, note=_("Renewal rejected."))
    outbox_enqueue_template(
        key=f"renewal-rejected:{renewal.pk}", to=renewal.holder.email, template="certificates/email/renewal_rejected",
        context={"renewal": renewal, "certificate": renewal.certificate, "reason": reason},
        language=renewal.holder.preferred_language or None,
    )
    return renewal


@transaction.atomic
def renewal_withdraw(*, renewal: Renewal, actor) -> Renewal:
    """The holder withdraws a renewal before paying; its invoice is voided (a paid one cannot be)."""
    renewal = _locked(renewal)
    if renewal.holder_id != actor.pk:
        raise PermissionDenied
    transition(renewal, RenewalStatus.WITHDRAWN, actor=actor)
    _fee_void(renewal, actor=actor, note=_("Renewal withdrawn."))
    return renewal


def renewal_close_for_revocation(*, renewal: Renewal, actor) -> None:
    """A revoked certificate cannot be renewed: close its open renewal and give back an unused fee."""
    note = _("The certificate was revoked.")
    renewal.decided_at, renewal.decided_by, renewal.decision_note = timezone.now(), actor, note
    transition(renewal, RenewalStatus.REJECTED, actor=actor, note=note,
                update_fields=["decided_at", "decided_by", "decision_note"])
    # Voids the invoice if still open, refunds it if paid: the renewal was never reviewed.
    invoice_refund(kind=FEE_KIND, reference=renewal.payment_reference, actor=actor, reason=note)
