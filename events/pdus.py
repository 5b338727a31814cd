"""PDUs credited for attending: an approved claim with the event as its source, exactly once.

TO MOVE into certificates (it owns PDU claims): ``pdu_credit(holder, hours, activity, source, ...)`` and
``pdu_credit_withdraw(claim)``, with an ``approved -> withdrawn`` edge for credited claims in its
transitions table. certificates has no such service yet, so the claim is written here from its models,
the way ``certificates.services.pdus.pdu_claim_submit`` writes one, minus the evidence and the audit draw.
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from certificates.models import PDUCategory, PDUClaim, PDUClaimEvent, PDUClaimStatus
from certificates.selectors import certificates_active
from events.models import PDUCredit, Registration


def _certificate_for(person, day: datetime.date):
    """The holder's certificate in force whose period includes ``day`` (the latest, if several)."""
    return (certificates_active().filter(holder=person, valid_from__lte=day, expires_on__gt=day)
            .order_by("-expires_on", "-pk").first())


def pdu_credit_sync(*, registration: Registration, actor) -> PDUCredit | None:
    """Make the registration's credit match its attendance; call with the registration row locked.

    A counted attendance credits the event's PDUs once; a corrected one withdraws them. Returns the live
    credit, if any.
    """
    event = registration.event
    live = registration.pdu_credits.filter(withdrawn_at__isnull=True).select_related("claim").first()
    wanted = bool(registration.attended) and event.pdu_value > 0
    if wanted and live is not None:
        return live
    if not wanted:
        if live is not None:
            _withdraw(live, actor=actor)
        return None
    day = event.starts_at.astimezone(datetime.UTC).date()
    certificate = _certificate_for(registration.person, day)
    if certificate is None:
        return None  # not a certificate holder on the day: nothing to credit toward
    now = timezone.now()
    claim = PDUClaim.objects.create(
        certificate=certificate, holder=registration.person, activity=event.title[:200],
        provider=settings.CERTIFICATES_ISSUER_NAME[:200], activity_date=day, hours=Decimal(event.pdu_value),
        category=PDUCategory.EDUCATION, evidence="", evidence_name="", evidence_kind="",
        status=PDUClaimStatus.APPROVED, audit_selected=False, submitted_at=now, decided_at=now, decided_by=actor,
        decision_note=_("Credited for attending the event %(event)s.") % {"event": event.slug},
    )
    PDUClaimEvent.objects.create(claim=claim, from_status="", to_status=PDUClaimStatus.APPROVED, actor=actor,
                                 note=claim.decision_note)
    return PDUCredit.objects.create(registration=registration, claim=claim, hours=claim.hours, credited_at=now)


def _withdraw(credit: PDUCredit, *, actor) -> None:
    # certificates' table has no approved -> withdrawn edge yet (see the module docstring): the claim is
    # moved by this one guarded UPDATE, and its history records it like a transition.
    moved = PDUClaim.objects.filter(pk=credit.claim_id, status=PDUClaimStatus.APPROVED).update(
        status=PDUClaimStatus.WITHDRAWN, decided_at=timezone.now())
    if moved:
        PDUClaimEvent.objects.create(
            claim_id=credit.claim_id, from_status=PDUClaimStatus.APPROVED, to_status=PDUClaimStatus.WITHDRAWN,
            actor=actor, note=_("Attendance corrected: the event's PDUs no longer count."),
        )
    credit.withdrawn_at = timezone.now()
    credit.save(update_fields=["withdrawn_at"])
