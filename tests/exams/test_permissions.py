"""Candidates see and change only their own bookings, waiting-list places and results."""

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine

from exams.models import Booking, BookingStatus, WaitlistEntry
from exams.services import ResultRow, booking_create, results_record
from tests.factories import ApplicantFactory

pytestmark = pytest.mark.django_db

TOPICS = ["coaching-skills", "mentoring-skills", "supervision-skills", "knowledge-management",
          "tacit-knowledge-management", "business-skills", "tools-methodologies", "ethics"]


@pytest.fixture
def booking(candidate, session, level_am):
    return booking_create(candidate=candidate, session=session, level=level_am)


@pytest.fixture
def result(candidate, session_factory, level_am):
    booking = booking_create(candidate=candidate, session=session_factory(), level=level_am)
    with time_machine.travel(booking.session.starts_at + timedelta(hours=3)):
        results_record(session=booking.session, actor=None,
                       rows=[ResultRow(booking_id=booking.pk, scores=dict.fromkeys(TOPICS, Decimal(80)))])
    return booking.result


@pytest.fixture(params=["owner", "other applicant", "anonymous", "staff"])
def viewer(request, candidate, reviewer):
    return {"owner": candidate, "other applicant": ApplicantFactory(), "anonymous": None,
            "staff": reviewer}[request.param]


def expected(viewer, candidate) -> int:
    if viewer is None:
        return 302  # to the login page
    return 200 if viewer == candidate else 404


def login(client, viewer):
    if viewer is not None:
        client.force_login(viewer)


def test_booking_page(client, viewer, candidate, booking):
    login(client, viewer)

    response = client.get(f"/exams/bookings/{booking.pk}/")

    assert response.status_code == expected(viewer, candidate)
    if viewer is None:
        assert response.url.startswith("/accounts/login/")


def test_booking_calendar_file(client, viewer, candidate, booking):
    login(client, viewer)

    response = client.get(f"/exams/bookings/{booking.pk}/exam.ics")

    assert response.status_code == expected(viewer, candidate)
    if response.status_code == 200:
        assert response["Content-Type"].startswith("text/calendar")


def test_result_page(client, viewer, candidate, result):
    login(client, viewer)

    response = client.get(f"/exams/results/{result.pk}/")

    assert response.status_code == expected(viewer, candidate)
    if response.status_code == 200:
        html = response.content.decode()
        assert "Weighted total 80.00" in html
        assert html.count('<th scope="row">') == 8 + 1  # a row per topic and the total


def test_cancel(client, viewer, candidate, booking):
    login(client, viewer)

    response = client.post(f"/exams/bookings/{booking.pk}/cancel/")

    cancelled = Booking.objects.get(pk=booking.pk).status == BookingStatus.CANCELLED
    assert cancelled is (viewer == candidate)
    assert response.status_code == (302 if viewer is None or viewer == candidate else 404)


def test_reschedule_and_arrangements(client, viewer, candidate, booking):
    login(client, viewer)

    pages = [client.get(f"/exams/bookings/{booking.pk}/reschedule/"),
             client.post(f"/exams/bookings/{booking.pk}/arrangements/", {"needs": "Large print"})]

    if viewer is None:
        assert [page.status_code for page in pages] == [302, 302]
    elif viewer == candidate:
        assert [page.status_code for page in pages] == [200, 302]
    else:
        assert [page.status_code for page in pages] == [404, 404]
    assert hasattr(Booking.objects.get(pk=booking.pk), "arrangement") is (viewer == candidate)


def test_waitlist_offer(client, viewer, candidate, session_factory, level_am, acceptances):
    session = session_factory(capacity=1)
    holder = ApplicantFactory()
    acceptances.accept(holder, "AM")
    booking_create(candidate=holder, session=session, level=level_am)
    entry = WaitlistEntry.objects.create(session=session, candidate=candidate, level=level_am)
    login(client, viewer)

    response = client.post(f"/exams/waiting-list/{entry.pk}/leave/")

    assert response.status_code == (302 if viewer is None or viewer == candidate else 404)
    assert (WaitlistEntry.objects.get(pk=entry.pk).status == "withdrawn") is (viewer == candidate)


def test_my_exams_lists_only_my_own(client, candidate, booking, acceptances, session_factory, level_am):
    other = ApplicantFactory()
    acceptances.accept(other, "AM")
    theirs = booking_create(candidate=other, session=session_factory(), level=level_am)
    client.force_login(candidate)

    response = client.get("/exams/bookings/")

    assert response.context["upcoming"] == [booking]
    assert f"/exams/bookings/{theirs.pk}/" not in response.content.decode()


def test_staff_see_bookings_and_results_in_the_admin(client, reviewer, result):
    client.force_login(reviewer)

    assert client.get(f"/admin/exams/booking/{result.booking.pk}/change/").status_code == 200
    assert client.get(f"/admin/exams/examresult/{result.pk}/change/").status_code == 200
