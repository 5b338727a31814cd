"""The committee's screens, used as a reviewer (staff with the role's permissions, not a superuser)."""

import csv
import io
import re
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from pypdf import PdfReader

from accreditation.models import Level
from exams.models import Booking, BookingStatus, ExamResult, ExamSession, SpecialArrangement
from exams.services import booking_create, window_for_quarter
from notifications.models import OutboxMessage
from tests.factories import ApplicantFactory

pytestmark = pytest.mark.django_db

TOPICS = ["coaching-skills", "mentoring-skills", "supervision-skills", "knowledge-management",
          "tacit-knowledge-management", "business-skills", "tools-methodologies", "ethics"]


@pytest.fixture
def staff_client(client, reviewer):
    client.force_login(reviewer)
    return client


@pytest.mark.parametrize("model", ["topic", "examblueprint", "testcentre", "examwindow", "examsession", "booking",
                                   "specialarrangement", "waitlistentry", "examresult"])
def test_reviewer_opens_every_exams_list(staff_client, model, session, candidate, level_am):
    booking_create(candidate=candidate, session=session, level=level_am, needs="Ramp")

    assert staff_client.get(f"/admin/exams/{model}/").status_code == 200


def test_session_list_shows_seats_taken_and_left_in_constant_queries(staff_client, session_factory, candidate,
                                                                    level_am, django_assert_max_num_queries):
    session = session_factory(capacity=8)
    booking_create(candidate=candidate, session=session, level=level_am)
    for _ in range(20):
        session_factory()
    staff_client.get("/admin/exams/examsession/")

    with django_assert_max_num_queries(16):
        response = staff_client.get("/admin/exams/examsession/")

    row = next(r for r in response.context["cl"].result_list if r.pk == session.pk)
    assert (row.seats_taken, row.seats_left, row.booked_count) == (1, 7, 1)


def test_session_list_counts_only_the_seats_still_booked(staff_client, session_factory, candidate, acceptances,
                                                        level_am):
    from exams.services import booking_cancel

    other = ApplicantFactory()
    acceptances.accept(other, "AM")
    session = session_factory(capacity=8)
    booking = booking_create(candidate=candidate, session=session, level=level_am)
    booking_create(candidate=other, session=session, level=level_am)
    booking_cancel(booking=booking, actor=candidate, reason="Moved abroad")

    response = staff_client.get("/admin/exams/examsession/")

    row = next(r for r in response.context["cl"].result_list if r.pk == session.pk)
    assert row.booked_count == 1


def test_session_list_sorts_by_the_seats_booked(staff_client, session_factory, candidate, level_am):
    busy, quiet = session_factory(capacity=8), session_factory(capacity=8)
    booking_create(candidate=candidate, session=busy, level=level_am)
    column = staff_client.get("/admin/exams/examsession/").context["cl"].list_display.index("booked")

    response = staff_client.get("/admin/exams/examsession/", {"o": f"-{column}"})

    listed = [row.pk for row in response.context["cl"].result_list]
    assert listed.index(busy.pk) < listed.index(quiet.pk) and response.context["cl"].result_list[0].booked_count == 1


def test_bulk_action_creates_a_quarters_sessions_in_each_centres_local_time(staff_client, centre_factory):
    tokyo = centre_factory(city="Tokyo", country="JP", time_zone="Asia/Tokyo", seats=16)
    new_york = centre_factory(city="New York", country="US", time_zone="America/New_York", seats=30)
    year = timezone.now().year + 1
    window = window_for_quarter(year=year, quarter=2)
    data = {"action": "create_quarter_sessions", ACTION_CHECKBOX_NAME: [tokyo.pk, new_york.pk], "apply": "1",
            "window": window.pk, "days": f"{year}-05-14, {year}-06-09", "start": "09:00", "duration_minutes": 180,
            "levels": [level.pk for level in Level.objects.filter(code__in=["AM", "PM"])]}

    response = staff_client.post("/admin/exams/testcentre/", data, follow=True)
    again = staff_client.post("/admin/exams/testcentre/", data, follow=True)

    assert "4 sessions created (0 already existed)" in response.content.decode()
    assert "0 sessions created (4 already existed)" in again.content.decode()
    sessions = ExamSession.objects.filter(window=window)
    assert sessions.count() == 4
    for session in sessions:
        local = timezone.localtime(session.starts_at, session.centre.zone)
        assert (local.hour, local.minute) == (9, 0)
        assert session.capacity == session.centre.seats
        assert sorted(session.levels.values_list("code", flat=True)) == ["AM", "PM"]
    tokyo_start = sessions.get(centre=tokyo, starts_at__date=date(year, 5, 14)).starts_at
    assert tokyo_start.astimezone(UTC).hour == 0  # 09:00 JST is midnight UTC


def test_bulk_action_shows_the_form_and_refuses_days_outside_the_window(staff_client, centre_factory):
    centre = centre_factory()
    year = timezone.now().year + 1
    window = window_for_quarter(year=year, quarter=1)

    form = staff_client.post("/admin/exams/testcentre/", {"action": "create_quarter_sessions",
                                                         ACTION_CHECKBOX_NAME: [centre.pk]})
    refused = staff_client.post("/admin/exams/testcentre/", {
        "action": "create_quarter_sessions", ACTION_CHECKBOX_NAME: [centre.pk], "apply": "1",
        "window": window.pk, "days": f"{year}-04-02", "start": "10:00", "duration_minutes": 120,
        "levels": [Level.objects.get(code="AM").pk]})

    assert "Create a quarter&#x27;s sessions" in form.content.decode()
    assert f"outside {window.label}" in refused.content.decode()
    assert not ExamSession.objects.exists()


def test_session_is_entered_in_the_centres_local_time(staff_client, centre_factory):
    sydney = centre_factory(city="Sydney", country="AU", time_zone="Australia/Sydney")
    year = timezone.now().year + 1
    window = window_for_quarter(year=year, quarter=3)

    response = staff_client.post("/admin/exams/examsession/add/", {
        "window": window.pk, "centre": sydney.pk, "local_start_0": f"{year}-07-20", "local_start_1": "09:30",
        "duration_minutes": 180, "levels": [Level.objects.get(code="SM").pk], "capacity": 12})

    assert response.status_code == 302, response.context["adminform"].form.errors
    session = ExamSession.objects.get()
    assert timezone.localtime(session.starts_at, sydney.zone).replace(tzinfo=None) == datetime(year, 7, 20, 9, 30)


def test_saving_a_session_in_the_admin_keeps_the_seat_count(staff_client, session, candidate, level_am):
    page = staff_client.get(f"/admin/exams/examsession/{session.pk}/change/")
    booking_create(candidate=candidate, session=session, level=level_am)  # while the form is open
    local = timezone.localtime(session.starts_at, session.centre.zone)

    response = staff_client.post(f"/admin/exams/examsession/{session.pk}/change/", {
        "window": session.window.pk, "centre": session.centre.pk, "local_start_0": f"{local:%Y-%m-%d}",
        "local_start_1": f"{local:%H:%M}", "duration_minutes": 120, "levels": [level_am.pk], "capacity": 15})

    assert page.status_code == 200 and response.status_code == 302
    session.refresh_from_db()
    assert (session.seats_taken, session.capacity, session.duration_minutes) == (1, 15, 120)


def test_capacity_cannot_go_below_seats_taken(staff_client, session_factory, candidate, level_am, acceptances):
    session = session_factory(capacity=2)
    booking_create(candidate=candidate, session=session, level=level_am)
    other = ApplicantFactory()
    acceptances.accept(other, "AM")
    booking_create(candidate=other, session=session, level=level_am)
    local = timezone.localtime(session.starts_at, session.centre.zone)

    response = staff_client.post(f"/admin/exams/examsession/{session.pk}/change/", {
        "window": session.window.pk, "centre": session.centre.pk, "local_start_0": f"{local:%Y-%m-%d}",
        "local_start_1": f"{local:%H:%M}", "duration_minutes": 180, "levels": [level_am.pk], "capacity": 1})

    assert response.status_code == 200
    assert "2 seats are already taken" in response.content.decode()
    assert ExamSession.objects.get(pk=session.pk).capacity == 2


def test_a_booked_session_keeps_its_time_and_its_booked_levels(staff_client, session, candidate, level_am):
    booking_create(candidate=candidate, session=session, level=level_am)
    local = timezone.localtime(session.starts_at, session.centre.zone)

    response = staff_client.post(f"/admin/exams/examsession/{session.pk}/change/", {
        "window": session.window.pk, "centre": session.centre.pk, "local_start_0": f"{local:%Y-%m-%d}",
        "local_start_1": "15:00", "duration_minutes": 180, "capacity": 10,
        "levels": [Level.objects.get(code="PM").pk]})

    html = response.content.decode()
    assert "1 candidate is booked on this session, so its time, centre and window stay as they are" in html
    assert "Candidates are booked for Associate Mentor; keep offering it." in html
    assert ExamSession.objects.get(pk=session.pk).starts_at == session.starts_at


def test_a_centre_with_upcoming_sessions_keeps_its_time_zone(staff_client, session):
    centre = session.centre

    response = staff_client.post(f"/admin/exams/testcentre/{centre.pk}/change/", {
        "name": centre.name, "city": centre.city, "country": centre.country.code, "address": centre.address,
        "time_zone": "Europe/Paris", "seats": centre.seats, "is_active": "on"})

    assert response.status_code == 200
    assert "their local times would shift" in response.content.decode()


@pytest.fixture
def sitting(session, candidate, level_am, acceptances):
    """A session with two candidates (one asked for arrangements)."""
    other = ApplicantFactory(full_name="Zed Zimmer")
    acceptances.accept(other, "AM")
    candidate.full_name = "Amy Adams"
    candidate.save()
    first = booking_create(candidate=candidate, session=session, level=level_am, needs="Wheelchair access")
    second = booking_create(candidate=other, session=session, level=level_am)
    return session, first, second


def test_roster_csv_is_the_results_sheet(staff_client, sitting):
    session, first, second = sitting

    response = staff_client.get(f"/admin/exams/examsession/{session.pk}/roster.csv")

    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [row["booking"] for row in rows] == [str(first.pk), str(second.pk)]
    assert rows[0]["special_arrangements"] == "Requested: Wheelchair access"
    assert set(TOPICS) <= set(rows[0])


def test_roster_csv_keeps_typed_text_from_becoming_a_formula(staff_client, sitting):
    session, first, _second = sitting
    first.candidate.full_name = '=HYPERLINK("http://evil.example","x")'
    first.candidate.save()

    response = staff_client.get(f"/admin/exams/examsession/{session.pk}/roster.csv")

    row = next(r for r in csv.DictReader(io.StringIO(response.content.decode())) if r["booking"] == str(first.pk))
    assert row["name"] == '\'=HYPERLINK("http://evil.example","x")'


def test_attendance_sheet_pdf_lists_the_candidates(staff_client, sitting):
    session, first, second = sitting
    SpecialArrangement.objects.filter(booking=first).update(status="approved")

    response = staff_client.get(f"/admin/exams/examsession/{session.pk}/attendance.pdf")

    assert response["Content-Type"] == "application/pdf"
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "attendance sheet" in text
    assert "Amy Adams" in text and "Zed Zimmer" in text and "Wheelchair access" in text
    assert session.centre.name in text


def test_roster_needs_the_view_permission(client, sitting, user_factory):
    staff_without_role = user_factory(is_staff=True)
    from allauth.mfa.totp.internal.auth import TOTP

    from tests.conftest import TOTP_SECRET

    TOTP.activate(staff_without_role, TOTP_SECRET)
    client.force_login(staff_without_role)

    assert client.get(f"/admin/exams/examsession/{sitting[0].pk}/roster.csv").status_code == 403


def test_results_are_entered_in_the_admin(staff_client, sitting, reviewer):
    session, first, second = sitting
    data = {"save": "1", f"absent_{second.pk}": "on"}
    data.update({f"score_{first.pk}_{code}": "80" for code in TOPICS})

    with time_machine.travel(session.starts_at + timedelta(hours=4)):
        staff_client.force_login(reviewer)
        form = staff_client.get(f"/admin/exams/examsession/{session.pk}/results/")
        response = staff_client.post(f"/admin/exams/examsession/{session.pk}/results/", data, follow=True)

    assert form.status_code == 200
    assert "2 candidates&#x27; results recorded." in response.content.decode()
    assert ExamResult.objects.get(booking=first).total_score == Decimal("80.00")
    assert Booking.objects.get(pk=second.pk).status == BookingStatus.NO_SHOW


def test_results_import_shows_every_row_error_and_saves_nothing(staff_client, sitting, reviewer):
    session, first, second = sitting
    from django.core.files.uploadedfile import SimpleUploadedFile

    sheet = ("booking,absent," + ",".join(TOPICS) + "\n"
             + f"{first.pk},,80,80,80,80,80,80,80,80\n"
             + f"{second.pk},,80,80,80,80,80,80,80,180\n").encode()

    with time_machine.travel(session.starts_at + timedelta(hours=4)):
        staff_client.force_login(reviewer)
        response = staff_client.post(f"/admin/exams/examsession/{session.pk}/results/",
                                     {"upload": "1", "file": SimpleUploadedFile("results.csv", sheet)})

    html = response.content.decode()
    assert "Nothing was saved" in html
    assert "Line 3: the score for Code of ethics &amp; conducts must be between 0 and 100." in html
    assert not ExamResult.objects.exists()


def test_results_need_the_add_result_permission(client, sitting, reviewer):
    from django.contrib.auth.models import Permission

    reviewer.groups.clear()
    reviewer.user_permissions.add(Permission.objects.get(codename="view_examsession"))
    client.force_login(reviewer)

    assert client.get(f"/admin/exams/examsession/{sitting[0].pk}/results/").status_code == 403


def test_reviewer_approves_special_arrangements(staff_client, sitting):
    arrangement = sitting[1].arrangement

    change_page = staff_client.get(f"/admin/exams/specialarrangement/{arrangement.pk}/change/").content.decode()
    decide = f"/admin/exams/specialarrangement/{arrangement.pk}/decide/approve/"
    assert decide in change_page  # the decision's button on the request's page

    response = staff_client.post(decide, {"note": "Room 1 has step-free access."})

    assert response.status_code == 302
    arrangement.refresh_from_db()
    assert (arrangement.status, arrangement.decision_note) == ("approved", "Room 1 has step-free access.")
    assert arrangement.decided_by is not None
    message = OutboxMessage.objects.get(key=f"arrangement-decided:{arrangement.pk}")
    assert "approved" in message.subject and "step-free" in message.body_text


def test_arrangements_are_decided_before_the_session(staff_client, sitting, reviewer):
    session, first, _second = sitting

    with time_machine.travel(session.starts_at + timedelta(minutes=5)):
        staff_client.force_login(reviewer)
        response = staff_client.post("/admin/exams/specialarrangement/", {
            "action": "approve", ACTION_CHECKBOX_NAME: [first.arrangement.pk]}, follow=True)

    assert "arrangements must be decided before it" in response.content.decode()
    assert SpecialArrangement.objects.get(pk=first.arrangement.pk).status == "requested"


def test_booking_actions_mark_attendance(staff_client, sitting, reviewer):
    session, first, second = sitting

    with time_machine.travel(session.starts_at + timedelta(hours=1)):
        staff_client.force_login(reviewer)
        staff_client.post("/admin/exams/booking/", {"action": "mark_no_show", ACTION_CHECKBOX_NAME: [second.pk]})

    assert Booking.objects.get(pk=second.pk).status == BookingStatus.NO_SHOW
    assert Booking.objects.get(pk=first.pk).status == BookingStatus.BOOKED


def test_booking_list_filters(staff_client, sitting):
    session, first, second = sitting
    Booking.objects.filter(pk=second.pk).update(paid_at=timezone.now())

    unpaid = staff_client.get("/admin/exams/booking/?paid=no")
    by_status = staff_client.get("/admin/exams/booking/?status__exact=booked&level__id__exact="
                                 f"{first.level_id}&session__centre__country__exact=GB")

    assert list(unpaid.context["cl"].result_list) == [first]
    assert set(by_status.context["cl"].result_list) == {first, second}


def test_window_for_quarter_spans_the_quarter():
    window = window_for_quarter(year=2027, quarter=4)

    assert (window.opens_on, window.closes_on, window.label) == (date(2027, 10, 1), date(2027, 12, 31), "2027-Q4")
    assert window_for_quarter(year=2027, quarter=4) == window


def test_session_in_the_wrong_window_is_refused(centre_factory):
    from django.core.exceptions import ValidationError

    centre = centre_factory(time_zone="Asia/Tokyo")
    window = window_for_quarter(year=2027, quarter=1)
    # 31 March 23:30 UTC is already 1 April in Tokyo, outside Q1 there.
    session = ExamSession(window=window, centre=centre, capacity=5,
                          starts_at=datetime.combine(date(2027, 3, 31), time(23, 30), tzinfo=UTC))

    with pytest.raises(ValidationError, match="outside 2027-Q1"):
        session.full_clean()


def _bookings(count: int, *, session_factory, acceptances, level_am, surname: str) -> None:
    session = session_factory(capacity=count)
    for _ in range(count):
        candidate = ApplicantFactory(full_name=f"Ada {surname}")
        acceptances.accept(candidate, "AM")
        booking_create(candidate=candidate, session=session, level=level_am)


def _changelist_queries(client, path: str) -> int:
    client.get(path)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries)


def test_booking_list_with_a_filter_and_a_search_costs_the_same_for_5_and_40_rows(staff_client, session_factory,
                                                                                   acceptances, level_am):
    path = "/admin/exams/booking/?status__exact=booked&q=Okafor"
    _bookings(5, session_factory=session_factory, acceptances=acceptances, level_am=level_am, surname="Okafor")
    few = _changelist_queries(staff_client, path)
    _bookings(35, session_factory=session_factory, acceptances=acceptances, level_am=level_am, surname="Okafor")

    many = _changelist_queries(staff_client, path)

    assert few == many


@pytest.mark.parametrize(("capacity", "duration"), [(-3, 180), (0, 180), (12, 10)])
def test_a_session_form_asks_for_the_models_own_minimums(staff_client, centre_factory, capacity, duration):
    """At least 1 seat and 15 minutes, said once: Django's positive-integer box knew only its 0 (-3 was refused as
    "greater than or equal to 0", though 0 is refused too)."""
    centre = centre_factory()
    year = timezone.now().year + 1

    response = staff_client.post("/admin/exams/examsession/add/", {
        "window": window_for_quarter(year=year, quarter=3).pk, "centre": centre.pk, "local_start_0": f"{year}-07-20",
        "local_start_1": "09:30", "duration_minutes": duration, "levels": [Level.objects.get(code="SM").pk],
        "capacity": capacity})

    errors = response.context["adminform"].form.errors
    field, least = ("capacity", 1) if capacity < 1 else ("duration_minutes", 15)
    assert errors[field] == [f"Ensure this value is greater than or equal to {least}."]
    assert not ExamSession.objects.exists()


def test_the_session_and_centre_forms_show_the_minimums_in_their_boxes(staff_client):
    session_form = staff_client.get("/admin/exams/examsession/add/").content.decode()
    centre_form = staff_client.get("/admin/exams/testcentre/add/").content.decode()

    assert re.search(r'<input [^>]*name="capacity"[^>]* min="1"', session_form)
    assert re.search(r'<input [^>]*name="duration_minutes"[^>]* min="15"', session_form)
    assert re.search(r'<input [^>]*name="seats"[^>]* min="1"', centre_form)


def test_a_bookings_history_names_its_statuses_in_the_readers_language(staff_client, session, candidate, level_am):
    booking = booking_create(candidate=candidate, session=session, level=level_am)

    html = staff_client.get(f"/admin/exams/booking/{booking.pk}/change/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()

    row = html[html.index('class="field-to_status_label"'):]
    assert row[:200].count("<p>") and "<p>booked</p>" not in html and "<p>已预约</p>" in row[:200]


def test_the_arrangements_list_filters_by_the_countries_with_a_centre(staff_client, session, candidate, level_am):
    booking = booking_create(candidate=candidate, session=session, level=level_am, needs="Ramp")
    country = session.centre.country.code

    listed = staff_client.get("/admin/exams/specialarrangement/",
                              {"booking__session__centre__country__exact": country})

    assert listed.status_code == 200, listed.get("Location")
    spec = next(f for f in listed.context["cl"].filter_specs if f.title == "country")
    assert [row.booking_id for row in listed.context["cl"].result_list] == [booking.pk]
    assert [code for code, _name in spec.lookup_choices] == [country]


def test_the_session_list_filters_by_the_countries_with_a_centre_and_links_each_sessions_papers(staff_client,
                                                                                              session_factory):
    session = session_factory()
    country = session.centre.country.code

    listed = staff_client.get("/admin/exams/examsession/", {"centre__country__exact": country})

    spec = next(f for f in listed.context["cl"].filter_specs if f.title == "country")
    assert [code for code, _name in spec.lookup_choices] == [country]
    assert [row.pk for row in listed.context["cl"].result_list] == [session.pk]
    html = listed.content.decode()
    for name in ("roster.csv", "attendance.pdf", "results/"):
        assert f'href="/admin/exams/examsession/{session.pk}/{name}"' in html
