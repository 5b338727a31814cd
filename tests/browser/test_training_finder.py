"""The training finder and a QTSP's public page pass axe-core; a signed-in person asks for a place from it."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from partners.models import PlaceRequest
from tests.browser.conftest import assert_accessible
from tests.browser.test_qtsp_roster import sign_in
from tests.factories import ApplicantFactory
from tests.partners.factories import CohortFactory, ProgrammeFactory, QTSPFactory

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
    assert_accessible(page)
    page.get_by_label(re.compile("enrol me on this cohort")).check()
    page.get_by_role("button", name="Send the request").click()

    expect(page).to_have_url(re.compile(r"/training/requests/$"))
    assert PlaceRequest.objects.get().person == person
