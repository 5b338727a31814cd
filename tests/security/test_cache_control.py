import pytest
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from django.urls import reverse

from organizations.staff import CONTACT, organization_staff
from tests.factories import UserFactory
from tests.organizations import factories as organization_factories

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


def test_a_staff_invitation_link_opened_signed_out_is_not_stored(client):
    organization = organization_factories.OrganizationFactory()
    invitation = organization.staff_invitations.create(email="helper@example.org", role=CONTACT)

    response = client.get(organization_staff.accept_url(invitation))

    assert "helper@example.org" in response.content.decode()
    assert response["Cache-Control"] == "private, no-store"


def test_an_email_confirmation_link_opened_signed_out_is_not_stored(client):
    address = EmailAddress.objects.create(user=UserFactory(), email="new@example.org", verified=False, primary=False)

    response = client.get(reverse("account_confirm_email", args=[EmailConfirmationHMAC(address).key]))

    assert "new@example.org" in response.content.decode()
    assert response["Cache-Control"] == "private, no-store"
