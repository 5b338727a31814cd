"""Input no view can use gets the portal's 400 page (or a 404), never a 500."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse, QueryDict
from django.test import RequestFactory
from django.urls import reverse

from ipma_portal.bad_input import BadInputMiddleware
from tests.factories import ApplicantFactory

pytestmark = pytest.mark.django_db


def test_nul_byte_in_the_path_is_refused_with_400(client):
    response = client.get("/verify/IPMA%00X/")

    assert response.status_code == 400
    assert "cannot read" in response.content.decode()


def test_nul_byte_in_a_signed_in_lookup_is_refused_with_400(client, applicant):
    client.force_login(applicant)

    response = client.get("/invoices/%00/")

    assert response.status_code == 400


def test_nul_byte_in_the_query_string_is_refused_with_400(client):
    response = client.get("/verify/", {"number": "IPMA\x00"})

    assert response.status_code == 400


def test_surrogate_in_a_form_value_is_refused_with_400():
    # Django's own parsing replaces broken UTF-8; a surrogate can still come from a decoded body.
    request = RequestFactory().post("/accounts/login/", {"login": "a@example.org"})
    request.POST = QueryDict(mutable=True)
    request.POST["login"] = "a\ud800@example.org"

    response = BadInputMiddleware(lambda request: HttpResponse())(request)

    assert response.status_code == 400


def test_number_beyond_the_database_range_in_the_url_is_404(client, applicant):
    client.force_login(applicant)

    response = client.get("/hours/" + "9" * 30 + "/edit/")

    assert response.status_code == 404


def test_too_many_files_in_one_request_get_a_clear_message(client, applicant, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FILES = 2
    client.force_login(applicant)
    files = [SimpleUploadedFile(f"f{i}.pdf", b"%PDF-1.4") for i in range(3)]

    response = client.post("/profile/", {"education_proof": files})

    assert response.status_code == 400
    assert "at most 2 can be sent at once" in response.content.decode()


def test_unknown_admin_filter_is_400_not_500(client, reviewer):
    client.force_login(reviewer)

    response = client.get("/admin/applicants/user/?nonsense__lookup=1")

    assert response.status_code < 500


@pytest.mark.parametrize("query", ["created_at__year=99999", "created_at__year=0", "submitted_at__year=10000",
                                   "created_at__year=abc", "created_at__year__gte=99999&status__exact=draft"])
def test_an_admin_list_filtered_by_an_impossible_year_is_400_not_500(client, reviewer, query):
    client.force_login(reviewer)

    response = client.get(f"/admin/accreditation/levelapplication/?{query}")

    assert response.status_code == 400
    assert "The address asks for a filter this list does not have." in response.content.decode()


def test_an_admin_list_filtered_by_a_real_year_answers(client, reviewer):
    client.force_login(reviewer)

    assert client.get("/admin/accreditation/levelapplication/?submitted_at__year=2026").status_code == 200
    assert client.get("/admin/payments/fee/?effective_from__year=2024").status_code == 200


@pytest.mark.parametrize("path", ["/admin/payments/fee/x%E2%98%83/history/", "/admin/payments/fee/1/history/../",
                                  "/admin/payments/fee/1/history/abc/"])
def test_admin_object_url_with_a_non_numeric_id_is_404(client, reviewer, path):
    client.force_login(reviewer)

    response = client.get(path)

    assert response.status_code == 404


def test_opening_a_form_only_address_in_the_browser_gets_a_page_that_says_so(client):
    client.force_login(ApplicantFactory())

    response = client.get(reverse("payments:membership_upgrade"))

    assert response.status_code == 405 and "POST" in response["Allow"]
    assert "This address takes a form sent from its page" in response.content.decode()
    assert "Content-Security-Policy" in response and response["Cache-Control"] == "private, no-store"


def test_another_method_than_the_page_takes_is_refused_with_a_page(client):
    client.force_login(ApplicantFactory())

    response = client.generic("PUT", reverse("payments:membership_upgrade"))

    assert response.status_code == 405 and "does not take this kind of request" in response.content.decode()
