"""What a sponsoring organization sees of each sponsored person: their progress, as the person chose.

Reads only the status of applications, exam fees and certificates, in a fixed number of queries
whatever the number of people; documents, evidence, hours, scores and reviewers' notes are never read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from accreditation.models import ApplicationStatus, LevelApplication
from certificates.selectors import certificates_active
from organizations.models import OPEN_SPONSORSHIP, Organization, Sponsorship, SponsorshipStatus
from payments.models import EXAM_KINDS, LIVE_STATUSES, Invoice, InvoiceStatus


@dataclass
class SponsoredProgress:
    sponsorship: Sponsorship
    stage: str = ""
    applications: list[tuple[str, str]] = field(default_factory=list)  # (level, status label)
    exam: str = ""
    certificate: tuple[str, date, date] | None = None  # (level, issued on, expires on)
    accepted_at: datetime | None = None


def sponsorships_listed(organization: Organization) -> QuerySet[Sponsorship]:
    return (organization.sponsorships.filter(status__in=OPEN_SPONSORSHIP)
            .select_related("person").order_by("status", "email", "pk"))


def _stage(applications: list[LevelApplication], certificate, exam_booked: bool) -> str:
    current = applications[0] if applications else None
    if current is None or current.status in (ApplicationStatus.DRAFT, ApplicationStatus.WITHDRAWN,
                                              ApplicationStatus.REJECTED, ApplicationStatus.LAPSED):
        if certificate is not None:
            return _("Certified: %(level)s") % {"level": certificate.level.name}
        return _("Preparing an application") if current and current.status == ApplicationStatus.DRAFT \
            else _("Not started")
    level = current.level.name
    if current.status == ApplicationStatus.SUBMITTED:
        return _("Applied for %(level)s: fee pending") % {"level": level}
    if current.status in (ApplicationStatus.UNDER_REVIEW, ApplicationStatus.INFORMATION_REQUESTED):
        return _("Applied for %(level)s: under review") % {"level": level}
    if current.status == ApplicationStatus.ACCEPTED_FOR_EXAM:
        if exam_booked:
            return _("Accepted for the %(level)s exam: seat booked") % {"level": level}
        return _("Accepted for the %(level)s exam") % {"level": level}
    return _("Certified: %(level)s") % {"level": level}


def sponsored_progress(organization: Organization) -> list[SponsoredProgress]:
    """One row per open sponsorship (invited or active): four queries, whatever the number of people."""
    sponsorships = list(sponsorships_listed(organization))
    people = [s.person_id for s in sponsorships if s.status == SponsorshipStatus.ACTIVE]
    applications: dict[int, list[LevelApplication]] = {}
    for application in (LevelApplication.objects.filter(applicant_id__in=people).select_related("level")
                        .order_by("-created_at", "-pk")):
        applications.setdefault(application.applicant_id, []).append(application)
    certificates = {}
    for certificate in (certificates_active().filter(holder_id__in=people).select_related("level")
                        .order_by("level__rank")):
        certificates[certificate.holder_id] = certificate  # the highest level held wins
    exam_invoices = {}
    for invoice in (Invoice.objects.filter(payer_id__in=people, kind__in=EXAM_KINDS, status__in=LIVE_STATUSES)
                    .only("payer_id", "status").order_by("created_at")):
        exam_invoices[invoice.payer_id] = invoice
    rows = []
    for sponsorship in sponsorships:
        row = SponsoredProgress(sponsorship=sponsorship, accepted_at=sponsorship.accepted_at)
        if sponsorship.status == SponsorshipStatus.ACTIVE:
            own = applications.get(sponsorship.person_id, [])
            certificate = certificates.get(sponsorship.person_id)
            exam = exam_invoices.get(sponsorship.person_id)
            current = own[0] if own else None
            booked = exam is not None and current is not None and current.status == ApplicationStatus.ACCEPTED_FOR_EXAM
            if sponsorship.shares_stage:
                row.stage = _stage(own, certificate, booked)
            if sponsorship.shares_applications:
                row.applications = [(a.level.code, a.get_status_display()) for a in own
                                    if a.status != ApplicationStatus.DRAFT]
            if sponsorship.shares_exams:
                row.exam = _exam_label(current, booked, exam)
            if sponsorship.shares_certificates and certificate is not None:
                row.certificate = (certificate.level.name, certificate.issued_on, certificate.expires_on)
        rows.append(row)
    return rows


def _exam_label(current, booked: bool, exam) -> str:
    if current is not None and current.status == ApplicationStatus.APPROVED:
        return _("Passed")
    if booked:
        return _("Booked") if exam.status == InvoiceStatus.PAID else _("Booked, fee pending")
    return _("Not booked")
