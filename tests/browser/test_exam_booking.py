import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from exams.models import Booking, BookingStatus
from tests.exams.conftest import Acceptances
from tests.exams.factories import ExamSessionFactory, TestCentreFactory
from tests.factories import PASSWORD, ApplicantFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def reference_data(transactional_db):
    """Levels, curriculum and fee schedule: a transactional test before this one flushed them."""
    from importlib import import_module

    from django.apps import apps
    from django.db import transaction

    with transaction.atomic():
        import_module("accreditation.migrations.0002_levels").add_levels(apps, None)
        import_module("exams.migrations.0002_curriculum").add_curriculum(apps, None)
        import_module("payments.migrations.0003_fee_schedule").add_fees(apps, None)


def test_accepted_applicant_finds_a_session_books_it_and_cancels(page, live_server, reference_data):
    tokyo = TestCentreFactory(name="Shibuya Exam Hall", city="Tokyo", country="JP", time_zone="Asia/Tokyo")
    london = TestCentreFactory(name="IPMA Test Centre London", city="London", country="GB")
    session = ExamSessionFactory(centre=tokyo, capacity=3, levels=["AM", "PM"])
    ExamSessionFactory(centre=london, levels=["SM"])
    applicant = ApplicantFactory(email="candidate@example.org")
    Acceptances().accept(applicant, "AM")  # a real application, accepted for the exam

    page.goto(live_server.url + "/")
    page.get_by_role("navigation").get_by_role("button", name="Exams").click()
    page.get_by_role("navigation").get_by_role("link", name="Curriculum").click()
    expect(page.get_by_role("row", name=re.compile("Mentoring skills"))).to_contain_text("35%")
    page.get_by_role("navigation").get_by_role("button", name="Exams").click()
    page.get_by_role("navigation").get_by_role("link", name="Exam calendar").click()
    expect(page.get_by_role("heading", name="Exam calendar")).to_be_visible()
    page.get_by_label("Country").select_option("JP")
    page.get_by_role("button", name="Filter").click()
    rows = page.locator("table.exam-calendar tbody tr")
    expect(rows).to_have_count(1)
    local = timezone.localtime(session.starts_at, tokyo.zone)
    expect(rows.first).to_contain_text(f"{local.day} {local:%b %Y}, 09:00 JST")
    expect(rows.first).to_contain_text("3")

    rows.first.get_by_role("link", name="Book").click()
    page.get_by_label("Email*").fill(applicant.email)
    page.get_by_label("Password*").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("heading", name="Book an exam")).to_be_visible()
    expect(page.get_by_text("first attempt, exam fee")).to_be_visible()
    page.get_by_label("Associate Mentor (AM)").check()
    page.get_by_label("Special arrangements (optional)").fill("A ground-floor room, please.")
    page.get_by_role("button", name="Book this seat").click()

    expect(page.get_by_text("Your seat is booked.")).to_be_visible()
    expect(page.locator(".booking-status")).to_have_text("Booked")
    booking = Booking.objects.get(candidate=applicant)
    assert booking.arrangement.needs == "A ground-floor room, please."

    page.get_by_role("navigation").get_by_role("link", name="Dashboard").click()
    panel = page.get_by_role("region", name="Your exams")
    expect(panel).to_contain_text("Associate Mentor")
    expect(panel).to_contain_text("Shibuya Exam Hall")

    panel.get_by_role("link", name="Associate Mentor").click()
    page.get_by_label("Reason (optional)").fill("Plans changed")
    page.get_by_role("button", name="Cancel this booking").click()
    expect(page.get_by_text("Your booking is cancelled.")).to_be_visible()
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    assert booking.session.seats_left == 3


def test_reviewer_creates_a_quarters_sessions_and_downloads_the_attendance_sheet(page, live_server, reference_data):
    from allauth.mfa.totp.internal.auth import TOTP

    from exams.models import ExamSession
    from exams.services import window_for_quarter
    from tests.conftest import TOTP_SECRET, totp_code
    from tests.factories import ReviewerFactory

    reviewer = ReviewerFactory(email="committee@example.org")  # the role's permissions, not a superuser
    TOTP.activate(reviewer, TOTP_SECRET)
    tokyo = TestCentreFactory(name="Shibuya Exam Hall", city="Tokyo", country="JP", time_zone="Asia/Tokyo")
    nairobi = TestCentreFactory(name="Westlands Test Centre", city="Nairobi", country="KE", time_zone="Africa/Nairobi")
    year = timezone.now().year + 1
    window = window_for_quarter(year=year, quarter=2)

    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Email*").fill(reviewer.email)
    page.get_by_label("Password*").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.get_by_label("Code").fill(totp_code())
    page.get_by_role("button", name=re.compile("Sign In|Authenticate", re.I)).click()

    page.goto(live_server.url + "/admin/exams/testcentre/")
    for centre in (tokyo, nairobi):
        page.locator(f"input[name=_selected_action][value='{centre.pk}']").check()
    page.locator("select[name=action]").select_option("create_quarter_sessions")
    page.get_by_role("button", name="Go").click()
    expect(page.get_by_text("One session per listed day at each of 2 centres")).to_be_visible()
    page.get_by_label("Exam window").select_option(str(window.pk))
    page.get_by_label("Days").fill(f"{year}-05-14 {year}-06-09")
    page.get_by_label("Local start time").fill("09:00")
    page.get_by_label("Associate Mentor").check()
    page.get_by_label("Professional Mentor").check()
    page.get_by_role("button", name="Create sessions").click()
    expect(page.locator(".messagelist")).to_contain_text("4 sessions created (0 already existed)")

    tokyo_session = ExamSession.objects.get(centre=tokyo, starts_at__date=f"{year}-05-14")
    assert timezone.localtime(tokyo_session.starts_at, tokyo.zone).hour == 9
    page.goto(live_server.url + "/admin/exams/examsession/?centre__country__exact=JP")
    row = page.locator("#result_list tbody tr").first
    expect(row).to_contain_text(f"{year}-05-14 09:00 JST")
    with page.expect_download() as download:
        row.get_by_role("link", name="CSV").click()
    assert download.value.suggested_filename.startswith("roster-tokyo-")
