"""An employer invites an employee to be sponsored; the employee accepts, choosing what is shared; the
employer's page shows their stage; every page passes axe-core and fits 1280 px."""

import importlib
import re

import pytest
from django.apps import apps as django_apps
from playwright.sync_api import expect

from organizations.models import Sponsorship, SponsorshipStatus
from tests.browser.conftest import assert_accessible
from tests.factories import PASSWORD, ApplicantFactory
from tests.organizations.factories import organization_with_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def reference_data():
    importlib.import_module("accreditation.migrations.0002_levels").add_levels(django_apps, None)
    importlib.import_module("payments.migrations.0003_fee_schedule").add_fees(django_apps, None)


def sign_in(page, base_url: str, email: str) -> None:
    page.goto(base_url + "/accounts/login/")
    page.get_by_label("Email*").fill(email)
    page.get_by_label("Password*").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()


def test_employer_invites_and_employee_accepts(page, live_server, reference_data):
    organization, owner, _contact = organization_with_staff()
    employee = ApplicantFactory()
    page.set_viewport_size({"width": 1280, "height": 900})

    sign_in(page, live_server.url, owner.email)
    page.goto(live_server.url + f"/organizations/{organization.pk}/sponsorships/")
    assert_accessible(page)
    page.get_by_label("Employee's email address").fill(employee.email)
    page.get_by_role("button", name="Send the invitation").click()
    expect(page.locator("table").first).to_contain_text(employee.email)
    page.context.clear_cookies()

    sign_in(page, live_server.url, employee.email)
    page.get_by_role("link", name="See the invitation").last.click()
    expect(page.get_by_label("whether my exam is booked or passed")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("whether my exam is booked or passed").check()
    page.get_by_role("button", name="Accept the sponsorship").click()
    expect(page.get_by_role("heading", name="Your sponsorship")).to_be_visible()
    assert_accessible(page)

    sponsorship = Sponsorship.objects.get(email=employee.email)
    assert sponsorship.status == SponsorshipStatus.ACTIVE
    assert sponsorship.shares_exams is True
    page.context.clear_cookies()

    sign_in(page, live_server.url, owner.email)
    page.goto(live_server.url + f"/organizations/{organization.pk}/sponsorships/")
    expect(page.locator("table").first).to_contain_text(re.compile("Not started"))
    assert_accessible(page)
