import datetime
import io

import pytest
from django.apps import apps
from django.db import connection
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.translation import gettext
from pypdf import PdfReader

from ipma_portal.pagination import PAGE_SIZE
from payments.models import InvoiceStatus
from payments.selectors import schedule_date
from payments.services import bank_transfer_confirm, invoice_raise
from tests.factories import ApplicantFactory, QTSPStaffFactory, ReviewerFactory
from tests.payments.factories import MembershipPeriodFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def invoice(raise_invoice):
    return raise_invoice(kind="accreditation", reference="application:1", level_code="PM")


def pdf_text(response) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(b"".join(response.streaming_content))).pages)


@pytest.mark.parametrize("url_name", ["payments:invoice_detail", "payments:invoice_pdf"])
@pytest.mark.parametrize(
    ("viewer", "expected"),
    [("owner", 200), ("other applicant", 404), ("qtsp staff", 404), ("reviewer", 200), ("anonymous", 302)],
)
def test_invoice_and_receipt_visible_to_owner_and_staff_only(client, invoice, reviewer, url_name, viewer, expected):
    users = {
        "owner": invoice.payer, "other applicant": ApplicantFactory(), "qtsp staff": QTSPStaffFactory(),
        "reviewer": reviewer, "anonymous": None,
    }
    if users[viewer] is not None:
        client.force_login(users[viewer])

    response = client.get(reverse(url_name, args=[invoice.number]))

    assert response.status_code == expected
    if expected == 302:
        assert response.url.startswith(reverse("account_login"))


def test_staff_without_the_invoice_permission_cannot_see_invoices(client, invoice):
    client.force_login(ReviewerFactory(role="Applicant", is_staff=True))

    assert client.get(reverse("payments:invoice_pdf", args=[invoice.number])).status_code == 404


def test_reviewer_sees_the_invoice_but_cannot_pay_it(client, invoice, reviewer, settings):
    settings.PAYMENTS_DEMO_PROVIDER = True
    client.force_login(reviewer)

    page = client.get(reverse("payments:invoice_detail", args=[invoice.number]))
    pay = client.post(reverse("payments:invoice_pay", args=[invoice.number]), {"provider": "demo"})

    assert page.context["can_pay"] is False
    assert pay.status_code == 404


def test_receipt_pdf_is_private_and_states_the_payment(client, invoice, reviewer):
    bank_transfer_confirm(invoice=invoice, actor=reviewer, bank_reference="TRX-881")
    client.force_login(invoice.payer)

    response = client.get(reverse("payments:invoice_pdf", args=[invoice.number]))

    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert f'filename="receipt-{invoice.number}.pdf"' in response["Content-Disposition"]
    text = pdf_text(response)
    assert "Receipt" in text and "PAID" in text
    assert invoice.number in text and "USD 399.00" in text
    assert "TRX-881" in text and invoice.payer.email in text


def test_open_invoice_pdf_is_an_invoice_with_how_to_pay(client, invoice, settings):
    settings.PAYMENTS_BANK_TRANSFER_DETAILS = "IBAN XX00 TEST"
    client.force_login(invoice.payer)

    response = client.get(reverse("payments:invoice_pdf", args=[invoice.number]))

    text = pdf_text(response)
    assert f'filename="invoice-{invoice.number}.pdf"' in response["Content-Disposition"]
    assert "OPEN" in text and "IBAN XX00 TEST" in text and f"/invoices/{invoice.number}/" in text


def test_receipt_renders_a_chinese_name(client, raise_invoice):
    payer = ApplicantFactory(full_name="王小明")
    invoice = raise_invoice(payer=payer)
    client.force_login(payer)

    text = pdf_text(client.get(reverse("payments:invoice_pdf", args=[invoice.number])))

    assert "王小明" in text


def test_my_invoices_lists_only_mine(client, invoice):
    other = invoice_raise(payer=ApplicantFactory(), kind="exam", reference="booking:1", level_code="AM")
    client.force_login(invoice.payer)

    response = client.get(reverse("payments:invoice_list"))

    content = response.content.decode()
    assert invoice.number in content and other.number not in content


def my_invoices(client, rows):
    payer = ApplicantFactory()
    client.force_login(payer)
    for i in range(rows):
        invoice_raise(payer=payer, kind="exam", reference=f"booking:{rows}-{i}", level_code="SM")
    client.get(reverse("payments:invoice_list"))  # the header's menus are then kept in memory
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("payments:invoice_list"))
    assert response.status_code == 200
    return len(queries), response


def test_my_invoices_queries_do_not_grow_with_rows(client):
    few, few_response = my_invoices(client, 5)
    many, many_response = my_invoices(client, 200)

    # user, roles and privileges (the session from its Redis copy); the count; one page of invoices with their levels
    assert few == many == 4
    assert len(few_response.context["invoices"]) == 5 and len(many_response.context["invoices"]) == PAGE_SIZE


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_my_invoices_rows_show_link_kind_day_and_status_in_the_viewers_language(client, language):
    count, response = my_invoices(client, 2)
    paid, open_ = response.context["invoices"]
    bank_transfer_confirm(invoice=paid, actor=ReviewerFactory())
    paid.refresh_from_db()

    page = client.get(reverse("payments:invoice_list"), HTTP_ACCEPT_LANGUAGE=language).content.decode()

    with translation.override(language):
        for invoice in (paid, open_):
            assert f'href="{reverse("payments:invoice_detail", args=[invoice.number])}"' in page
            assert f"{escape(invoice.get_kind_display())} — SM" in page
            assert date_format(timezone.localtime(invoice.created_at), "DATE_FORMAT") in page
        assert escape(paid.get_status_display()) in page and escape(gettext("Open: to pay")) in page


def test_my_invoices_page_newest_first_with_accessible_page_links(client):
    count, first = my_invoices(client, PAGE_SIZE + 2)

    second = client.get(reverse("payments:invoice_list"), {"page": 2})
    beyond = client.get(reverse("payments:invoice_list"), {"page": 3})

    newest_first = list(first.context["invoices"]) + list(second.context["invoices"])
    assert [invoice.created_at for invoice in newest_first] == sorted(
        (invoice.created_at for invoice in newest_first), reverse=True)
    assert len(newest_first) == PAGE_SIZE + 2 and len({invoice.pk for invoice in newest_first}) == PAGE_SIZE + 2
    page = first.content.decode()
    assert 'aria-label="Pages of your invoices"' in page and 'aria-current="page"' in page and 'href="?page=2"' in page
    assert beyond.status_code == 404


def _panel(user):
    request = RequestFactory().get("/dashboard/")
    request.user = user
    (panel,) = apps.get_app_config("payments").dashboard_panels(request)
    return panel


def test_dashboard_panel_shows_open_invoices_and_membership(invoice):
    MembershipPeriodFactory(user=invoice.payer)
    paid = invoice_raise(payer=invoice.payer, kind="exam", reference="booking:1", level_code="AM")
    bank_transfer_confirm(invoice=paid, actor=ReviewerFactory())

    panel = _panel(invoice.payer)
    html = render_to_string(panel.template, {"panel": panel.context})

    assert invoice.number in html and paid.number not in html
    assert "Member until" in html and reverse("payments:invoice_list") in html


@pytest.mark.parametrize("open_invoices", [1, 12])
def test_dashboard_panel_takes_two_queries(open_invoices, django_assert_num_queries):
    payer = ApplicantFactory()
    for i in range(open_invoices):
        invoice_raise(payer=payer, kind="exam", reference=f"booking:{i}", level_code="AM")

    with django_assert_num_queries(2):
        panel = _panel(payer)

    assert len(panel.context["open_invoices"]) == min(open_invoices, 5)


def test_membership_page_buys_a_plan(client, applicant):
    client.force_login(applicant)

    response = client.post(reverse("payments:membership"), {"plan": "annual", "group": "education_faculty"})

    invoice = applicant.invoices.get()
    assert response.url == reverse("payments:invoice_detail", args=[invoice.number])
    assert (invoice.kind, invoice.status, invoice.membership_group) == (
        "membership", InvoiceStatus.OPEN, "education_faculty"
    )


def test_membership_page_offers_the_upgrade_only_when_allowed(client, applicant):
    client.force_login(applicant)
    assert "Upgrade to permanent membership" not in client.get(reverse("payments:membership")).content.decode()

    refused = client.post(reverse("payments:membership_upgrade"), follow=True)
    assert "after 5 years" in refused.content.decode()

    today = schedule_date()
    MembershipPeriodFactory(user=applicant, starts_on=today - datetime.timedelta(days=2000), ends_on=today)
    page = client.get(reverse("payments:membership"))
    assert "Upgrade to permanent membership" in page.content.decode() and "USD 100" in page.content.decode()
    upgrade = client.post(reverse("payments:membership_upgrade"))
    invoice = applicant.invoices.get(kind="membership_upgrade")
    assert upgrade.url == reverse("payments:invoice_detail", args=[invoice.number])


def test_paid_return_page_after_payment(client, invoice, reviewer):
    bank_transfer_confirm(invoice=invoice, actor=reviewer)
    client.force_login(invoice.payer)

    response = client.get(reverse("payments:invoice_paid", args=[invoice.number]))

    assert "Payment received" in response.content.decode()


def test_return_pages_only_for_the_payer(client, invoice, reviewer):
    client.force_login(reviewer)

    assert client.get(reverse("payments:invoice_paid", args=[invoice.number])).status_code == 404
