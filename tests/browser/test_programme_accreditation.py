"""An organization applies for its programme's accreditation and pays; two reviewers score it in the admin;
the committee accredits it with a condition; the organization answers the condition and downloads its logo
kit; the programme is then listed in /directory/ and verifies at /verify/<number>/."""

import datetime
import importlib
import re
import zipfile

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.apps import apps as django_apps
from django.utils import timezone
from playwright.sync_api import expect

from organizations.models import AccreditedMentor, ApplicationStatus, ProgrammeApplication
from tests.conftest import TOTP_SECRET, totp_code
from tests.documents.samples import pdf_bytes
from tests.factories import PASSWORD, ReviewerFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def reference_data(settings, tmp_path):
    """Levels, fees and standards come from data migrations that a transactional test's flush removed."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private_media"
    settings.PAYMENTS_DEMO_PROVIDER = True
    settings.STRIPE_SECRET_KEY = settings.STRIPE_WEBHOOK_SECRET = ""
    importlib.import_module("accreditation.migrations.0002_levels").add_levels(django_apps, None)
    importlib.import_module("payments.migrations.0003_fee_schedule").add_fees(django_apps, None)
    importlib.import_module("organizations.migrations.0002_numbers_events_standards").standards_add(django_apps, None)


def sign_in(page, base_url: str, email: str, *, totp: bool = False) -> None:
    page.goto(base_url + "/accounts/login/")
    page.get_by_label("Email*").fill(email)
    page.get_by_label("Password*").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    if totp:
        page.get_by_label("Code").fill(totp_code())
        page.get_by_role("button", name=re.compile("Sign In|Authenticate", re.I)).click()


def new_page(page, base: str):
    other = page.context.browser.new_context(base_url=base).new_page()
    other.set_default_timeout(15_000)
    return other


def review_in_admin(page, base: str, application: ProgrammeApplication, score: str, comment: str) -> None:
    page.goto(base + f"/admin/organizations/programmeapplication/{application.pk}/change/")
    page.get_by_role("link", name="Take for review").click()
    page.get_by_role("button", name="Take for review").click()
    expect(page.locator(".messagelist")).to_contain_text("Take for review done")
    page.goto(base + "/admin/organizations/review/")
    page.get_by_role("link", name="Score").click()
    # locator.all() does not wait: the score form must be on the page before its fields are listed.
    expect(page.get_by_role("button", name="Submit the review")).to_be_visible()
    for select in page.locator("select[name^='score_']").all():
        select.select_option(score)
    for textarea in page.locator("textarea[name^='comment_']").all():
        textarea.fill(comment)
    page.get_by_role("button", name="Submit the review").click()
    expect(page.locator(".messagelist")).to_contain_text("Review submitted.")


def test_programme_accreditation_journey(page, live_server, reference_data):
    pytest.importorskip("certificates.services", reason="collaborator missing: certificates (the mentor check, "
                                                        "the certificate and /verify/)")
    from certificates.services import certificate_issue

    base = live_server.url
    owner = UserFactory(full_name="Olivia Owner")
    first, second = ReviewerFactory(full_name="Rania Reviewer"), ReviewerFactory(full_name="Ravi Reviewer")
    for reviewer in (first, second):
        TOTP.activate(reviewer, TOTP_SECRET)
    mentor = UserFactory(full_name="Ana Lima")
    mentor_certificate = certificate_issue(user=mentor, level_code="PM", legal_name="Ana Lima", actor=None)

    # The organization registers and applies, saving the draft, then adds a mentor and a document.
    sign_in(page, base, owner.email)
    page.goto(base + "/organizations/")
    page.get_by_role("link", name="Register an organization").click()
    page.get_by_label("Legal name*").fill("Riverside Schools Trust")
    page.get_by_label("Sector*").select_option("education")
    page.get_by_label("Country*").select_option("GB")
    page.get_by_label("City*").fill("Leeds")
    page.get_by_label("Website").fill("https://riverside.example")
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_role("heading", name="Riverside Schools Trust")).to_be_visible()
    page.get_by_role("link", name="Apply for a programme's accreditation").click()
    page.get_by_label("Programme name*").fill("New Teachers Mentoring")
    page.get_by_role("button", name="Start the application").click()
    page.get_by_label("Public description").fill("Two years of mentoring for newly qualified teachers.")
    page.get_by_label("Purpose of the programme").fill("Keep new teachers in the profession.")
    page.get_by_label("New staff").check()
    page.get_by_role("button", name="Save the draft").click()
    expect(page.locator("#missing-list")).to_contain_text("how mentors and mentees are matched")
    page.get_by_role("link", name="Edit the draft").click()
    page.get_by_label("Mentors", exact=True).fill("12")
    page.get_by_label("Mentees", exact=True).fill("30")
    page.get_by_label("Active mentoring pairs").fill("24")
    page.get_by_label("How mentors and mentees are matched").fill("By subject and school phase.")
    page.get_by_label("Who trains the mentors").select_option("qtsp")
    page.get_by_label("Mentor training").fill("A QTSP's 32-hour course.")
    page.get_by_label("Supervision and support of mentors").fill("Monthly group supervision.")
    page.get_by_label("Monitoring and evaluation").fill("Retention and a termly survey.")
    page.get_by_label("The programme has adopted the IPMA code of ethics").check()
    page.get_by_role("button", name="Save the draft").click()
    expect(page.get_by_text("Draft saved.")).to_be_visible()
    page.get_by_label("Mentor's email address*").fill(mentor.email)
    page.get_by_role("button", name="Invite the mentor").click()
    expect(page.locator(".mentor-invited")).to_contain_text("Invited, not accepted yet")
    expect(page.locator("#mentors-heading + table")).not_to_contain_text("Ana Lima")
    # The mentor accepts on their own account (their dashboard's invitation page), naming their certificate.
    invitation = AccreditedMentor.objects.get(email=mentor.email)
    mentor_page = new_page(page, base)
    sign_in(mentor_page, base, mentor.email)
    mentor_page.goto(f"{base}/organizations/mentors/{invitation.pk}/accept/")
    mentor_page.get_by_role("button", name="Accept the invitation").click()
    expect(mentor_page.get_by_text("You are listed as a mentor of")).to_be_visible()
    page.reload()
    expect(page.locator(".mentor-check-valid")).to_contain_text("Valid certificate")
    expect(page.locator("#mentors-heading + table")).to_contain_text(mentor_certificate.number)
    page.get_by_label("Kind of document*").select_option("evaluation")
    page.get_by_label("File*").set_input_files(
        files=[{"name": "evaluation.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()}])
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_role("link", name="evaluation.pdf")).to_be_visible()
    expect(page.locator("#missing-list")).to_have_count(0)

    # ... submits and pays the fee (the demo provider, through payments' own pages).
    page.get_by_role("button", name="Submit to the committee").click()
    expect(page.locator(".status-submitted")).to_be_visible()
    page.get_by_role("link", name=re.compile(r"^IPMA-\d{4}-")).click()
    page.get_by_label("Demo payment (no money moves)").check()
    page.get_by_role("button", name="Pay", exact=True).click()
    page.get_by_role("button", name="Simulate a successful payment").click()
    expect(page.get_by_role("heading", name="Payment received")).to_be_visible()
    application = ProgrammeApplication.objects.get(programme__name="New Teachers Mentoring")
    assert application.status == ApplicationStatus.UNDER_REVIEW

    # Two reviewers score it in the admin; the second does not see the first's scores until both are in.
    first_page = new_page(page, base)
    sign_in(first_page, base, first.email, totp=True)
    review_in_admin(first_page, base, application, "3", "FIRST-REVIEWER-NOTE")
    second_page = new_page(page, base)
    sign_in(second_page, base, second.email, totp=True)
    second_page.goto(base + f"/admin/organizations/programmeapplication/{application.pk}/change/")
    expect(second_page.locator("body")).to_contain_text("1 other review is hidden")
    expect(second_page.locator("body")).not_to_contain_text("FIRST-REVIEWER-NOTE")
    review_in_admin(second_page, base, application, "2", "SECOND-REVIEWER-NOTE")
    second_page.goto(base + f"/admin/organizations/programmeapplication/{application.pk}/change/")
    expect(second_page.locator(".org-score-table")).to_contain_text("FIRST-REVIEWER-NOTE")

    # The committee accredits it with a condition.
    due = (timezone.localdate() + datetime.timedelta(days=60)).isoformat()
    first_page.goto(base + f"/admin/organizations/programmeapplication/{application.pk}/change/")
    first_page.get_by_role("link", name="Decide").click()
    first_page.get_by_label("Accredited with conditions").check()
    first_page.get_by_label("Reasons").fill("Strong programme; supervision is informal.")
    first_page.locator("textarea[name='conditions-0-text']").fill("Write down who supervises the mentors.")
    first_page.locator("input[name='conditions-0-due_on']").fill(due)
    first_page.get_by_role("button", name="Decide").click()
    expect(first_page.locator(".field-status").first).to_contain_text("Accredited with conditions")
    application.refresh_from_db()
    assert application.status == ApplicationStatus.CONDITIONAL and application.certificate_number

    # The organization answers the condition in the portal; the committee accepts the answer.
    page.goto(base + f"/organizations/applications/{application.pk}/")
    expect(page.locator(".status-conditional")).to_be_visible()
    page.get_by_role("link", name="Answer").click()
    page.get_by_label("How the condition was met*").fill("Maria Costa supervises, four hours a month.")
    page.get_by_role("button", name="Send the answer to the committee").click()
    expect(page.get_by_text("Your answer was sent to the committee.")).to_be_visible()
    condition = application.conditions.get()
    first_page.goto(base + f"/admin/organizations/condition/{condition.pk}/decide/accept/")
    first_page.get_by_role("button", name="Accept: the condition is met").click()
    page.reload()
    expect(page.locator(".status-accredited")).to_be_visible()

    # ... and downloads its logo kit.
    page.get_by_role("link", name="Logo kit").click()
    expect(page.get_by_role("img", name=re.compile("accreditation mark of New Teachers Mentoring"))).to_be_visible()
    expect(page.locator("#badge-snippet")).to_have_value(re.compile(f"/verify/{application.certificate_number}/"))
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the whole kit (ZIP)").click()
    archive = zipfile.ZipFile(download.value.path())
    svg_name = next(name for name in archive.namelist() if name.endswith(".svg"))
    assert application.certificate_number in archive.read(svg_name).decode()
    assert "USAGE-RULES.txt" in archive.namelist()

    # The programme is in the public directory and verifies.
    visitor = new_page(page, base)
    visitor.goto(base + "/")
    visitor.get_by_role("navigation").get_by_role("button", name="Directory").click()
    visitor.get_by_role("navigation").get_by_role("link", name="Directory").click()
    visitor.get_by_role("link", name="Organizations and programmes").click()
    directory = visitor.get_by_role("main")  # the header and footer have a site search of their own
    directory.get_by_label("Search", exact=True).fill("teachers")
    directory.get_by_role("button", name="Search", exact=True).click()
    expect(visitor.get_by_role("heading", name="New Teachers Mentoring")).to_be_visible()
    visitor.get_by_role("link", name=f"Verify {application.certificate_number}").click()
    expect(visitor).to_have_url(re.compile(f"/verify/{application.certificate_number}/$"))
    expect(visitor.locator("body")).to_contain_text("New Teachers Mentoring")
    expect(visitor.locator("body")).to_contain_text("Active")
