"""The committee lists' search (workflows.search): word starts in people's names and emails and in the rows'
own names, reference numbers exactly or by their start, nothing a person types ever an error, and the
searched list served by the indexes."""

import io

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from accreditation.models import LevelApplication
from bench.scale import seed_scale
from certificates.models import Certificate
from exams.models import Booking
from payments.models import Invoice
from tests.conftest import rolled_back_after_the_module

pytestmark = pytest.mark.django_db

APPLICATIONS = "/admin/accreditation/levelapplication/"
BOOKINGS = "/admin/exams/booking/"
INVOICES = "/admin/payments/invoice/"
CERTIFICATES = "/admin/certificates/certificate/"


@pytest.fixture(scope="module")
def search_data(django_db_setup, django_db_blocker):
    """The demo data and the scale data of 200 applications, built once for the module (each test runs in a
    savepoint within and is rolled back; the data is rolled back after the last)."""
    def build():
        call_command("seed_demo", stdout=io.StringIO())
        seed_scale(scale=0.01, stdout=io.StringIO())

    with rolled_back_after_the_module(django_db_blocker, build):
        yield


@pytest.fixture
def staff_client(client, reviewer, search_data):
    client.force_login(reviewer)
    return client


def _found(client, path: str, term: str) -> set[int]:
    response = client.get(path, {"q": term})
    assert response.status_code == 200, term
    return set(response.context["cl"].queryset.values_list("pk", flat=True))


def _application(client) -> LevelApplication:
    # One the reviewer may see (the list hides applications the reviewer is conflicted about).
    listed = client.get(APPLICATIONS).context["cl"].queryset
    return listed.select_related("applicant__profile").exclude(applicant__full_name="").order_by("pk").first()


def test_applications_found_by_surname_first_name_start_email_and_legal_name(staff_client):
    application = _application(staff_client)
    first, *_, surname = application.applicant.full_name.split()

    by_surname = _found(staff_client, APPLICATIONS, surname)
    by_start = _found(staff_client, APPLICATIONS, first[:3].lower())
    by_both = _found(staff_client, APPLICATIONS, f"{first[:2]} {surname.upper()}")
    by_email = _found(staff_client, APPLICATIONS, application.applicant.email)

    assert application.pk in by_surname and application.pk in by_start and application.pk in by_both
    assert by_both <= by_surname and by_both <= by_start
    assert by_email >= {application.pk}
    assert all(LevelApplication.objects.get(pk=pk).applicant_id == application.applicant_id for pk in by_email)


def test_applications_found_by_a_word_of_the_legal_name_alone(staff_client):
    application = _application(staff_client)
    application.applicant.profile.legal_name = "Zanele Mbekwa-Dlamini"
    application.applicant.profile.save(update_fields=["legal_name"])

    assert _found(staff_client, APPLICATIONS, "mbekwa") == {application.pk}
    assert _found(staff_client, APPLICATIONS, "Dlamini zan") == {application.pk}


def test_a_changed_name_is_found_at_once_and_the_old_one_no_longer(staff_client):
    application = _application(staff_client)
    applicant = application.applicant
    applicant.full_name = "Quillon Vasterby"
    applicant.save(update_fields=["full_name"])

    assert _found(staff_client, APPLICATIONS, "vasterby") == {application.pk}
    applicant.full_name = "Quillon Ostrander"
    applicant.save(update_fields=["full_name"])
    assert _found(staff_client, APPLICATIONS, "vasterby") == set()


def test_applications_found_by_exact_and_partial_number(staff_client):
    application = _application(staff_client)
    number = application.number  # "A2026-000042"

    assert _found(staff_client, APPLICATIONS, number) == {application.pk}
    assert _found(staff_client, APPLICATIONS, number.lower()) == {application.pk}
    partial = _found(staff_client, APPLICATIONS, number[:-2])
    assert application.pk in partial
    assert all(LevelApplication.objects.get(pk=pk).number.startswith(number[:-2]) for pk in partial)


def test_bookings_found_by_candidate_and_by_id(staff_client):
    booking = Booking.objects.select_related("candidate").exclude(candidate__full_name="").order_by("pk").first()
    surname = booking.candidate.full_name.split()[-1]

    assert booking.pk in _found(staff_client, BOOKINGS, surname)
    assert booking.pk in _found(staff_client, BOOKINGS, booking.candidate.email.split("@")[0])
    assert _found(staff_client, BOOKINGS, str(booking.pk)) == {booking.pk}


def test_invoices_found_by_number_start_exact_number_and_payer(staff_client):
    invoice = Invoice.objects.select_related("payer").filter(status="paid").order_by("pk").first()
    paid = set(Invoice.objects.filter(status="paid").values_list("pk", flat=True))

    response = staff_client.get(INVOICES, {"status__exact": "paid", "q": "IPMA"})
    assert set(response.context["cl"].queryset.values_list("pk", flat=True)) == paid  # every number starts so
    assert response.context["cl"].result_count == len(paid)
    assert _found(staff_client, INVOICES, invoice.number) == {invoice.pk}
    assert invoice.pk in _found(staff_client, INVOICES, invoice.number[:9])
    assert invoice.pk in _found(staff_client, INVOICES, invoice.payer.email)
    Invoice.objects.filter(pk=invoice.pk).update(payment_reference="pi_3QxTestRef42")
    assert _found(staff_client, INVOICES, "pi_3QxTestRef42") == {invoice.pk}
    assert _found(staff_client, INVOICES, "pi_3QxTest") == {invoice.pk}


def test_certificates_found_by_the_name_on_them_the_holders_email_and_the_number(staff_client):
    certificate = Certificate.objects.select_related("holder").filter(holder__isnull=False).order_by("pk").first()
    surname = certificate.legal_name.split()[-1]

    assert certificate.pk in _found(staff_client, CERTIFICATES, surname)
    assert certificate.pk in _found(staff_client, CERTIFICATES, certificate.holder.email)
    assert _found(staff_client, CERTIFICATES, certificate.number) == {certificate.pk}
    by_start = _found(staff_client, CERTIFICATES, certificate.number[:7])  # "IPMA-AM"
    assert certificate.pk in by_start
    assert all(Certificate.objects.get(pk=pk).number.startswith(certificate.number[:7]) for pk in by_start)


NONSENSE = ["'", "&", ":*", "!", "(", ")", "|", "<->", "'a':* & !b", "\\", "%", "_", "-", "@", "zzqqxv",
            "a" * 5000, "ann " * 50, "o'" * 300]


def test_nonsense_or_special_characters_give_an_empty_list_never_an_error(client, reviewer):
    call_command("seed_demo", stdout=io.StringIO())
    client.force_login(reviewer)

    for path in (APPLICATIONS, BOOKINGS, INVOICES, CERTIFICATES):
        for term in NONSENSE:
            response = client.get(path, {"q": term})
            assert response.status_code == 200, (path, term)
            assert response.context["cl"].result_count == 0, (path, term)
        for term in ("Okafor & (", "IPMA-'; DROP", "a:* | b"):  # stray syntax around words: searched, no error
            assert client.get(path, {"q": term}).status_code == 200, (path, term)


def test_search_says_what_it_searches(staff_client):
    response = staff_client.get(APPLICATIONS)

    assert "Words from the person&#x27;s name or email (word starts), or a reference number" in response.content.decode()


def test_searched_lists_are_served_by_the_search_indexes(staff_client):
    plans, number = {}, Certificate.objects.order_by("pk").first().number[:-2]  # "IPMA-AM-2023-0060"
    for path, term in [(APPLICATIONS, "okafor"), (CERTIFICATES, "okafor"), (INVOICES, "IPMA-2026-00001"),
                       (CERTIFICATES, number), (APPLICATIONS, "A2026-00001")]:
        queryset = staff_client.get(path, {"q": term}).context["cl"].queryset
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            plans[path, term] = queryset.explain()

    assert "applicants_user_search_idx" in plans[APPLICATIONS, "okafor"]
    assert "applicants_profile_search_idx" in plans[APPLICATIONS, "okafor"]
    assert "certs_search_idx" in plans[CERTIFICATES, "okafor"]
    assert "payments_invoice_number_like" in plans[INVOICES, "IPMA-2026-00001"]
    assert "certs_number_prefix_idx" in plans[CERTIFICATES, number]
    assert "accreditation_app_number_like" in plans[APPLICATIONS, "A2026-00001"]
