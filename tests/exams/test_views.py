"""The candidate's pages: booking, the waiting list, cancelling, rescheduling, the dashboard panel."""

from datetime import timedelta

import pytest
import time_machine
from django.apps import apps
from django.db import connection, transaction
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext

from exams.models import Booking, BookingStatus, ExamResult, ExamSession, WaitlistEntry
from exams.services import booking_create
from tests.factories import ApplicantFactory

pytestmark = pytest.mark.django_db


def test_booking_page_shows_eligibility_and_books(client, candidate, session, level_am):
    client.force_login(candidate)

    page = client.get(f"/exams/sessions/{session.pk}/book/")
    response = client.post(f"/exams/sessions/{session.pk}/book/", {"level": level_am.pk, "needs": ""})

    assert "Eligible" in page.content.decode() and "first attempt, exam fee" in page.content.decode()
    booking = Booking.objects.get(candidate=candidate)
    assert response.status_code == 302 and response.url == f"/exams/bookings/{booking.pk}/"
    assert ExamSession.objects.get(pk=session.pk).seats_taken == 1


def test_booking_page_preselects_the_only_level_the_candidate_may_book(client, candidate, session, level_am):
    client.force_login(candidate)

    form = client.get(f"/exams/sessions/{session.pk}/book/").context["form"]

    assert session.levels.count() == 4
    assert form["level"].value() == level_am.pk
    assert f'value="{level_am.pk}" required id="id_level_0" checked' in str(form["level"])


def test_booking_page_preselects_nothing_for_someone_who_may_book_no_level(client, session):
    client.force_login(ApplicantFactory())

    form = client.get(f"/exams/sessions/{session.pk}/book/").context["form"]

    assert form["level"].value() is None


def test_booking_page_shows_the_refusal_as_a_message(client, session, level_am):
    client.force_login(ApplicantFactory())

    response = client.post(f"/exams/sessions/{session.pk}/book/", {"level": level_am.pk}, follow=True)

    assert response.status_code == 200
    assert "has not been accepted for the exam" in response.content.decode()
    assert not Booking.objects.exists()


def test_losing_the_last_seat_says_no_seats_left(client, candidate, session_factory, level_am, acceptances,
                                                 monkeypatch):
    session = session_factory(capacity=1)
    client.force_login(candidate)
    page = client.get(f"/exams/sessions/{session.pk}/book/")
    other = ApplicantFactory()
    acceptances.accept(other, "AM")
    from exams import views

    real_create = views.services.booking_create

    def someone_else_is_faster(**kwargs):  # the other booking lands between the page load and ours
        with transaction.atomic():
            real_create(candidate=other, session=session, level=level_am)
        return real_create(**kwargs)

    monkeypatch.setattr(views.services, "booking_create", someone_else_is_faster)

    response = client.post(f"/exams/sessions/{session.pk}/book/", {"level": level_am.pk})

    assert page.status_code == 200
    assert response.status_code == 200
    assert "No seats left in this session." in response.content.decode()
    assert "Join the waiting list" in response.content.decode()


def test_full_session_offers_the_waiting_list(client, candidate, session_factory, level_am, acceptances):
    session = session_factory(capacity=1)
    other = ApplicantFactory()
    acceptances.accept(other, "AM")
    booking_create(candidate=other, session=session, level=level_am)
    client.force_login(candidate)

    response = client.post(f"/exams/sessions/{session.pk}/waiting-list/", {"level": level_am.pk}, follow=True)

    assert WaitlistEntry.objects.get(session=session).candidate == candidate
    assert "You are on the waiting list" in response.content.decode()


def test_booking_needs_a_login(client, session):
    response = client.get(f"/exams/sessions/{session.pk}/book/")

    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def test_past_session_cannot_be_opened_for_booking(client, candidate, session_factory):
    session = session_factory()
    with time_machine.travel(session.starts_at + timedelta(minutes=1)):
        client.force_login(candidate)
        assert client.get(f"/exams/sessions/{session.pk}/book/").status_code == 404


def test_cancel_through_the_page(client, candidate, session, level_am):
    booking = booking_create(candidate=candidate, session=session, level=level_am)
    client.force_login(candidate)

    response = client.post(f"/exams/bookings/{booking.pk}/cancel/", {"reason": "Ill"}, follow=True)

    assert "Your booking is cancelled." in response.content.decode()
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.CANCELLED


def test_cancel_after_the_deadline_shows_a_clear_message(client, candidate, session, level_am):
    booking = booking_create(candidate=candidate, session=session, level=level_am)

    with time_machine.travel(session.starts_at - timedelta(days=2)):
        client.force_login(candidate)
        detail = client.get(f"/exams/bookings/{booking.pk}/")
        response = client.post(f"/exams/bookings/{booking.pk}/cancel/", follow=True)

    assert "Cancelling and rescheduling closed on" in detail.content.decode()
    assert "Cancellation closed on" in response.content.decode()
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.BOOKED


def test_reschedule_through_the_page(client, candidate, session, session_factory, level_am):
    booking = booking_create(candidate=candidate, session=session, level=level_am)
    other = session_factory(starts_at=session.starts_at + timedelta(days=2), window=session.window)
    client.force_login(candidate)

    page = client.get(f"/exams/bookings/{booking.pk}/reschedule/")
    response = client.post(f"/exams/bookings/{booking.pk}/reschedule/", {"session": other.pk})

    assert list(page.context["form"].fields["session"].queryset) == [other]
    assert response.status_code == 302
    assert Booking.objects.get(pk=booking.pk).session == other


def test_arrangements_request_through_the_page(client, candidate, session, level_am):
    booking = booking_create(candidate=candidate, session=session, level=level_am)
    client.force_login(candidate)

    client.post(f"/exams/bookings/{booking.pk}/arrangements/", {"needs": "Extra time (dyslexia)"})

    assert Booking.objects.get(pk=booking.pk).arrangement.needs == "Extra time (dyslexia)"


@pytest.mark.parametrize("bookings", [1, 6])
def test_dashboard_panel_lists_bookings_in_constant_queries(client, rf, acceptances, session_factory, level_am,
                                                            bookings, settings, django_assert_num_queries):
    settings.EXAM_ATTEMPT_LIMIT = 10
    candidate = ApplicantFactory()
    acceptances.accept(candidate, "AM")
    for index in range(bookings):
        booking = booking_create(candidate=candidate, session=session_factory(), level=level_am)
        if index < bookings - 1:  # one active booking per window: the earlier ones were sat and failed
            Booking.objects.filter(pk=booking.pk).update(status=BookingStatus.ATTENDED)
            ExamResult.objects.create(booking=booking, total_score=50, pass_mark=70, passed=False)
    request = rf.get("/dashboard/")
    request.user = candidate

    with django_assert_num_queries(2):
        [panel] = apps.get_app_config("exams").dashboard_panels(request)
        html = render_to_string(panel.template, {"panel": panel.context})

    assert f'href="/exams/bookings/{booking.pk}/"' in html
    assert html.count('href="/exams/results/') == bookings - 1
    client.force_login(candidate)
    assert "Your exams" in client.get("/dashboard/").content.decode()


def test_staff_without_exams_get_no_exams_panel(client, reviewer, candidate):
    client.force_login(reviewer)
    assert "Your exams" not in client.get("/dashboard/").content.decode()

    client.force_login(candidate)
    assert "Your exams" in client.get("/dashboard/").content.decode()


def test_booking_a_full_session_is_refused_before_any_eligibility_check(client, candidate, session_factory, level_am,
                                                                       acceptances):
    session = session_factory(capacity=1)
    other = ApplicantFactory()
    acceptances.accept(other, "AM")
    booking_create(candidate=other, session=session, level=level_am)
    client.force_login(candidate)

    with CaptureQueriesContext(connection) as queries:
        response = client.post(f"/exams/sessions/{session.pk}/book/", {"level": level_am.pk})

    page = response.content.decode()
    assert response.status_code == 200
    assert "No seats left in this session." in page and "Join the waiting list" in page
    assert not [query for query in queries.captured_queries if "accreditation_levelapplication" in query["sql"]]
    assert not Booking.objects.filter(candidate=candidate).exists()


@pytest.mark.parametrize("capacity", [5, 200])
def test_booking_a_full_session_takes_no_lock_raises_no_invoice_and_few_queries(
        capacity, client, candidate, session_factory, level_am, django_assert_num_queries):
    from payments.models import Invoice

    session = session_factory(capacity=capacity)
    ExamSession.objects.filter(pk=session.pk).update(seats_taken=capacity)
    client.force_login(candidate)
    client.post(f"/exams/sessions/{session.pk}/book/", {"level": level_am.pk})  # warms the per-process caches

    # user, roles and permissions (the session from its Redis copy; the navigation's roles are the middleware's on a
    # post too); the exam session with its levels' ids (the levels themselves are kept in memory)
    with django_assert_num_queries(3) as queries:
        response = client.post(f"/exams/sessions/{session.pk}/book/", {"level": level_am.pk})

    assert response.status_code == 200
    assert "No seats left in this session." in response.content.decode()
    assert not [query for query in queries.captured_queries
                if "FOR UPDATE" in query["sql"] or "pg_advisory" in query["sql"]
                or query["sql"].startswith(("INSERT", "UPDATE"))]
    assert not Booking.objects.filter(session=session).exists()
    assert not Invoice.objects.filter(payer=candidate).exists()


def test_the_waiting_list_of_a_full_session_shows_its_levels_as_they_are_now(client, candidate, session_factory,
                                                                             level_am):
    from accreditation.models import Level

    session = session_factory(capacity=1, levels=["AM"])
    ExamSession.objects.filter(pk=session.pk).update(seats_taken=1)
    client.force_login(candidate)
    before = client.post(f"/exams/sessions/{session.pk}/book/", {"level": level_am.pk}).content.decode()

    level_am.name_en = "Associate Mentor (renamed)"
    level_am.save()  # as the committee's admin does: the levels kept in memory follow
    renamed = client.post(f"/exams/sessions/{session.pk}/book/", {"level": level_am.pk}).content.decode()
    session.levels.add(Level.objects.get(code="PM"))
    offered = client.post(f"/exams/sessions/{session.pk}/book/", {"level": level_am.pk}).content.decode()

    assert f'value="{level_am.pk}"' in before and "Associate Mentor (renamed)" not in before
    assert "Associate Mentor (renamed) (AM)" in renamed
    assert "(PM)" not in renamed  # only the session's own levels are offered
    assert "(PM)" in offered and "Associate Mentor (renamed) (AM)" in offered


def my_exams(client, candidate, *, past: int, session_factory, level_am):
    """``past`` sat exams (every other one with a result), one upcoming booking and one waiting-list place."""
    sessions = [session_factory() for _ in range(3)]
    Booking.objects.bulk_create([
        Booking(candidate=candidate, session=sessions[index % 2], window=sessions[index % 2].window, level=level_am,
                status=BookingStatus.ATTENDED, attempt_number=index + 1)
        for index in range(past)
    ])
    for booking in Booking.objects.filter(candidate=candidate)[::2]:
        ExamResult.objects.create(booking=booking, total_score=55, pass_mark=70, passed=False)
    upcoming = booking_create(candidate=candidate, session=sessions[2], level=level_am)
    WaitlistEntry.objects.create(session=session_factory(), candidate=candidate, level=level_am)
    client.force_login(candidate)
    client.get("/exams/bookings/")  # the header's menus are then kept in memory
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/exams/bookings/")
    assert response.status_code == 200
    return len(queries), response, upcoming


def test_my_exams_queries_do_not_grow_with_bookings(client, acceptances, session_factory, level_am, settings):
    settings.EXAM_ATTEMPT_LIMIT = 1000
    few_candidate, many_candidate = ApplicantFactory(), ApplicantFactory()
    for candidate in (few_candidate, many_candidate):
        acceptances.accept(candidate, "AM")

    few, few_response, _ = my_exams(client, few_candidate, past=5, session_factory=session_factory, level_am=level_am)
    many, many_response, upcoming = my_exams(client, many_candidate, past=200, session_factory=session_factory,
                                             level_am=level_am)

    # user, roles and privileges (the session from its Redis copy); the bookings with sessions, centres, levels and
    # results; the waiting list
    assert few == many == 4
    page = many_response.content.decode()
    assert page.count('href="/exams/results/') == 100 and f'href="/exams/bookings/{upcoming.pk}/"' in page
    assert page.count("Leave the waiting list") == 1 and few_response.content.decode().count("Not passed (55.00)") == 3


def test_booking_page_forms_show_the_candidates_own_needs_not_another_candidates(client, candidate, session,
                                                                                  level_am, acceptances):
    mine = booking_create(candidate=candidate, session=session, level=level_am, needs="Ground-floor room")
    other = ApplicantFactory()
    acceptances.accept(other, "AM")
    theirs = booking_create(candidate=other, session=session, level=level_am)

    client.force_login(candidate)
    own_page = client.get(f"/exams/bookings/{mine.pk}/").content.decode()
    client.force_login(other)
    empty_page = client.get(f"/exams/bookings/{theirs.pk}/").content.decode()
    client.force_login(candidate)
    own_again = client.get(f"/exams/bookings/{mine.pk}/").content.decode()

    assert "Ground-floor room</textarea>" in own_page and "Ground-floor room</textarea>" in own_again
    assert "Ground-floor room" not in empty_page
    for page in (own_page, empty_page):
        assert 'name="reason"' in page and 'name="needs"' in page and "Cancel this booking" in page


@pytest.mark.parametrize("events", [5, 200])
def test_booking_page_asks_the_same_queries_whatever_its_history(events, client, candidate, session, level_am,
                                                                 django_assert_num_queries):
    from exams.models import BookingEvent

    booking = booking_create(candidate=candidate, session=session, level=level_am)
    BookingEvent.objects.bulk_create([
        BookingEvent(booking=booking, actor=candidate, from_status=BookingStatus.BOOKED, to_status=BookingStatus.BOOKED,
                     session=session, note=f"Moved {index}") for index in range(events - 1)])
    client.force_login(candidate)
    client.get(f"/exams/bookings/{booking.pk}/")  # warms the per-process caches

    # user, permissions (the session from its Redis copy); the booking with its session, level, result and
    # arrangement; its open invoice (the seat is unpaid); its history
    with django_assert_num_queries(5):
        response = client.get(f"/exams/bookings/{booking.pk}/")

    assert response.content.decode().count("<li>") >= events


@pytest.mark.parametrize("cancelled", [0, 5])
def test_a_booked_seat_asks_the_same_queries_whatever_the_candidates_history(
        cancelled, client, acceptances, candidate, session_factory, level_am, django_assert_num_queries):
    session = session_factory(capacity=5)
    Booking.objects.bulk_create([
        Booking(candidate=candidate, session=session, window=session.window, level=level_am,
                status=BookingStatus.CANCELLED) for _ in range(cancelled)])
    another = ApplicantFactory()
    acceptances.accept(another)
    client.force_login(another)
    client.post(f"/exams/sessions/{session.pk}/book/", {"level": level_am.pk})  # warms the per-process caches
    client.force_login(candidate)

    # user, roles; the session with its levels' ids, the levels of the form; under the candidate's lock the session
    # again, the accepted application, the attempts used and a pass (one aggregate), another booking in the window;
    # the booking, its event,
    # the seat, the mail; the invoice (a live one first, the number, the invoice, its line and event: the fee and
    # the level from the kept schedule) and a sponsor; savepoints
    with django_assert_num_queries(29):
        response = client.post(f"/exams/sessions/{session.pk}/book/", {"level": level_am.pk})

    assert response.status_code == 302
    assert Booking.objects.filter(session=session, status=BookingStatus.BOOKED, candidate=candidate).exists()
