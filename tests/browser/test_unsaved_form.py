"""What someone typed is not lost to the language menu (or any other way off the page) without a question."""

import pytest
from playwright.sync_api import expect

from applicants.models import HoursEntry
from tests.factories import PASSWORD, ApplicantFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def mentor(page, live_server):
    user = ApplicantFactory()
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Email*").fill(user.email)
    page.get_by_label("Password*").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()  # a form sent: nothing is asked
    expect(page).to_have_url(live_server.url + "/dashboard/")
    return user


def choose_chinese(page) -> None:
    page.locator("#nav-language > a").click()
    page.locator("#nav-language").get_by_role("button", name="简体中文").click()


def test_the_language_menu_asks_before_leaving_a_form_with_typing_and_stays_when_told(page, live_server, mentor):
    asked = []
    page.on("dialog", lambda dialog: (asked.append(dialog.type), dialog.dismiss()))
    page.goto(live_server.url + "/hours/new/")
    page.get_by_label("Mentee or organization*").fill("Acme Ltd")

    choose_chinese(page)
    page.wait_for_timeout(500)

    assert asked == ["beforeunload"]
    expect(page).to_have_url(live_server.url + "/hours/new/")
    expect(page.get_by_label("Mentee or organization*")).to_have_value("Acme Ltd")


def test_the_language_menu_leaves_an_untouched_form_without_asking(page, live_server, mentor):
    asked = []
    page.on("dialog", lambda dialog: (asked.append(dialog.type), dialog.accept()))
    page.goto(live_server.url + "/hours/new/")

    choose_chinese(page)

    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    assert asked == []


def test_sending_the_form_asks_nothing(page, live_server, mentor):
    asked = []
    page.on("dialog", lambda dialog: (asked.append(dialog.type), dialog.dismiss()))
    page.goto(live_server.url + "/hours/new/")
    page.get_by_label("Mentee or organization*").fill("Acme Ltd")
    page.get_by_label("From*").fill("2025-01-06")
    page.get_by_label("To*").fill("2025-01-10")
    page.get_by_label("Hours*").fill("12")
    page.get_by_label("Format*").select_option("online")

    page.get_by_role("button", name="Save").click()

    expect(page).to_have_url(live_server.url + "/hours/")
    assert asked == [] and HoursEntry.objects.filter(user=mentor, mentee="Acme Ltd").exists()
