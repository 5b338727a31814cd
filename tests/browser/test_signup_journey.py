import re

import pytest
from playwright.sync_api import expect

from notifications.models import OutboxMessage
from notifications.services import outbox_message_bodies

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_visitor_signs_up_confirms_email_logs_in_and_sees_dashboard(page, live_server):
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Start your application").click()
    page.get_by_label("Full name*").fill("Nia Newcomer")
    page.get_by_label("Email*").fill("new.mentor@example.org")
    page.get_by_label("Password*", exact=True).fill("a-long-passphrase-42")
    page.get_by_label("Password (again)*").fill("a-long-passphrase-42")
    page.get_by_role("button", name="Sign Up").click()
    expect(page.get_by_role("heading", name="Verify Your Email Address")).to_be_visible()

    message = OutboxMessage.objects.get(to=["new.mentor@example.org"])
    link = re.search(r"/accounts/confirm-email/\S+/", outbox_message_bodies(message)[0]).group(0)
    page.goto(live_server.url + link)
    page.get_by_role("button", name="Confirm").click()
    page.goto(live_server.url + "/accounts/logout/")
    page.get_by_role("button", name="Sign Out").click()

    page.get_by_role("navigation").get_by_role("link", name="Sign in").click()
    page.get_by_label("Email*").fill("new.mentor@example.org")
    page.get_by_label("Password*").fill("a-long-passphrase-42")
    page.get_by_role("button", name="Sign In").click()

    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    expect(page.get_by_role("heading", name="Welcome, Nia")).to_be_visible()
