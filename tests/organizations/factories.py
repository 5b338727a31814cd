"""Organizations, their staff and programme applications at each step, built through the services."""

import datetime

import factory
from django.utils import timezone

from organizations import services
from organizations.models import (
    Audience,
    DocumentKind,
    Organization,
    OrganizationStaff,
    Sector,
    TrainingProvider,
)
from organizations.staff import CONTACT, OWNER
from tests.documents.samples import upload
from tests.factories import ReviewerFactory, UserFactory


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    legal_name = factory.Sequence(lambda n: f"Mentoring Works {n} Ltd")
    sector = Sector.EDUCATION
    country = "NL"
    city = "Utrecht"
    website = "https://mentoring.example.org"


def staff_add(organization, *, role=OWNER, user=None):
    user = user or UserFactory()
    OrganizationStaff.objects.create(organisation=organization, user=user, role=role)
    return user


def organization_with_staff():
    """An organization with an owner and a contact."""
    organization = OrganizationFactory()
    owner = staff_add(organization, role=OWNER)
    contact = staff_add(organization, role=CONTACT)
    return organization, owner, contact


COMPLETE_ANSWERS = {
    "purpose": "Help first-year teachers stay in the profession.",
    "audiences": [Audience.NEW_STAFF],
    "audience_details": "Teachers in their first two years.",
    "mentors_count": 12,
    "mentees_count": 30,
    "active_pairs": 24,
    "matching": "Subject and school phase; a mentee may ask for a new mentor.",
    "training_provider": TrainingProvider.QTSP,
    "training_details": "The AM online course of a QTSP, 32 hours.",
    "supervision": "Monthly group supervision with the programme lead.",
    "monitoring": "Retention and a survey each term; reviewed yearly.",
    "ethics_adopted": True,
    "ethics_details": "Signed by every mentor at the start.",
}


def draft(organization, actor, *, name="First Years Mentoring", complete=True, mentors=(), **answers):
    application = services.programme_application_start(
        organization=organization, actor=actor, name=name, description="Mentoring for new teachers."
    )
    for certificate in mentors:  # each mentor is invited, and accepts naming that certificate
        mentor = services.mentor_invite(application=application, actor=actor, email=certificate.holder.email)
        services.mentor_accept(mentor=mentor, user=certificate.holder, certificate_number=certificate.number)
    if complete:
        services.application_update(application=application, actor=actor, **{**COMPLETE_ANSWERS, **answers})
        services.document_add(application=application, actor=actor, kind=DocumentKind.PROGRAMME_DESCRIPTION,
                              file=upload("pdf"))
    application.refresh_from_db()
    return application


def under_review(organization, owner, **kwargs):
    """Submitted, with the fee taken as paid (what the payments signal triggers)."""
    application = draft(organization, owner, **kwargs)
    services.application_submit(application=application, actor=owner)
    services.application_review_start(application_id=application.pk)
    application.refresh_from_db()
    return application


def reviewed(application, reviewers, *, score=3):
    """Every required reviewer takes the application and submits a full review."""
    for reviewer in reviewers:
        review = services.review_assign(application=application, reviewer=reviewer, actor=reviewer)
        scores = {row.criterion_id: (score, "Fine.") for row in review.scores.all()}
        services.review_save(review=review, actor=reviewer, scores=scores, summary="Solid.", submit=True)
    application.refresh_from_db()
    return application


def accredited(organization, owner, reviewers, *, conditions=(), today=None, **kwargs):
    application = reviewed(under_review(organization, owner, **kwargs), reviewers)
    decision = "conditional" if conditions else "accredited"
    services.application_decide(
        application=application, actor=reviewers[0], decision=decision,
        reasons="Meets the standards." if not conditions else "Meets most standards.", conditions=list(conditions),
        today=today,
    )
    application.refresh_from_db()
    return application


def soon(days=30) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


def second_reviewer():
    return ReviewerFactory()
