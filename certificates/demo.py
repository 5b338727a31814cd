"""Demo certificates for `make run`: an active one for applicant@, an expired one with a renewal in
progress, a revoked one and one with a Chinese name, so that /verify/ and the badges can be tried."""

import datetime
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction

from certificates.models import Certificate, CertificateStatus, PDUCategory, PDUClaim, PDUClaimStatus, Renewal
from certificates.periods import today
from certificates.selectors import pdu_required
from certificates.services import certificate_issue, certificate_revoke, certificate_transition, renewal_apply

APPLICANT_EMAIL = "applicant@ipma.example"
# Holders who exist only to hold demo certificates; they cannot sign in.
DEMO_HOLDERS = {
    "expired": ("mentor.expired@ipma.example", "Jonas Eriksson"),
    "revoked": ("mentor.revoked@ipma.example", "Oliver Grant"),
    "chinese": ("mentor.li@ipma.example", "李娜"),
}
EVIDENCE = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _holder(email: str, name: str):
    user, created = get_user_model().objects.get_or_create(email=email, defaults={"full_name": name})
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def _claim(certificate: Certificate, *, activity: str, hours: Decimal, on: datetime.date) -> None:
    if certificate.pdu_claims.filter(activity=activity).exists():
        return
    claim = PDUClaim(
        certificate=certificate, holder=certificate.holder, activity=activity, provider="IPMA Academy",
        activity_date=on, hours=hours, category=PDUCategory.EDUCATION, evidence_name="attendance.pdf",
        evidence_kind="pdf", status=PDUClaimStatus.APPROVED, decided_at=None,
    )
    claim.evidence.save("attendance.pdf", ContentFile(EVIDENCE), save=False)
    claim.save()


@transaction.atomic
def _shift_into_past(certificate: Certificate, *, expired_days_ago: int) -> Certificate:
    """Demo only: move a fresh certificate's period back so that it ended ``expired_days_ago`` days ago."""
    expires_on = today() - datetime.timedelta(days=expired_days_ago)
    valid_from = expires_on + relativedelta(years=-certificate.level.certificate_validity_years)
    Certificate.objects.filter(pk=certificate.pk).update(issued_on=valid_from, valid_from=valid_from,
                                                         expires_on=expires_on)
    certificate.refresh_from_db()
    if certificate.status == CertificateStatus.ACTIVE:
        certificate_transition(certificate=certificate, to_status=CertificateStatus.EXPIRED, actor=None,
                               note="Demo data: expired.")
    return certificate


def seed(stdout) -> None:
    user_model = get_user_model()
    applicant = user_model.objects.filter(email=APPLICANT_EMAIL).first()
    reviewer = user_model.objects.filter(email="reviewer@ipma.example").first()
    shown = []
    if applicant is not None:
        active = certificate_issue(user=applicant, level_code="AM", legal_name=applicant.full_name or "Amara Applicant",
                                   actor=reviewer, source="demo:applicant-am")
        _claim(active, activity="Mentoring ethics in practice (webinar)", hours=Decimal("6.0"), on=active.valid_from)
        shown.append((active, "active, holder applicant@ipma.example"))

    email, name = DEMO_HOLDERS["expired"]
    expired = certificate_issue(user=_holder(email, name), level_code="PM", legal_name=name, actor=reviewer,
                                source="demo:expired-pm")
    if expired.status == CertificateStatus.ACTIVE:
        expired = _shift_into_past(expired, expired_days_ago=20)
    _claim(expired, activity="Supervision group, full year", hours=Decimal(pdu_required("PM")),
           on=expired.valid_from + datetime.timedelta(days=400))
    if not Renewal.objects.filter(certificate=expired).exists():
        try:
            renewal_apply(certificate=expired, actor=expired.holder)
        except ValidationError as error:  # e.g. no renewal fee in the fee schedule yet
            stdout.write(f"  (demo renewal not opened: {' '.join(error.messages)})")
    shown.append((expired, "expired 20 days ago, renewal in progress"))

    email, name = DEMO_HOLDERS["revoked"]
    revoked = certificate_issue(user=_holder(email, name), level_code="SM", legal_name=name, actor=reviewer,
                                source="demo:revoked-sm")
    if revoked.status == CertificateStatus.ACTIVE:
        revoked = certificate_revoke(certificate=revoked, actor=reviewer,
                                     reason="Demo data: breach of the Code of Ethics and Conduct.")
    shown.append((revoked, "revoked"))

    email, name = DEMO_HOLDERS["chinese"]
    chinese = certificate_issue(user=_holder(email, name), level_code="MM", legal_name=name, actor=reviewer,
                                source="demo:chinese-mm")
    shown.append((chinese, "active, Chinese name"))

    stdout.write("Demo certificates (try them at /verify/<number>/; PDFs render in the Celery worker):")
    for certificate, note in shown:
        stdout.write(f"  {certificate.number:<22} {certificate.legal_name} — {note}")
