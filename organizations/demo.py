"""Demo data for `make run`: organizations with programmes at each step, and a filled public directory.

Everything goes through the services (the same workflow people use) and is skipped when it exists.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from applicants.demo import demo_pdf, demo_secrets, demo_user
from applicants.models import User
from applicants.roles import COMMITTEE_REVIEWER
from certificates.services import certificate_issue
from organizations import services
from organizations.models import (
    ApplicationStatus,
    Audience,
    DocumentKind,
    Organization,
    Programme,
    ProgrammeApplication,
    Sector,
    TrainingProvider,
)
from organizations.models.programme import PROGRAMME_FEE_KIND
from organizations.staff import CONTACT, organization_staff
from payments.selectors import invoice_for
from payments.services import bank_transfer_confirm

ANSWERS = {
    "purpose": "Help people new to their role settle in, grow and stay.",
    "audiences": [Audience.NEW_STAFF],
    "audience_details": "Staff in their first two years.",
    "mentors_count": 14,
    "mentees_count": 35,
    "active_pairs": 28,
    "matching": "By subject and phase, with the mentee's preferences; a pair that does not work is re-matched.",
    "training_provider": TrainingProvider.QTSP,
    "training_details": "Mentors take a QTSP's 32-hour Associate Mentor course before their first pair.",
    "supervision": "Monthly group supervision with the programme lead; a named contact for concerns.",
    "monitoring": "Retention and a mentee survey each term; a yearly review changes the programme.",
    "ethics_adopted": True,
    "ethics_details": "Every mentor signs the IPMA code of ethics; it is part of the training.",
}

DIRECTORY_MENTORS = [
    # email, name, level, country, city, languages, sectors, headline
    ("mentor.amina@ipma.example", "Amina Okafor", "SM", "NG", "Lagos", ["en", "ig"], [Sector.BUSINESS],
     "Mentor to founders and first-time managers"),
    ("mentor.kenji@ipma.example", "Kenji Watanabe", "PM", "JP", "Osaka", ["ja", "en"], [Sector.EDUCATION],
     "Mentoring new teachers in their first years"),
    ("mentor.lucia@ipma.example", "Lucía Fernández", "MM", "ES", "Madrid", ["es", "en", "fr"],
     [Sector.GOVERNMENT, Sector.NONPROFIT], "Leadership mentoring in the public sector"),
]


def _organization(*, owner: User, legal_name: str, **fields) -> Organization:
    organization = Organization.objects.filter(legal_name=legal_name).first()
    return organization or services.organization_register(actor=owner, legal_name=legal_name, **fields)


def _draft(organization, owner, name: str, description: str) -> ProgrammeApplication:
    application = services.programme_application_start(organization=organization, actor=owner, name=name,
                                                       description=description)
    services.application_update(application=application, actor=owner, **ANSWERS)
    services.document_add(application=application, actor=owner, kind=DocumentKind.PROGRAMME_DESCRIPTION,
                          file=demo_pdf(f"{name} programme description"))
    return application


def _paid(application, owner, admin) -> None:
    """Submit, and pay the fee the way staff record a bank transfer (the review then starts by itself)."""
    services.application_submit(application=application, actor=owner)
    invoice = invoice_for(kind=PROGRAMME_FEE_KIND, reference=application.payment_reference)
    bank_transfer_confirm(invoice=invoice, actor=admin, bank_reference="DEMO")
    services.application_review_start(application_id=application.pk)  # no-op when the signal already did it


def _reviewed(application, reviewers, score: int) -> None:
    for reviewer in reviewers:
        review = services.review_assign(application=application, reviewer=reviewer, actor=reviewer)
        scores = {row.criterion_id: (score, "Demo review.") for row in review.scores.all()}
        services.review_save(review=review, actor=reviewer, scores=scores, summary="Demo review.", submit=True)


def _programme(organization, owner, name, description, *, step: str, reviewers, admin, conditions=()):
    if Programme.objects.filter(organization=organization, name=name).exists():
        return Programme.objects.get(organization=organization, name=name).applications.order_by("-pk").first()
    with transaction.atomic():
        application = _draft(organization, owner, name, description)
        if step == "draft":
            return application
    _paid(application, owner, admin)
    if step == "under_review":
        return application
    _reviewed(application, reviewers, score=3)
    services.application_decide(
        application=application, actor=reviewers[0], decision="conditional" if conditions else "accredited",
        reasons="Meets the standards." if not conditions else "Meets the standards but for supervision.",
        conditions=list(conditions),
    )
    return application


def _directory(stdout) -> None:
    for email, name, level, country, city, languages, sectors, headline in DIRECTORY_MENTORS:
        user = demo_user(email, name, None)
        certificate_issue(user=user, level_code=level, legal_name=name, actor=None, source=f"demo-directory:{email}")
        services.listing_save(
            user=user, opted_in=True, display_name=name, headline=headline, country=country, city=city,
            languages=languages, sectors=sectors,
            profile=f"{name} mentors in {city} and online. Ask about one-to-one or group mentoring.",
        )
    applicant = User.objects.filter(email="applicant@ipma.example").first()
    if applicant is not None and not hasattr(applicant, "directory_listing"):
        # Listed only while applicant@ holds a certificate in force (certificates' demo data gives one).
        services.listing_save(user=applicant, opted_in=True, display_name=applicant.full_name,
                              headline="Mentoring early-career engineers", country="GB", city="Manchester",
                              languages=["en"], sectors=[Sector.BUSINESS])


def _sponsorships(organization, owner) -> None:
    """Three employees: one still invited, one accepted and preparing an application, one accepted with an
    accreditation fee its employer covered (on this month's running invoice)."""
    from accreditation.models import Level
    from accreditation.services import application_create
    from organizations.models import Sponsorship
    from payments.services import invoice_charge

    covers = {"covers_accreditation": True, "covers_exams": True, "covers_events": False}
    for email, name, step in (("employee.invited@ipma.example", "Ivy Invited", "invited"),
                              ("employee.draft@ipma.example", "Dev Drafting", "draft"),
                              ("employee.paid@ipma.example", "Paz Paid", "paid")):
        person = demo_user(email, name, None)
        if Sponsorship.objects.filter(organization=organization, email=email).exists():
            continue
        sponsorship = services.sponsorship_invite(organization=organization, actor=owner, email=email, covers=covers)
        if step == "invited":
            continue
        services.sponsorship_accept(sponsorship=sponsorship, user=person,
                                    shares={"shares_stage": True, "shares_applications": True, "shares_exams": True})
        application = application_create(applicant=person, level=Level.objects.get(code="AM"))
        if step == "paid":
            invoice_charge(payer=person, kind="accreditation", reference=application.payment_reference,
                           level_code="AM", actor=person)


def seed(stdout) -> None:
    admin = User.objects.filter(is_superuser=True).order_by("pk").first()
    reviewer = User.objects.get(email="reviewer@ipma.example")
    second_reviewer = demo_user("reviewer2@ipma.example", "Ravi Reviewer", COMMITTEE_REVIEWER, is_staff=True)
    reviewers = [reviewer, second_reviewer]
    owner = demo_user("org@ipma.example", "Olivia Organizer", None)
    contact = demo_user("org.contact@ipma.example", "Chen Contact", None)

    riverside = _organization(owner=owner, legal_name="Riverside Schools Trust", sector=Sector.EDUCATION,
                              country="GB", city="Leeds", website="https://riverside.example")
    organization_staff.Membership.objects.get_or_create(organisation=riverside, user=contact,
                                                        defaults={"role": CONTACT, "added_by": owner})
    due = timezone.localdate() + datetime.timedelta(days=60)
    accredited = _programme(riverside, owner, "New Teachers Mentoring",
                            "A two-year mentoring programme for newly qualified teachers across 12 schools.",
                            step="decided", reviewers=reviewers, admin=admin,
                            conditions=[("Write down how mentors are supervised, and by whom.", due)])
    review = _programme(riverside, owner, "Peer Mentoring for School Leaders",
                        "Experienced heads mentor new head teachers in their first year.",
                        step="under_review", reviewers=reviewers, admin=admin)
    _programme(riverside, owner, "Student Buddy Scheme", "Older students mentor new arrivals.", step="draft",
               reviewers=reviewers, admin=admin)

    founders_owner = demo_user("founders@ipma.example", "Femi Founder", None)
    founders = _organization(owner=founders_owner, legal_name="Lagos Founders Network", sector=Sector.BUSINESS,
                             country="NG", city="Lagos", website="https://founders.example")
    circles = _programme(founders, founders_owner, "Founder Circles",
                         "Seasoned entrepreneurs mentor first-time founders for a year.", step="decided",
                         reviewers=reviewers, admin=admin)
    _directory(stdout)
    _sponsorships(riverside, owner)

    stdout.write(f"  organizations: org@ipma.example (owner) and org.contact@ipma.example (contact) of "
                 f"{riverside}; founders@ipma.example owns {founders}; reviewer2@ipma.example is a second "
                 f"committee reviewer (same TOTP secret as reviewer@); password {demo_secrets()[0]}")
    for application in (accredited, circles, review):
        application.refresh_from_db()
        state = ApplicationStatus(application.status).label
        number = application.certificate_number or "no certificate yet"
        stdout.write(f"    {application.number} {application.programme.name}: {state} ({number})")
    stdout.write("    public directory: /directory/ (mentors, programmes, QTSPs)")
    stdout.write(f"    sponsored people of {riverside}: /organizations/{riverside.pk}/sponsorships/ "
                 "(employee.invited@, employee.draft@, employee.paid@ipma.example)")
