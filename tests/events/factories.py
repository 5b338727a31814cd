import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from events.models import Audience, Event, EventKind, EventPrice, EventStatus, Series


class EventFactory(factory.django.DjangoModelFactory):
    """A published online webinar a week from now (written directly; services move its status)."""

    class Meta:
        model = Event
        skip_postgeneration_save = True

    kind = EventKind.WEBINAR
    slug = factory.Sequence(lambda n: f"webinar-{n}")
    title = factory.Sequence(lambda n: f"Mentoring webinar {n}")
    summary = "Mentoring across cultures."
    starts_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=7))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(minutes=60))
    capacity = 10
    pdu_value = Decimal("1.5")
    join_url = "https://meet.example.org/ipma-webinar"
    status = EventStatus.PUBLISHED

    @factory.post_generation
    def prices(self, create, extracted, **kwargs):
        """``prices=(member, non_member)`` in USD; free when not given."""
        if create and extracted:
            member, non_member = extracted
            EventPrice.objects.create(event=self, audience=Audience.MEMBER, amount=Decimal(member))
            EventPrice.objects.create(event=self, audience=Audience.NON_MEMBER, amount=Decimal(non_member))


class SeriesFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Series

    title = "Monthly mentoring webinar"
    local_start_time = datetime.time(13, 0)
    time_zone = "Asia/Shanghai"
    weekday = 3
    week_of_month = 2
    duration_minutes = 60
    capacity = 300
    pdu_value = Decimal("1.0")
    member_price = Decimal("0")
    non_member_price = Decimal("15.00")
