"""Reads of certificates, PDU progress and renewals, for views, the admin, the dashboard and other apps."""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet, Sum
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from certificates.models import (
    RENEWAL_OPEN_STATUSES,
    Certificate,
    CertificateKind,
    CertificateStatus,
    PDUClaim,
    PDUClaimStatus,
    Renewal,
)
from certificates.periods import today
from ipma_portal.reference_cache import ReferenceData


def _holder_countries(language) -> list[tuple[str, str]]:
    # ``order_by()``: with the model's ordering the DISTINCT ran over (country, issued_on, pk).
    codes = (Certificate.objects.exclude(holder__profile__country="").exclude(holder__profile__isnull=True)
             .values_list("holder__profile__country", flat=True).distinct().order_by())
    return sorted(((code, countries.name(code)) for code in codes), key=lambda pair: pair[1])


# The holders' countries the committee's certificate list filters by: a scan of every certificate with its
# holder's profile (50 ms at 30,000 certificates), kept per language until a certificate or a profile changes.
HOLDER_COUNTRIES = ReferenceData("certificate-holder-countries", models=["certificates.Certificate", "applicants.Profile"],
                                 build=_holder_countries)


def certificate_holder_countries() -> list[tuple[str, str]]:
    """(code, name) of the countries of certificate holders (from their profiles), by name."""
    return HOLDER_COUNTRIES.get(translation.get_language())


# Permission rules: one place each ----------------------------------------------------------------


def certificates_visible_to(user) -> QuerySet[Certificate]:
    """The holder sees their own certificates; staff with the view permission see all of them."""
    if not user.is_authenticated:
        return Certificate.objects.none()
    certificates = Certificate.objects.select_related("level", "holder")
    if user.is_staff and user.has_perm("certificates.view_certificate"):
        return certificates
    return certificates.filter(holder=user)


def pdu_claims_visible_to(user) -> QuerySet[PDUClaim]:
    """The holder sees their own claims (and evidence); staff with the view permission see all."""
    if not user.is_authenticated:
        return PDUClaim.objects.none()
    claims = PDUClaim.objects.select_related("certificate__level", "holder")
    if user.is_staff and user.has_perm("certificates.view_pduclaim"):
        return claims
    return claims.filter(holder=user)


# For other apps (organizations: the directory, accredited mentors, the programme certificate) -------


def certificates_active() -> QuerySet[Certificate]:
    """Certificates in force today: active and not past expiry (a renewed one counts from its approval)."""
    return Certificate.objects.filter(status=CertificateStatus.ACTIVE, expires_on__gt=today())


def certificate_pdf(number: str):
    """The certificate's rendered PDF (a FieldFile), or None; the caller checks who may have it."""
    certificate = Certificate.objects.filter(number=number_normalise(number)).only("pdf").first()
    return certificate.pdf if certificate is not None and certificate.pdf else None


# Periods, PDUs and renewal ---------------------------------------------------------------------


def pdu_required(level_code: str) -> int:
    """PDUs to earn per certificate period at a level (setting CERTIFICATES_PDU_REQUIRED)."""
    return settings.CERTIFICATES_PDU_REQUIRED[level_code]


def in_grace(certificate: Certificate) -> bool:
    return certificate.status == CertificateStatus.EXPIRED and today() < certificate.grace_ends_on


def renewal_possible(certificate: Certificate) -> bool:
    """An individual certificate that is active, or expired and still inside the grace period."""
    if certificate.kind != CertificateKind.INDIVIDUAL:
        return False
    return certificate.status == CertificateStatus.ACTIVE or in_grace(certificate)


claims_open_for = renewal_possible  # PDUs count toward the same periods that can still be renewed


@dataclass(frozen=True)
class PDUProgress:
    approved: Decimal
    in_audit: Decimal
    required: int

    @property
    def met(self) -> bool:
        return self.approved >= self.required

    @property
    def percent(self) -> int:
        if not self.required:
            return 100
        return min(100, int(self.approved * 100 / self.required))


def pdu_totals(certificate_ids: Iterable[int]) -> dict[int, tuple[Decimal, Decimal]]:
    rows = (
        PDUClaim.objects.filter(certificate_id__in=list(certificate_ids))
        .values("certificate_id")
        .annotate(
            approved=Sum("hours", filter=Q(status=PDUClaimStatus.APPROVED)),
            in_audit=Sum("hours", filter=Q(status=PDUClaimStatus.IN_AUDIT)),
        )
    )
    return {row["certificate_id"]: (row["approved"] or Decimal("0"), row["in_audit"] or Decimal("0")) for row in rows}


def pdu_progress(certificate: Certificate) -> PDUProgress:
    """Approved and audited-pending PDUs toward the certificate's level requirement (one query)."""
    approved, in_audit = pdu_totals([certificate.pk]).get(certificate.pk, (Decimal("0"), Decimal("0")))
    return PDUProgress(approved=approved, in_audit=in_audit, required=pdu_required(certificate.level.code))


def claims_of(certificate: Certificate) -> QuerySet[PDUClaim]:
    return certificate.pdu_claims.order_by("-activity_date", "-pk")


def renewals_of(certificate: Certificate) -> QuerySet[Renewal]:
    return certificate.renewals.order_by("-applied_at", "-pk")


# Public verification ---------------------------------------------------------------------------


class VerifiedStatus:
    ACTIVE = "active"
    EXPIRED = "expired"
    RENEWAL_IN_PROGRESS = "renewal_in_progress"
    REVOKED = "revoked"
    SUPERSEDED = "superseded"


VERIFIED_LABELS = {
    VerifiedStatus.ACTIVE: _("Active"),
    VerifiedStatus.EXPIRED: _("Expired"),
    VerifiedStatus.RENEWAL_IN_PROGRESS: _("Expired — renewal in progress"),
    VerifiedStatus.REVOKED: _("Revoked"),
    VerifiedStatus.SUPERSEDED: _("Superseded by a renewed certificate"),
}


@dataclass(frozen=True)
class Verification:
    """What the public may know about a certificate: no more than the certificate itself states."""

    number: str
    name: str
    title: str
    is_programme: bool
    status: str
    issued_on: object
    expires_on: object

    @property
    def status_label(self) -> str:
        return VERIFIED_LABELS[self.status]

    @property
    def is_valid(self) -> bool:
        return self.status == VerifiedStatus.ACTIVE


def number_normalise(number: str) -> str:
    return "".join((number or "").split()).upper()


def certificate_verify(number: str) -> Verification | None:
    """The public facts of the certificate with this number, or None (one query)."""
    certificate = (
        Certificate.objects.select_related("level")
        .annotate(renewal_open=Exists(Renewal.objects.filter(certificate=OuterRef("pk"),
                                                             status__in=RENEWAL_OPEN_STATUSES)))
        .filter(number=number_normalise(number))
        .first()
    )
    if certificate is None:
        return None
    status = certificate.status
    if status == CertificateStatus.EXPIRED and certificate.renewal_open and in_grace(certificate):
        status = VerifiedStatus.RENEWAL_IN_PROGRESS
    return Verification(
        number=certificate.number, name=certificate.legal_name, title=certificate.title,
        is_programme=certificate.is_programme, status=status, issued_on=certificate.issued_on,
        expires_on=certificate.expires_on,
    )


# The holder's dashboard ------------------------------------------------------------------------


@dataclass(frozen=True)
class DashboardEntry:
    certificate: Certificate
    progress: PDUProgress
    renewal: Renewal | None

    @property
    def renewable(self) -> bool:
        return renewal_possible(self.certificate)

    @property
    def can_apply(self) -> bool:
        return self.renewable and self.progress.met and (self.renewal is None or not self.renewal.is_open)

    @property
    def in_grace(self) -> bool:
        return in_grace(self.certificate)


def holder_dashboard(*, user) -> list[DashboardEntry]:
    """The holder's current certificates (not superseded ones) with PDU progress and renewal: three queries."""
    certificates = list(
        Certificate.objects.filter(holder=user, kind=CertificateKind.INDIVIDUAL)
        .exclude(status=CertificateStatus.SUPERSEDED)
        .select_related("level")
        .order_by("level__rank", "-issued_on")
    )
    if not certificates:
        return []
    ids = [certificate.pk for certificate in certificates]
    totals = pdu_totals(ids)
    latest: dict[int, Renewal] = {}
    for renewal in Renewal.objects.filter(certificate_id__in=ids).order_by("certificate_id", "-applied_at", "-pk"):
        latest.setdefault(renewal.certificate_id, renewal)
    entries = []
    for certificate in certificates:
        approved, in_audit = totals.get(certificate.pk, (Decimal("0"), Decimal("0")))
        progress = PDUProgress(approved=approved, in_audit=in_audit, required=pdu_required(certificate.level.code))
        entries.append(DashboardEntry(certificate=certificate, progress=progress, renewal=latest.get(certificate.pk)))
    return entries
