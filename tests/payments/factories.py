import datetime

import factory

from payments.models import MembershipPeriod
from payments.selectors import schedule_date
from tests.factories import ApplicantFactory


class MembershipPeriodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MembershipPeriod

    user = factory.SubFactory(ApplicantFactory)
    plan = "annual"
    starts_on = factory.LazyFunction(lambda: schedule_date() - datetime.timedelta(days=30))
    ends_on = factory.LazyAttribute(lambda period: period.starts_on + datetime.timedelta(days=364))
