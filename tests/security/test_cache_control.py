import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_signed_in_pages_are_private_and_not_stored(client, applicant):
    client.force_login(applicant)

    response = client.get(reverse("applicants:dashboard"))

    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


def test_a_view_that_chose_private_caching_keeps_it(client, applicant):
    client.force_login(applicant)

    response = client.get(reverse("healthz"))

    assert "no-cache" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_anonymous_public_pages_keep_their_caching(client):
    response = client.get(reverse("home"))

    assert "no-store" not in response.get("Cache-Control", "")
