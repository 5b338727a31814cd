"""A mentor logs hours naming the mentee's e-mail; the mentee opens the mailed link, without an account,
and confirms; the mentor's log then shows the hours confirmed."""

import re
import uuid

import pytest
from playwright.sync_api import expect

from applicants.models import ConfirmationStatus, HoursEntry
from notifications.models import OutboxMessage
from notifications.services import outbox_message_bodies
from tests.browser.conftest import assert_accessible
from tests.factories import PASSWORD, ApplicantFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def ratelimit_namespace(settings):
    settings.CACHES = {
        **settings.CACHES,
        "ratelimit": {**settings.CACHES["ratelimit"], "KEY_PREFIX": f"test-ratelimit-{uuid.uuid4().hex}"},
    }


def test_mentee_confirms_hours_from_the_mail(page, live_server, browser):
    ApplicantFactory(email="maria@example.org", full_name="Maria Mentor")
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Email*").fill("maria@example.org")
    page.get_by_label("Password*").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page).to_have_url(re.compile(r"/dashboard/$"))

    page.goto(live_server.url + "/hours/new/")
    page.get_by_label("Mentee or organization*").fill("Mentee K")
    page.get_by_label("From*").fill("2025-01-06")
    page.get_by_label("To*").fill("2025-03-31")
    page.get_by_label("Hours*").fill("14")
    page.get_by_label("Format*").select_option("online")
    page.get_by_label("Confirmation by (e-mail)").fill("kofi@example.org")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("cell", name="Awaiting the mentee's confirmation")).to_be_visible()

    message = OutboxMessage.objects.get(to=["kofi@example.org"])
    link = re.search(r"/hours/confirm/\d+/\S+/", outbox_message_bodies(message)[0]).group(0)
    mentee = browser.new_context().new_page()  # the mentee: another browser, no account, no session
    mentee.goto(live_server.url + link)
    expect(mentee.get_by_role("heading", name="Confirm mentoring hours")).to_be_visible()
    expect(mentee.locator("#confirm-entry")).to_contain_text("Maria Mentor")
    assert_accessible(mentee)
    mentee.get_by_role("button", name="Confirm these hours").click()
    expect(mentee.locator("#confirm-result")).to_contain_text("You confirmed 14.0 hours of mentoring by Maria Mentor")
    assert_accessible(mentee)

    mentee.goto(live_server.url + link)
    expect(mentee.get_by_role("heading", name="This link has been used")).to_be_visible()
    assert_accessible(mentee)

    page.goto(live_server.url + "/hours/")
    expect(page.get_by_role("cell", name="Confirmed by the mentee")).to_be_visible()
    expect(page.locator("#hours-confirmed")).to_contain_text("14.0 hours confirmed by mentees")
    assert_accessible(page)
    assert HoursEntry.objects.get().status == ConfirmationStatus.CONFIRMED
