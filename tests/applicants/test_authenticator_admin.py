"""Staff see in the admin that a person has a second factor, never its sealed secret, and cannot plant one in it."""

import json

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.urls import reverse

from tests.conftest import TOTP_SECRET
from tests.factories import ApplicantFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client(client):
    admin_user = UserFactory(is_staff=True, is_superuser=True)
    TOTP.activate(admin_user, TOTP_SECRET)
    client.force_login(admin_user)
    return client


@pytest.fixture
def authenticator():
    return TOTP.activate(ApplicantFactory(), "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXQ").instance


def test_the_change_page_of_an_authenticator_does_not_show_its_sealed_secret(superuser_client, authenticator):
    response = superuser_client.get(reverse("admin:mfa_authenticator_change", args=[authenticator.pk]))

    assert response.status_code == 200
    assert authenticator.data["secret"] not in response.content.decode()


def test_staff_cannot_replace_the_secret_of_someones_authenticator(superuser_client, authenticator):
    own = Authenticator.objects.exclude(pk=authenticator.pk).get()
    before = authenticator.data

    superuser_client.post(reverse("admin:mfa_authenticator_change", args=[authenticator.pk]), {
        "user": authenticator.user_id, "type": "totp", "data": json.dumps({"secret": own.data["secret"]})})

    authenticator.refresh_from_db()
    assert authenticator.data == before



def test_a_committee_reviewer_does_not_see_anyones_authenticators(client, reviewer, authenticator):
    client.force_login(reviewer)

    listed = client.get(reverse("admin:mfa_authenticator_changelist"))
    record = client.get(reverse("admin:mfa_authenticator_change", args=[authenticator.pk]))

    assert (listed.status_code, record.status_code) == (403, 403)
