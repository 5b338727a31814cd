import io

import pytest

from exams import demo
from exams.models import ExamSession, TestCentre
from exams.views import CALENDAR_PAGE_SIZE

pytestmark = pytest.mark.django_db


def test_demo_seed_is_idempotent_and_fills_the_calendar(client):
    out = io.StringIO()
    demo.seed(out)
    counts = (TestCentre.objects.count(), ExamSession.objects.count())
    demo.seed(io.StringIO())

    assert (TestCentre.objects.count(), ExamSession.objects.count()) == counts
    assert counts[0] == len(demo.CENTRES)
    assert len(set(TestCentre.objects.values_list("country", flat=True))) >= 6
    upcoming = ExamSession.objects.upcoming()
    assert upcoming.count() >= len(demo.CENTRES) * 2
    assert upcoming.values("window").distinct().count() >= 2
    assert "upcoming sessions: /exams/calendar/" in out.getvalue()
    assert len(client.get("/exams/calendar/?quarter=").context["sessions"]) == min(upcoming.count(),
                                                                                   CALENDAR_PAGE_SIZE)
