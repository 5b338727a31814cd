"""The city field suggests cities of the chosen country from the offline gazetteer as one types."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import PASSWORD, ApplicantFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_applicant_starts_a_fast_track_application_and_gets_city_suggestions(page, live_server):
    applicant = ApplicantFactory()
    page.goto(live_server.url + "/accounts/login/?next=/fast-track/")
    page.get_by_label("Email*").fill(applicant.email)
    page.get_by_label("Password*").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()

    page.get_by_role("button", name="Start an application").click()
    expect(page).to_have_url(re.compile(r"/fast-track/application/$"))
    page.get_by_label("Country*").select_option("FR")
    page.get_by_label("City*").press_sequentially("Lyo", delay=50)

    expect(page.locator("#city-suggestions option[value='Lyon']")).to_have_count(1)
