import re

import pytest
from playwright.sync_api import expect

from certificates.models import PDUClaim
from certificates.services import certificate_render
from tests.certificates.factories import CertificateFactory
from tests.documents.samples import pdf_bytes
from tests.factories import PASSWORD, ApplicantFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private_media"


def test_visitor_verifies_a_certificate_from_the_navigation(page, live_server):
    certificate = CertificateFactory(level_code="SM", legal_name="李娜 (Li Na)")

    page.goto(live_server.url + "/")
    page.get_by_role("navigation").get_by_role("button", name="Directory").click()
    page.get_by_role("navigation").get_by_role("link", name="Verify a certificate").click()
    page.get_by_label("Certificate number").fill(certificate.number.lower())
    page.get_by_role("button", name="Verify").click()

    expect(page).to_have_url(re.compile(rf"/verify/{certificate.number}/$"))
    expect(page.locator("#verify-status")).to_have_text("Active")
    expect(page.locator("#verify-facts")).to_contain_text("李娜 (Li Na)")
    expect(page.locator("#verify-facts")).to_contain_text("Senior Mentor")

    page.get_by_role("link", name="Verify another certificate").click()
    page.get_by_label("Certificate number").fill("IPMA-SM-2026-999999")
    page.get_by_role("button", name="Verify").click()
    expect(page.get_by_role("heading", name="Certificate not found")).to_be_visible()


def test_holder_downloads_the_certificate_and_claims_pdus(page, live_server):
    holder = ApplicantFactory(email="holder@example.org")
    certificate = CertificateFactory(holder=holder, level_code="AM", legal_name="Ada Lovelace")
    certificate_render(certificate_id=certificate.pk)

    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Email*").fill("holder@example.org")
    page.get_by_label("Password*").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    panel = page.locator("section", has=page.get_by_role("heading", name="Your certificates"))
    expect(panel).to_contain_text(certificate.number)
    expect(panel).to_contain_text("0 of 30")

    with page.expect_download() as download:
        panel.get_by_role("link", name="Download PDF").click()
    assert download.value.suggested_filename == f"certificate-{certificate.number}.pdf"

    panel.get_by_role("link", name="Claim PDUs").click()
    page.get_by_label("Activity*").fill("Mentoring supervision course")
    page.get_by_label("Provider*").fill("IPMA Academy")
    page.get_by_label("Date*").fill(certificate.valid_from.isoformat())
    page.get_by_label("Hours (PDUs)*").fill("12")
    page.get_by_label("Category*").select_option("education")
    page.get_by_label("Evidence*").set_input_files(
        files=[{"name": "attendance.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()}]
    )
    page.get_by_role("button", name="Submit the claim").click()

    expect(page.get_by_text("Your claim of 12.0 PDUs counts toward your renewal.")).to_be_visible()
    expect(page.get_by_role("cell", name=re.compile("Mentoring supervision course"))).to_be_visible()
    assert PDUClaim.objects.get().evidence_name == "attendance.pdf"
