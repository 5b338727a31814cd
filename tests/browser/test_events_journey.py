import datetime
import re
import time
from decimal import Decimal

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.utils import timezone
from playwright.sync_api import expect

from certificates.models import PDUClaim
from events.models import Registration, RegistrationStatus
from tests.browser.conftest import assert_accessible
from tests.certificates.factories import CertificateFactory
from tests.conftest import TOTP_SECRET, totp_code
from tests.events.factories import EventFactory
from tests.factories import PASSWORD, ApplicantFactory, ReviewerFactory
from tests.payments.conftest import schedule_data  # noqa: F401 (fixture)
from tests.payments.factories import MembershipPeriodFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("schedule_data")]


def sign_in(page, base, email):
    page.goto(base + "/accounts/login/")
    page.get_by_label("Email*").fill(email)
    page.get_by_label("Password*").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()


def fresh_totp_code() -> str:
    if 30 - time.time() % 30 < 4:
        time.sleep(4.5)
    return totp_code()


@pytest.fixture
def conference(settings, tmp_path):
    settings.PAYMENTS_DEMO_PROVIDER = True
    settings.STRIPE_SECRET_KEY = settings.STRIPE_WEBHOOK_SECRET = ""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    # Day one is under way; registration stays open until the conference ends.
    start = timezone.now() - datetime.timedelta(hours=1)
    event = EventFactory(kind="conference", format="in_person", slug="annual-conference", title="Annual Conference",
                         venue="Hong Kong Convention Centre", time_zone="Asia/Hong_Kong", starts_at=start,
                         ends_at=start + datetime.timedelta(days=2), registration_closes_at=start + datetime.timedelta(days=2),
                         capacity=300, pdu_value=Decimal("12.0"), prices=("150.00", "300.00"))
    event.programme.create(title="Opening keynote", starts_at=start, ends_at=start + datetime.timedelta(hours=1),
                           room="Hall A", track="Plenary")
    return event


def test_member_registers_pays_attends_and_sees_pdus(page, live_server, conference):
    base = live_server.url
    member = MembershipPeriodFactory(user=ApplicantFactory(full_name="Mei Lin", email="mei@example.org")).user
    certificate = CertificateFactory(holder=member, valid_from=timezone.now().date() - datetime.timedelta(days=200))
    reviewer = ReviewerFactory(full_name="Rania Reviewer")
    TOTP.activate(reviewer, TOTP_SECRET)

    page.goto(base + "/events/")
    expect(page.get_by_role("heading", name="Webinars and the conference")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Annual Conference").click()
    expect(page.get_by_text("saving of USD 150.00")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="See the programme by day and room").click()
    expect(page.get_by_text("Opening keynote")).to_be_visible()
    assert_accessible(page)

    sign_in(page, base, member.email)
    page.goto(base + "/events/annual-conference/")
    expect(page.get_by_text("Your price: USD 150.00")).to_be_visible()
    page.get_by_role("link", name="Register").click()
    expect(page.get_by_role("button", name="Confirm my registration")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Confirm my registration").click()
    expect(page.get_by_role("heading", name=re.compile(r"Invoice IPMA-"))).to_be_visible()
    page.get_by_label("Demo payment (no money moves)").check()
    page.get_by_role("button", name="Pay", exact=True).click()
    page.get_by_role("button", name="Simulate a successful payment").click()
    expect(page.get_by_role("heading", name="Payment received")).to_be_visible()
    registration = Registration.objects.get(person=member)
    assert registration.status == RegistrationStatus.CONFIRMED and registration.price == Decimal("150.00")

    staff = page.context.browser.new_context(base_url=base).new_page()
    staff.set_default_timeout(15_000)
    sign_in(staff, base, reviewer.email)
    staff.get_by_label("Code").fill(fresh_totp_code())
    staff.get_by_role("button", name=re.compile("Sign In|Authenticate", re.I)).click()
    staff.goto(base + "/admin/events/registration/")
    staff.locator(f'input[name="_selected_action"][value="{registration.pk}"]').check()
    staff.get_by_role("combobox", name="Action").select_option("mark_attended")
    staff.get_by_role("button", name="Go").click()
    expect(staff.get_by_text("Attendance recorded for 1 registration.")).to_be_visible()

    page.goto(base + f"/certificates/{certificate.number}/")
    expect(page.get_by_text(re.compile(r"12\.0 of \d+ PDUs approved"))).to_be_visible()
    assert PDUClaim.objects.get(holder=member).activity == "Annual Conference"
    page.goto(base + "/events/annual-conference/")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download your certificate of attendance (PDF)").click()
    assert download.value.suggested_filename == "attendance-annual-conference.pdf"
    assert_accessible(page)
