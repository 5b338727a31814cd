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


def test_accepted_applicant_finds_a_session_books_it_and_cancels(page, live_server, reference_data, monkeypatch):
    from exams import eligibility

    tokyo = TestCentreFactory(name="Shibuya Exam Hall", city="Tokyo", country="JP", time_zone="Asia/Tokyo")
    london = TestCentreFactory(name="IPMA Test Centre London", city="London", country="GB")
    session = ExamSessionFactory(centre=tokyo, capacity=3, levels=["AM", "PM"])
    ExamSessionFactory(centre=london, levels=["SM"])
    applicant = ApplicantFactory(email="candidate@example.org")
    acceptances = Acceptances()
    acceptances.accept(applicant, "AM")
    monkeypatch.setattr(eligibility, "accepted_application", acceptances)

    page.goto(live_server.url + "/")
    page.get_by_role("navigation").get_by_role("link", name="Curriculum").click()
    expect(page.get_by_role("row", name=re.compile("Mentoring skills"))).to_contain_text("35%")
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
