"""PDU claims: submission with the random audit draw, the committee's audit, withdrawal."""

import datetime
import secrets
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from certificates.models import Certificate, PDUClaim, PDUClaimStatus
from certificates.periods import today
from certificates.selectors import claims_open_for
from documents.validators import validate_upload
from notifications.services import outbox_enqueue_template
from workflows.conflicts import decision_conflict_check
from workflows.services import event_record, transition

EVIDENCE_KINDS = ("pdf", "jpeg", "png", "docx")
MAX_HOURS_PER_CLAIM = Decimal("100")


def audit_draw() -> bool:
    """True for the share of claims (``CERTIFICATES_PDU_AUDIT_SHARE``) the committee audits."""
    return secrets.SystemRandom().random() < settings.CERTIFICATES_PDU_AUDIT_SHARE


@transaction.atomic
def pdu_claim_submit(*, certificate: Certificate, actor, activity: str, provider: str,
                     activity_date: datetime.date, hours: Decimal, category: str, evidence) -> PDUClaim:
    """Record a PDU claim with its evidence; it counts at once unless drawn for the committee's audit."""
    if certificate.holder_id != actor.pk:
        raise PermissionDenied
    if not claims_open_for(certificate):
        raise ValidationError(_("PDUs can no longer be claimed toward this certificate."), code="closed")
    if activity_date > today():
        raise ValidationError(_("The activity's date cannot be in the future."), code="future")
    if activity_date < certificate.valid_from:
        raise ValidationError(
            _("Only activities from %(date)s on count toward this certificate period.")
            % {"date": formats.date_format(certificate.valid_from, "DATE_FORMAT")},
            code="before_period",
        )
    hours = Decimal(hours).quantize(Decimal("0.1"))
    if not Decimal("0") < hours <= MAX_HOURS_PER_CLAIM:
        raise ValidationError(
            _("Claim between 0.5 and %(max)s hours for one activity.") % {"max": MAX_HOURS_PER_CLAIM}, code="hours"
        )
    kind = validate_upload(evidence, kinds=EVIDENCE_KINDS)
    audited = audit_draw()
    now = timezone.now()
    claim = PDUClaim(
        certificate=certificate, holder=actor, activity=activity.strip(), provider=provider.strip(),
        activity_date=activity_date, hours=hours, category=category, evidence_name=evidence.name,
        evidence_kind=kind, status="", audit_selected=audited, submitted_at=now,
        decided_at=None if audited else now,
    )
    claim.full_clean(exclude=["evidence", "status"])
    claim.evidence.save(evidence.name, evidence, save=False)
    target = PDUClaimStatus.IN_AUDIT if audited else PDUClaimStatus.APPROVED
    claim.status = target
    claim.save()
    event_record(claim, actor=actor, from_status="",
                 note=_("Drawn at random for the committee's audit.") if audited else "")
    return claim


def _locked(claim: PDUClaim) -> PDUClaim:
    return PDUClaim.objects.select_for_update(of=("self",)).select_related("holder", "certificate__level").get(
        pk=claim.pk
    )


def _notify_audit(claim: PDUClaim) -> None:
    outbox_enqueue_template(
        key=f"pdu-audit-decided:{claim.pk}", to=claim.holder.email, template="certificates/email/pdu_audited",
        context={"claim": claim, "certificate": claim.certificate}, language=claim.holder.preferred_language or None,
    )


@transaction.atomic
def pdu_claim_approve(*, claim: PDUClaim, actor, note: str = "") -> PDUClaim:
    """The committee accepts an audited claim's evidence; its hours count from now on."""
    claim = _locked(claim)
    decision_conflict_check(decider=actor, person=claim.holder)
    claim.decided_at, claim.decided_by, claim.decision_note = timezone.now(), actor, note.strip()
    transition(claim, PDUClaimStatus.APPROVED, actor=actor, note=claim.decision_note,
                      update_fields=["decided_at", "decided_by", "decision_note"])
    _notify_audit(claim)
    return claim


@transaction.atomic
def pdu_claim_reject(*, claim: PDUClaim, actor, reason: str) -> PDUClaim:
    """The committee refuses an audited claim, with reasons the holder reads."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give the reasons for rejecting the claim."), code="no_reason")
    claim = _locked(claim)
    decision_conflict_check(decider=actor, person=claim.holder)
    claim.decided_at, claim.decided_by, claim.decision_note = timezone.now(), actor, reason
    transition(claim, PDUClaimStatus.REJECTED, actor=actor, note=reason,
                      update_fields=["decided_at", "decided_by", "decision_note"])
    _notify_audit(claim)
    return claim


@transaction.atomic
def pdu_claim_withdraw(*, claim: PDUClaim, actor) -> PDUClaim:
    """The holder takes back a claim that is still in audit."""
    claim = _locked(claim)
    if claim.holder_id != actor.pk:
        raise PermissionDenied
    transition(claim, PDUClaimStatus.WITHDRAWN, actor=actor)
    return claim
