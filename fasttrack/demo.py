"""Demo fast-track candidates: one submitted (for the committee to screen), one accepted and referred to
Lumen (for qtsp@ipma.example to accept in the portal)."""

from django.core.files.base import ContentFile
from django.db import transaction

from applicants.demo import demo_user
from applicants.roles import APPLICANT
from fasttrack.models import FastTrackApplication, ProofDocument, Referral, Screening
from fasttrack.requirements import Criterion, Group
from fasttrack.services import (
    application_accept,
    application_screen,
    application_start,
    application_submit,
    referral_assign,
)
from partners.demo import demo_pdf, qtsps_seed
from partners.places import city_locate

CLAIMS = {
    Criterion.MASTERS_DEGREE: (None, "MBA, National University of Singapore, 2004"),
    Criterion.ETHICS_COMMITMENT: (None, ""),
    Criterion.SENIOR_MANAGEMENT: (14, "Chief Operating Officer, 2010-2024"),
    Criterion.BODY_ACCREDITATION: (None, "ICF Associate Certified Coach"),
}


def _candidate(email: str, name: str, country: str, city: str) -> FastTrackApplication:
    user = demo_user(email, name, APPLICANT)
    application = application_start(applicant=user)
    if application.status != FastTrackApplication.Status.DRAFT:
        return application
    place = city_locate(country, city)
    application.country, application.city = country, place.name
    application.latitude, application.longitude = place.latitude, place.longitude
    application.cv.save("cv.pdf", ContentFile(demo_pdf(f"CV of {name}")), save=False)
    application.cv_name = f"{name.split()[0]}-CV.pdf"
    application.save()
    for claim in application.claims.all():
        years, details = CLAIMS.get(claim.criterion, (None, ""))
        claim.claimed, claim.years, claim.details = claim.criterion in CLAIMS, years, details
        claim.save()
        if claim.claimed and claim.criterion != Criterion.ETHICS_COMMITMENT and not claim.proofs.exists():
            ProofDocument.objects.create(claim=claim, original_name=f"{claim.criterion}.pdf",
                                         file=ContentFile(demo_pdf(details), name="proof.pdf"))
    return application_submit(application=application, actor=user)


@transaction.atomic
def seed(stdout) -> None:
    qtsps = qtsps_seed()
    _candidate("fasttrack@ipma.example", "Farah Fasttrack", "MY", "Kuala Lumpur")
    referred = _candidate("fasttrack.referred@ipma.example", "Ravi Referred", "MY", "Johor Bahru")
    if referred.status == FastTrackApplication.Status.SUBMITTED:
        application_screen(application=referred, actor=None, decisions={group: Screening.MET for group in Group.values})
        application_accept(application=referred, actor=None, note="Demo data")
    if not referred.referrals.filter(status__in=Referral.LIVE).exists():
        referral_assign(application=referred, qtsp=qtsps["lumen"], actor=None)
    stdout.write("Fast track: fasttrack@ipma.example has a submitted application for the committee "
                 "(/admin/fasttrack/fasttrackapplication/); fasttrack.referred@ipma.example is accepted and referred "
                 "to Lumen: qtsp@ipma.example accepts it at /partners/portal/referrals/.")
