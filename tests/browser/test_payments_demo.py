import re

import pytest
from playwright.sync_api import expect

from payments.models import InvoiceStatus
from tests.factories import PASSWORD, ApplicantFactory
from tests.payments.conftest import schedule_data  # noqa: F401 (fixture)
from tests.payments.factories import MembershipPeriodFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("schedule_data")]


def assert_main_accessible(page) -> None:
    """0 WCAG 2.2 AA violations inside <main>. Scoped because the shared header's navigation fails
    colour contrast until the header fix lands; then use tests/browser/conftest.py assert_accessible."""
    from axe_playwright_python.sync_playwright import Axe

    rules = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
    violations = Axe().run(page, context="main", options={"runOnly": {"type": "tag", "values": rules}}).response[
        "violations"
    ]
    assert not violations, [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:5]) for v in violations]


def test_applicant_buys_membership_and_pays_offline_with_the_demo_provider(page, live_server, settings):
    settings.PAYMENTS_DEMO_PROVIDER = True
    settings.STRIPE_SECRET_KEY = settings.STRIPE_WEBHOOK_SECRET = ""
    applicant = ApplicantFactory(email="payer@example.org")

    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Email*").fill(applicant.email)
    page.get_by_label("Password*").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page).to_have_url(re.compile(r"/dashboard/$"))

    page.get_by_role("link", name="Membership").click()
    page.get_by_label(re.compile("Annual membership")).check()
    page.get_by_label("Mentor, coach, mentee or protégé").check()
    page.get_by_role("button", name="Continue to payment").click()
    expect(page.get_by_role("heading", name=re.compile(r"Invoice IPMA-"))).to_be_visible()
    expect(page.get_by_label("Card (Stripe Checkout)")).to_have_count(0)

    page.get_by_label("Demo payment (no money moves)").check()
    page.get_by_role("button", name="Pay", exact=True).click()
    expect(page.get_by_text("Demo payment provider.")).to_be_visible()
    page.get_by_role("button", name="Simulate a successful payment").click()

    expect(page.get_by_role("heading", name="Payment received")).to_be_visible()
    invoice = applicant.invoices.get()
    assert invoice.status == InvoiceStatus.PAID
    assert applicant.membership_periods.get().group == "mentor_coach_mentee"
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the receipt (PDF)").click()
    assert download.value.suggested_filename == f"receipt-{invoice.number}.pdf"

    page.goto(live_server.url + "/dashboard/")
    expect(page.get_by_text(re.compile("Member until"))).to_be_visible()
    expect(page.get_by_text("No open invoices.")).to_be_visible()


def test_membership_page_is_public_and_accessible(page, live_server):
    page.goto(live_server.url + "/membership/")

    expect(page.get_by_role("heading", name="What members receive")).to_be_visible()
    expect(page.get_by_role("rowheader", name="Annual membership")).to_be_visible()
    expect(page.get_by_role("link", name="Sign in to become a member")).to_be_visible()
    assert_main_accessible(page)


def test_membership_page_of_a_member_is_accessible(page, live_server):
    period = MembershipPeriodFactory(group="")
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Email*").fill(period.user.email)
    page.get_by_label("Password*").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page).to_have_url(re.compile(r"/dashboard/$"))

    page.goto(live_server.url + "/membership/")

    expect(page.get_by_text("Member group: not stated.")).to_be_visible()
    expect(page.get_by_role("heading", name="Extend your membership")).to_be_visible()
    assert_main_accessible(page)
