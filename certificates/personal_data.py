"""Certificates, PDU claims and renewals in the holder's data copy and their erasure (CertificatesConfig hooks).

The public register keeps an erased holder's certificate: its number, level, dates and status
(revocation included), without the name on it; the PDF, which prints the name, is deleted.
"""

from django.utils.translation import gettext as _

from applicants.personal_data import rows
from certificates.models import (
    RENEWAL_OPEN_STATUSES,
    Certificate,
    CertificateKind,
    MembershipUpgradeCheck,
    PDUClaim,
    PDUClaimStatus,
    Renewal,
)
from documents.storage import file_delete_on_commit


def data(user) -> dict:
    return {
        "certificates": rows(Certificate.objects.filter(holder=user).order_by("issued_on"), "number", "kind",
                             "level__code", "programme_name", "legal_name", "issued_on", "valid_from", "expires_on",
                             "status", "revocation_reason"),
        "pdu_claims": rows(PDUClaim.objects.filter(holder=user).order_by("submitted_at"), "certificate__number",
                           "activity", "provider", "activity_date", "hours", "category", "evidence_name", "status",
                           "submitted_at", "decided_at", "decision_note"),
        "renewals": rows(Renewal.objects.filter(holder=user), "certificate__number", "status", "pdu_hours",
                         "applied_at", "decided_at", "decision_note"),
    }


def files(user):
    certificates = [(f"certificate-{certificate.number}.pdf", certificate.pdf)
                    for certificate in Certificate.objects.filter(holder=user)]
    evidence = [(f"pdu-{claim.pk}-{claim.evidence_name}", claim.evidence)
                for claim in PDUClaim.objects.filter(holder=user)]
    return certificates + evidence


def erase_blockers(user) -> list[str]:
    reasons = []
    if Renewal.objects.filter(holder=user, status__in=RENEWAL_OPEN_STATUSES).exists():
        reasons.append(_("A renewal of your certificate is open: withdraw it or wait for the committee's decision."))
    if PDUClaim.objects.filter(holder=user, status=PDUClaimStatus.IN_AUDIT).exists():
        reasons.append(_("A PDU claim of yours is being audited: wait for the committee's decision."))
    return reasons


def erase(user) -> None:
    for certificate in Certificate.objects.filter(holder=user):
        file_delete_on_commit(certificate.pdf)
    for claim in PDUClaim.objects.filter(holder=user):
        file_delete_on_commit(claim.evidence)
    Certificate.objects.filter(holder=user, kind=CertificateKind.INDIVIDUAL).update(legal_name="", pdf="")
    Certificate.objects.filter(holder=user).update(pdf="")
    PDUClaim.objects.filter(holder=user).update(evidence="", evidence_name="", activity="", provider="")
    MembershipUpgradeCheck.objects.filter(user=user).delete()
