import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from applicants.models import EducationLevel, EthicsAdoption, EthicsCode, HoursEntry, MentoringFormat, Profile
from tests.factories import ApplicantFactory


class ProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Profile

    user = factory.SubFactory(ApplicantFactory)
    legal_name = factory.LazyAttribute(lambda profile: profile.user.full_name or "Ada Lovelace")
    country = "GB"
    city = "London"
    languages = ["en"]
    highest_education = EducationLevel.BACHELOR
    mentoring_since = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=2 * 366))
    background = "Twenty years in engineering management."


class HoursEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HoursEntry

    user = factory.SubFactory(ApplicantFactory)
    mentee = factory.Sequence(lambda n: f"Mentee {n}")
    started_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=60))
    ended_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=1))
    hours = Decimal("10.0")
    format = MentoringFormat.ONLINE


class EthicsCodeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EthicsCode
        django_get_or_create = ["version"]

    version = factory.Sequence(lambda n: n + 1)
    text = "1. Put the mentee's interest first.\n2. Keep confidences."
    published_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1))


class EthicsAdoptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EthicsAdoption

    user = factory.SubFactory(ApplicantFactory)
    code = factory.SubFactory(EthicsCodeFactory)
