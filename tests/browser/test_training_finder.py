"""The training finder and a QTSP's public page pass axe-core; a signed-in person asks for a place from it; and
issue 18's journey: a newcomer refused for missing training follows the link to /training/, requests a place, the
QTSP accepts and records the completion, and the application submits."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from accreditation.models import ApplicationStatus
from partners.models import Enrolment, PlaceRequest
from tests.accreditation.conftest import draft_for, make_eligible
from tests.browser.conftest import assert_accessible
from tests.browser.test_qtsp_roster import sign_in
from tests.factories import ApplicantFactory
from tests.partners.factories import CohortFactory, ProgrammeFactory, QTSPFactory, owner_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def cohort():
    starts = datetime.date.today() + datetime.timedelta(days=30)
    return CohortFactory(programme=ProgrammeFactory(qtsp=QTSPFactory(name="Lumen Mentoring Academy", place="Singapore")),
                         name="Spring online cohort", starts_on=starts, ends_on=starts + datetime.timedelta(days=40),
                         price="450.00", currency="SGD", capacity=10)


def test_finder_and_qtsp_page_are_accessible(page, live_server, cohort):
    page.goto(live_server.url + "/training/?level=AM")
    expect(page.get_by_role("link", name="Associate Mentor online training, 32 h")).to_be_visible()
    assert_accessible(page)

    page.goto(live_server.url + f"/partners/{cohort.programme.qtsp_id}/")
    assert_accessible(page)


def test_newcomer_asks_for_a_place_from_the_finder(page, live_server, cohort):
    person = ApplicantFactory(email="newcomer@example.org")
    sign_in(page, live_server, person.email)

    page.goto(live_server.url + "/training/?level=AM")
    page.get_by_role("link", name="Associate Mentor online training, 32 h").click()
    expect(page.get_by_label(re.compile("enrol me on this cohort"))).to_be_visible()
    assert_accessible(page)
    page.get_by_label(re.compile("enrol me on this cohort")).check()
    page.get_by_role("button", name="Send the request").click()

    expect(page).to_have_url(re.compile(r"/training/requests/$"))
    assert PlaceRequest.objects.get().person == person


def _sign_out(page, live_server):
    page.goto(live_server.url + "/accounts/logout/")
    page.get_by_role("button", name="Sign Out").click()


def test_newcomer_refused_for_training_gets_a_place_and_then_submits(page, live_server, cohort, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    qtsp = cohort.programme.qtsp
    staff = owner_of(qtsp)
    newcomer = ApplicantFactory(email="newcomer@example.org", full_name="Nia Newcomer")
    make_eligible(newcomer, "AM", training=False)  # hours, ethics, profile: only the training is missing
    application = draft_for(newcomer, "AM")
    review = f"{live_server.url}/applications/{application.pk}/edit/review/"

    # Refused: the submit button is off and the page says how to get the training.
    sign_in(page, live_server, newcomer.email)
    page.goto(review)
    expect(page.get_by_role("button", name="Submit the application")).to_be_disabled()
    page.get_by_role("link", name="Find a training partner who runs this training").click()
    expect(page).to_have_url(re.compile(r"/training/\?level=AM$"))
    page.get_by_role("link", name="Associate Mentor online training, 32 h").click()
    page.get_by_label(re.compile("enrol me on this cohort")).check()
    page.get_by_role("button", name="Send the request").click()
    expect(page.get_by_text("Your request was sent to Lumen Mentoring Academy.")).to_be_visible()
    _sign_out(page, live_server)

    # The QTSP accepts the request and, after the course, records the pass.
    sign_in(page, live_server, staff.email)
    page.get_by_role("button", name="Training partner", exact=True).click()
    page.get_by_role("link", name="Programmes, cohorts and rosters").click()
    page.get_by_role("link", name="Place requests").click()
    request_row = page.locator("tr.place-request", has_text="Nia Newcomer")
    request_row.get_by_role("button", name="Accept and enrol").click()
    expect(page.locator("tr.place-request", has_text="Nia Newcomer")).to_contain_text("Accepted")
    page.goto(f"{live_server.url}/partners/portal/cohorts/{cohort.pk}/")
    page.get_by_role("link", name="Record attendance of Nia Newcomer").click()
    page.get_by_label("Attended hours*").fill(str(cohort.programme.required_hours))
    page.get_by_label("Attended in-person days*").fill(str(cohort.programme.required_days))
    page.get_by_label("Outcome*").select_option(label="Completed and passed")
    page.get_by_role("button", name="Save the record").click()
    expect(page.locator("#roster tr", has_text="Nia Newcomer")).to_contain_text("Completed, passed")
    assert Enrolment.objects.get(trainee=newcomer).counts_for_eligibility
    _sign_out(page, live_server)

    # Back on the application: nothing is missing now, and it submits.
    sign_in(page, live_server, newcomer.email)
    page.goto(review)
    expect(page.locator("#submit-blockers")).to_have_count(0)
    page.get_by_label(re.compile("I confirm that what this application states is true")).check()
    page.get_by_role("button", name="Submit the application").click()
    expect(page.get_by_text(re.compile(r"Your application \S+ was submitted\."))).to_be_visible()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
