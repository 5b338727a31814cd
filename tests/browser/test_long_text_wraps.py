"""Text a person typed, however long and unbroken, wraps on the page instead of widening it past 1280 px."""

import pytest
from django.test import Client

from accreditation.models import Level
from exams.models import Booking, SpecialArrangement
from tests.exams.factories import ExamSessionFactory
from tests.factories import ApplicantFactory
from workflows.services import event_record

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def levels(transactional_db):
    """The levels come from a data migration; a transactional test before this one flushed them."""
    from importlib import import_module

    from django.apps import apps

    import_module("accreditation.migrations.0002_levels").add_levels(apps, None)


def test_a_long_unbroken_note_in_a_bookings_history_does_not_widen_the_page(page, live_server, levels):
    session = ExamSessionFactory(levels=["AM"])
    candidate = ApplicantFactory()
    booking = Booking.objects.create(candidate=candidate, session=session, window=session.window,
                                     level=Level.objects.get(code="AM"))
    event_record(booking, actor=candidate, from_status="", session=session, note="x" * 500)
    SpecialArrangement.objects.create(booking=booking, needs="y" * 2000)
    client = Client()
    client.force_login(candidate)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                               "url": live_server.url}])

    page.goto(f"{live_server.url}/exams/bookings/{booking.pk}/")

    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
