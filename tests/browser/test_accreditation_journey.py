"""An applicant logs hours, adopts the code of ethics, applies for AM, submits and pays; a reviewer asks for
information in the admin; the applicant answers; the reviewer accepts for the exam; the pass approves."""

import importlib
import re
import time

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.apps import apps as django_apps
from playwright.sync_api import expect

from accreditation.models import LevelApplication
from accreditation.services import application_exam_passed
from tests.accreditation.conftest import fee_paid, training_done
from tests.applicants.factories import EthicsCodeFactory
from tests.conftest import TOTP_SECRET, totp_code
from tests.factories import PASSWORD, ApplicantFactory, ReviewerFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def levels(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private_media"
    importlib.import_module("accreditation.migrations.0002_levels").add_levels(django_apps, None)


def sign_in(page, base_url: str, email: str) -> None:
    page.goto(base_url + "/accounts/login/")
    page.get_by_label("Email*").fill(email)
    page.get_by_label("Password*").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()


def fresh_totp_code() -> str:
    """The current code, never one about to expire between typing and sending it."""
    if 30 - time.time() % 30 < 4:
        time.sleep(4.5)
    return totp_code()


def test_applicant_applies_reviewer_asks_applicant_answers_reviewer_accepts_the_pass_approves(page, live_server,
                                                                                             levels):
    base = live_server.url
    EthicsCodeFactory(version=1, text="Put the mentee first.")
    applicant = ApplicantFactory(full_name="Amara Okafor")
    training_done(applicant, "AM")  # recorded on a QTSP's roster
    reviewer = ReviewerFactory(full_name="Rania Reviewer")
    TOTP.activate(reviewer, TOTP_SECRET)

    # The applicant logs hours and adopts the code.
    sign_in(page, base, applicant.email)
    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    page.goto(base + "/hours/new/")
    page.get_by_label("Mentee or organization*").fill("Mentee A")
    page.get_by_label("From*").fill("2025-01-06")
    page.get_by_label("To*").fill("2025-06-30")
    page.get_by_label("Hours*").fill("40")
    page.get_by_label("Format*").select_option("online")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#hours-total")).to_contain_text("40.0 hours in 1 entry")
    page.goto(base + "/ethics/")
    page.get_by_label(re.compile("I have read this code of ethics")).check()
    page.get_by_role("button", name="Adopt the code").click()
    expect(page.locator("#ethics-status")).to_contain_text("You adopted this version")

    # ... applies for AM through the steps and submits.
    page.goto(base + "/applications/new/")
    page.get_by_label("Associate Mentor (AM)").check()
    page.get_by_role("button", name="Start the application").click()
    expect(page.get_by_role("heading", name="Evidence")).to_be_visible()
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Your mentoring practice*").fill("I mentor a junior engineer every fortnight.")
    page.get_by_role("button", name="Save and continue").click()
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".checklist")).to_contain_text("40 of 40 service hours logged")
    page.get_by_label(re.compile("I confirm that what this application states")).check()
    page.get_by_role("button", name="Submit the application").click()
    expect(page.locator("#application-status")).to_contain_text("Submitted, awaiting the fee")
    application = LevelApplication.objects.get(applicant=applicant)
    assert application.reviewer == reviewer
    fee_paid(application)  # the committee confirms the bank transfer
    page.reload()
    expect(page.locator("#application-status")).to_contain_text("Under review")

    # The reviewer asks for information in the admin (after two-factor authentication).
    reviewer_page = page.context.browser.new_context(base_url=base).new_page()
    reviewer_page.set_default_timeout(15_000)
    sign_in(reviewer_page, base, reviewer.email)
    reviewer_page.get_by_label("Code").fill(fresh_totp_code())
    reviewer_page.get_by_role("button", name=re.compile("Sign In|Authenticate", re.I)).click()
    reviewer_page.goto(base + "/admin/accreditation/levelapplication/")
    reviewer_page.get_by_role("link", name=application.number).click()
    expect(reviewer_page.locator("body")).to_contain_text("40 of 40 service hours logged")
    reviewer_page.get_by_role("link", name="Request information").click()
    reviewer_page.get_by_label("What should the applicant provide?").fill("Which organization was Mentee A with?")
    reviewer_page.get_by_role("button", name=re.compile("Request information")).click()
    expect(reviewer_page.locator(".messagelist")).to_contain_text("Request information done")

    # The applicant answers.
    page.goto(base + f"/applications/{application.pk}/")
    expect(page.locator("#information-request")).to_contain_text("Which organization was Mentee A with?")
    page.get_by_label("Your answer*").fill("Mentee A works at Acme Ltd, Lagos.")
    page.get_by_role("button", name="Send your answer").click()
    expect(page.locator("#application-status")).to_contain_text("Under review")

    # The reviewer accepts for the exam; the exams app reports the pass, which approves.
    reviewer_page.goto(base + f"/admin/accreditation/levelapplication/{application.pk}/change/")
    expect(reviewer_page.locator("body")).to_contain_text("Mentee A works at Acme Ltd, Lagos.")
    reviewer_page.get_by_role("link", name="Accept for exam").click()
    reviewer_page.get_by_role("button", name=re.compile("Accept for exam")).click()
    expect(reviewer_page.locator(".messagelist")).to_contain_text("Accept for exam done")
    application_exam_passed(candidate=applicant, level_code="AM")

    page.reload()
    expect(page.locator("#application-status")).to_contain_text("Approved")
    application.refresh_from_db()
    assert application.status == "approved"
    assert list(application.events.values_list("action", flat=True)) == [
        "created", "submitted", "reviewer_assigned", "review_started", "information_requested",
        "information_provided", "accepted_for_exam", "exam_passed", "approved"]
