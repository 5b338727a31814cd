import factory
from django.core.files.base import ContentFile
from django.utils import timezone

from fasttrack.assignment import business_days_after
from fasttrack.models import CriterionClaim, FastTrackApplication, ProofDocument, Referral
from fasttrack.requirements import Criterion
from tests.documents.samples import pdf_bytes
from tests.factories import ApplicantFactory
from tests.partners.factories import PLACES


class ApplicationFactory(factory.django.DjangoModelFactory):
    """A fast-track application with one row per criterion; ``claims=[...]`` claims those with a proof each."""

    class Meta:
        model = FastTrackApplication
        skip_postgeneration_save = True

    class Params:
        place = "Lyon"

    applicant = factory.SubFactory(ApplicantFactory)
    city = factory.LazyAttribute(lambda o: o.place)
    country = factory.LazyAttribute(lambda o: PLACES[o.place][0])
    latitude = factory.LazyAttribute(lambda o: PLACES[o.place][1])
    longitude = factory.LazyAttribute(lambda o: PLACES[o.place][2])
    cv = factory.LazyFunction(lambda: ContentFile(pdf_bytes(), name="cv.pdf"))
    cv_name = "cv.pdf"

    @factory.post_generation
    def claims(self, create, extracted, **kwargs):
        if create:
            make_claims(self, extracted or [])


def make_claims(application, claimed_criteria) -> None:
    for criterion in Criterion.values:
        claimed = criterion in claimed_criteria
        years = {"senior_management": 12, "mentoring_practice": 4}.get(criterion) if claimed else None
        claim = CriterionClaim.objects.create(application=application, criterion=criterion, claimed=claimed,
                                              years=years)
        if claimed and criterion != Criterion.ETHICS_COMMITMENT:
            ProofDocument.objects.create(
                claim=claim, file=ContentFile(pdf_bytes(), name="proof.pdf"), original_name=f"{criterion}.pdf"
            )


ALL_GROUPS_MET = [Criterion.MASTERS_DEGREE, Criterion.ETHICS_COMMITMENT, Criterion.SENIOR_MANAGEMENT,
                  Criterion.BODY_ACCREDITATION]


class AcceptedApplicationFactory(ApplicationFactory):
    status = FastTrackApplication.Status.ACCEPTED
    submitted_at = factory.LazyFunction(timezone.now)
    decided_at = factory.LazyFunction(timezone.now)
    screening_hard = screening_experience = screening_professional = "met"

    @factory.post_generation
    def claims(self, create, extracted, **kwargs):
        if create:
            make_claims(self, ALL_GROUPS_MET if extracted is None else extracted)


class ReferralFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Referral

    application = factory.SubFactory(AcceptedApplicationFactory)
    qtsp = None
    offered_at = factory.LazyFunction(timezone.now)
    respond_by = factory.LazyAttribute(lambda o: business_days_after(o.offered_at, 2))
    distance_km = 100
