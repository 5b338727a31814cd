"""A QTSP coordinator imports a roster CSV with one bad row (clear error, nothing imported), fixes it, imports,
records a completion; the trainee accepts the invitation on their dashboard, which then shows the training
requirement met."""

import re

import pytest
from playwright.sync_api import expect

from partners.models import Enrolment
from tests.factories import PASSWORD, ApplicantFactory
from tests.partners.factories import CohortFactory, ProgrammeFactory, QTSPFactory, coordinator_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BAD_CSV = b"email,full_name\namara@example.org,Amara Trainee\nbob(at)example.org,Bob Typo\n"
GOOD_CSV = b"email,full_name\namara@example.org,Amara Trainee\nbob@example.org,Bob Fixed\n"


@pytest.fixture
def roster_world():
    qtsp = QTSPFactory(name="Lumen Mentoring Academy", place="Singapore")
    coordinator = coordinator_of(qtsp)
    cohort = CohortFactory(programme=ProgrammeFactory(qtsp=qtsp), name="March cohort", capacity=10)
    trainee = ApplicantFactory(email="amara@example.org", full_name="Amara Trainee")
    return coordinator, cohort, trainee


def sign_in(page, live_server, email):
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Email*").fill(email)
    page.get_by_label("Password*").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page).to_have_url(re.compile(r"/dashboard/$"))


def import_file(page, content: bytes):
    page.locator("#id_file").set_input_files({"name": "roster.csv", "mimeType": "text/csv", "buffer": content})
    page.get_by_role("button", name="Import").click()


def test_coordinator_imports_fixes_records_and_trainee_sees_requirement_met(page, live_server, roster_world):
    coordinator, cohort, trainee = roster_world
    sign_in(page, live_server, coordinator.email)

    page.get_by_role("button", name="Training partner", exact=True).click()
    page.get_by_role("link", name="Programmes, cohorts and rosters").click()
    page.get_by_role("link", name="March cohort").click()
    expect(page.get_by_role("heading", name="Roster")).to_be_visible()

    import_file(page, BAD_CSV)
    errors = page.get_by_role("alert").filter(has_text="Nothing was imported")
    expect(errors).to_contain_text("Row 3:")
    expect(errors).to_contain_text("“bob(at)example.org” is not a valid email address.")
    expect(page.locator("#roster")).to_contain_text("No trainee on this roster yet.")
    assert not Enrolment.objects.exists()

    import_file(page, GOOD_CSV)
    expect(page.get_by_text("2 trainees were added to the roster.")).to_be_visible()
    expect(page.locator("#roster")).to_contain_text("Amara Trainee")
    expect(page.locator("#roster")).to_contain_text("Bob Fixed")
    expect(page.locator("#places")).to_have_text("2 of 10 places taken")

    page.get_by_role("link", name="Record attendance of Amara Trainee").click()
    page.get_by_label("Attended hours*").fill("32")
    page.get_by_label("Attended in-person days*").fill("0")
    page.get_by_label("Outcome*").select_option(label="Completed and passed")
    page.get_by_role("button", name="Save the record").click()
    amara_row = page.locator("#roster tr", has_text="Amara Trainee")
    expect(amara_row).to_contain_text("Completed, passed")

    page.goto(live_server.url + "/accounts/logout/")
    page.get_by_role("button", name="Sign Out").click()
    sign_in(page, live_server, trainee.email)

    panel = page.locator("#training-panel")
    expect(panel).not_to_contain_text("Completed and passed")  # not theirs until they accept
    panel.get_by_role("button", name="Accept the invitation").click()
    expect(page.get_by_text("You are on the roster of")).to_be_visible()
    expect(panel).to_contain_text("Associate Mentor online training, 32 h")
    expect(panel).to_contain_text("Completed and passed: the training requirement for Associate Mentor is met.")
    standing = page.locator("#standing-AM")
    if standing.count():  # the accreditation app's checklist, when it is on the dashboard
        expect(standing.locator("li.requirement-met", has_text="completed with a QTSP")).to_be_visible()


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_a_trainee_with_a_very_long_unbroken_name_does_not_widen_the_roster(page, live_server, roster_world,
                                                                             language):
    from partners.services import enrolment_add

    coordinator, cohort, _trainee = roster_world
    enrolment_add(cohort=cohort, email="long.name@example.org", actor=coordinator, full_name="A" * 200)
    sign_in(page, live_server, coordinator.email)
    page.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])

    page.goto(f"{live_server.url}/partners/portal/cohorts/{cohort.pk}/")

    expect(page.locator("#roster")).to_contain_text("A" * 50)
    assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0
