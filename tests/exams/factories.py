from datetime import datetime, time, timedelta

import factory
from django.utils import timezone

from exams.models import ExamSession, ExamWindow, TestCentre, quarter_bounds


class TestCentreFactory(factory.django.DjangoModelFactory):
    __test__ = False

    class Meta:
        model = TestCentre

    name = factory.Sequence(lambda n: f"Test centre {n}")
    city = "London"
    country = "GB"
    address = factory.Sequence(lambda n: f"{n} Exam Street")
    time_zone = "Europe/London"
    seats = 20


def window_for(moment: datetime) -> ExamWindow:
    quarter = (moment.month - 1) // 3 + 1
    opens_on, closes_on = quarter_bounds(moment.year, quarter)
    window, _created = ExamWindow.objects.get_or_create(
        year=moment.year, quarter=quarter, defaults={"opens_on": opens_on, "closes_on": closes_on})
    return window


class ExamSessionFactory(factory.django.DjangoModelFactory):
    """A session 30 days ahead at 09:00 centre time, offering the levels given (``levels=["AM"]``)."""

    class Meta:
        model = ExamSession
        skip_postgeneration_save = True

    centre = factory.SubFactory(TestCentreFactory)
    starts_at = factory.LazyAttribute(lambda o: o.centre.local_datetime(
        datetime.combine((timezone.now() + timedelta(days=30)).date(), time(9, 0))))
    window = factory.LazyAttribute(lambda o: window_for(timezone.localtime(o.starts_at, o.centre.zone)))
    duration_minutes = 180
    capacity = 10

    @factory.post_generation
    def levels(self, create, extracted, **kwargs):
        from accreditation.models import Level

        if create:
            self.levels.set(Level.objects.filter(code__in=extracted or ["AM", "PM", "SM", "MM"]))
