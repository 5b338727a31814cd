"""Staff are protected everywhere: two-factor in every privileged session on any URL, enrolment of a
new authenticator only after a mailed code, an idle timeout, a new session key when privileges change,
and TOTP secrets encrypted at rest."""

import datetime
import re

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth.models import Group, Permission
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django.http import HttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from applicants.adapters import SEALED_PREFIX, mfa_unseal
from applicants.context_processors import roles
from applicants.middleware import StaffSessionMiddleware
from applicants.roles import (
    COMMITTEE_REVIEWER,
    PERMISSION_NAMES,
    QTSP_STAFF,
    user_access,
    user_is_privileged,
    user_privileges,
)
from applicants.services import profile_update
from notifications.models import OutboxMessage
from notifications.services import outbox_message_bodies
from tests.conftest import TOTP_SECRET, force_login_without_two_factor, totp_code
from tests.documents.samples import upload
from tests.factories import ApplicantFactory, ReviewerFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private_media"


def _with_education_proof(user):
    profile_update(user=user, time_zone="UTC", legal_name=user.full_name, country="FR", city="Lyon",
                   languages=["en"], highest_education="master", background="Teacher",
                   mentoring_since=datetime.date(2015, 1, 1), education_proof=upload("pdf", "diploma.pdf"))
    return user


# -- who is privileged ----------------------------------------------------------------------------

def test_staff_group_member_and_permission_holder_are_privileged():
    holder = UserFactory()
    holder.user_permissions.add(Permission.objects.get(codename="view_outboxmessage"))

    assert user_is_privileged(ReviewerFactory(is_staff=False))  # the committee group holds permissions
    assert user_is_privileged(holder)
    assert user_is_privileged(UserFactory(is_superuser=True))


def test_applicant_is_not_privileged():
    assert not user_is_privileged(ApplicantFactory())


def test_roles_and_privileges_are_read_in_one_query(django_assert_num_queries):
    reviewer = ReviewerFactory(is_staff=False)
    PERMISSION_NAMES.get()  # the permissions' names, kept per process

    with django_assert_num_queries(1):
        roles, privileged, digest = user_access(reviewer)

    assert roles == {COMMITTEE_REVIEWER} and privileged and digest == user_privileges(reviewer)[1]
    assert user_access(ApplicantFactory())[:2] == ({"Applicant"}, False)


def test_the_user_carries_the_permissions_django_would_read(django_assert_num_queries):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.backends import ModelBackend

    reviewer = ReviewerFactory(is_staff=False)
    reviewer.user_permissions.add(Permission.objects.get(codename="view_outboxmessage"))
    user_access(reviewer)

    with django_assert_num_queries(0):
        assert reviewer.has_perm("exams.view_booking") and not reviewer.has_perm("exams.delete_booking")
    assert reviewer.get_all_permissions() == ModelBackend().get_all_permissions(get_user_model().objects.get(pk=reviewer.pk))


def test_privileges_digest_changes_when_a_group_gains_a_permission():
    reviewer = ReviewerFactory(is_staff=False)
    before = user_privileges(reviewer)[1]

    group = Group.objects.get(name=COMMITTEE_REVIEWER)
    group.permissions.add(Permission.objects.exclude(group=group).first())

    assert user_privileges(reviewer)[1] != before


def test_navigation_takes_the_roles_read_by_the_middleware_for_the_same_user_on_a_get_and_a_post(
        rf, applicant, django_assert_num_queries):
    seen = []
    middleware = StaffSessionMiddleware(lambda request: seen.append(request) or HttpResponse())
    for method in ("get", "post"):
        request = getattr(rf, method)("/")
        request.user, request.session = applicant, SessionStore()
        middleware(request)

    for request in seen:
        assert request.user_roles[:2] == (applicant.pk, {"Applicant"})
        with django_assert_num_queries(0):
            assert roles(request)["is_applicant"] is True
    get = seen[0]
    get.user_roles = (applicant.pk + 1, {COMMITTEE_REVIEWER}, get.user_roles[2])  # someone else's: read again
    assert roles(get)["is_reviewer"] is False and roles(get)["is_applicant"] is True


def test_navigation_of_a_post_that_adds_the_user_to_a_group_shows_the_new_role(rf, applicant):
    def accept_staff_invitation(request):  # what staff.schemes does when an invitation is accepted
        request.user.groups.add(Group.objects.get_or_create(name=QTSP_STAFF)[0])
        return HttpResponse(str(roles(request)["is_qtsp_staff"]))

    request = rf.post("/")
    request.user, request.session = applicant, SessionStore()
    response = StaffSessionMiddleware(accept_staff_invitation)(request)

    assert response.content == b"True"


def test_navigation_reads_the_roles_again_after_a_group_is_saved_during_the_request(rf, applicant):
    def save_group(request):
        Group.objects.get(name="Applicant").save()  # a rename, say: any saved group counts
        with CaptureQueriesContext(connection) as queries:
            roles(request)
        return HttpResponse(str(len(queries)))

    request = rf.get("/")
    request.user, request.session = applicant, SessionStore()

    assert StaffSessionMiddleware(save_group)(request).content == b"1"


# -- two-factor on every URL ----------------------------------------------------------------------

def test_privileged_session_without_two_factor_is_sent_to_enter_a_code_on_a_portal_page(client, reviewer):
    force_login_without_two_factor(client, reviewer)

    response = client.get(reverse("applicants:dashboard"))

    assert response.status_code == 302
    assert response.url == f"{reverse('mfa_reauthenticate')}?next=%2Fdashboard%2F"


def test_privileged_session_without_two_factor_gets_no_private_file(client, reviewer):
    _with_education_proof(reviewer)
    force_login_without_two_factor(client, reviewer)

    response = client.get(reverse("applicants:profile_education_proof"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("mfa_reauthenticate"))
    assert not hasattr(response, "streaming_content")


def test_permission_holder_without_is_staff_is_held_too(client):
    holder = UserFactory()
    holder.groups.add(Group.objects.get(name=COMMITTEE_REVIEWER))
    force_login_without_two_factor(client, holder)

    response = client.get(reverse("applicants:hours_list"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("mfa_activate_totp"))


def test_privileged_session_passes_after_entering_a_code(client, reviewer):
    force_login_without_two_factor(client, reviewer)

    response = client.post(f"{reverse('mfa_reauthenticate')}?next=/dashboard/", {"code": totp_code()})

    assert response.status_code == 302 and response.url == "/dashboard/"
    assert client.get(reverse("applicants:dashboard")).status_code == 200


def test_applicant_browses_without_two_factor(client, applicant):
    force_login_without_two_factor(client, applicant)

    assert client.get(reverse("applicants:dashboard")).status_code == 200


def test_sign_out_stays_open_to_a_privileged_session_without_two_factor(client, reviewer):
    force_login_without_two_factor(client, reviewer)

    client.post(reverse("account_logout"))

    assert "_auth_user_id" not in client.session


# -- enrolling an authenticator ---------------------------------------------------------------------

def test_password_alone_does_not_open_totp_enrolment(client):
    staff = ReviewerFactory()
    force_login_without_two_factor(client, staff)

    response = client.get(reverse("mfa_activate_totp"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_request_reauthentication_code"))
    assert client.get(reverse("account_reauthenticate")).status_code in (302, 403, 404)


@pytest.mark.django_db(transaction=True)  # allauth announces a new authenticator once it is committed
def test_totp_enrolment_after_a_mailed_code_completes_two_factor(client):
    staff = ReviewerFactory(email="new.staff@example.org")
    force_login_without_two_factor(client, staff)

    client.post(reverse("account_request_reauthentication_code"), {"recipient": staff.email})
    mailed = OutboxMessage.objects.get(to=[staff.email], key__startswith="account:login_code")
    assert mailed.sensitive
    code = re.search(r"browser window\.\s+(\S+)\s", outbox_message_bodies(mailed)[0]).group(1)
    client.post(reverse("account_confirm_reauthentication_code"), {"code": code})
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    secret = page.context["form"].secret
    client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})

    authenticator = Authenticator.objects.get(user=staff, type=Authenticator.Type.TOTP)
    assert authenticator.data["secret"].startswith(SEALED_PREFIX)
    assert client.get(reverse("applicants:dashboard")).status_code == 200


# -- idle timeout and key rotation ----------------------------------------------------------------------

def test_staff_session_ends_after_the_idle_time(client, reviewer, settings):
    settings.STAFF_SESSION_IDLE_MINUTES = 30
    with time_machine.travel(datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC), tick=False) as clock:
        client.force_login(reviewer)
        assert client.get(reverse("applicants:dashboard")).status_code == 200
        clock.shift(datetime.timedelta(minutes=29))
        assert client.get(reverse("applicants:dashboard")).status_code == 200
        clock.shift(datetime.timedelta(minutes=31))

        response = client.get(reverse("applicants:dashboard"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    assert "_auth_user_id" not in client.session


def test_applicant_session_has_no_idle_timeout(client, applicant):
    with time_machine.travel(datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC), tick=False) as clock:
        client.force_login(applicant)
        clock.shift(datetime.timedelta(hours=5))

        assert client.get(reverse("applicants:dashboard")).status_code == 200


def test_session_key_rotates_when_privileges_change(client, applicant):
    client.force_login(applicant)
    client.get(reverse("applicants:dashboard"))
    before = client.session.session_key

    applicant.groups.add(Group.objects.get(name=COMMITTEE_REVIEWER))
    response = client.get(reverse("applicants:dashboard"))

    assert client.session.session_key != before
    assert response.status_code == 302  # and the now privileged session must pass two-factor
    assert response.url.startswith(reverse("mfa_activate_totp"))


def test_session_key_stays_while_privileges_stay(client, applicant):
    client.force_login(applicant)
    client.get(reverse("applicants:dashboard"))
    before = client.session.session_key

    client.get(reverse("applicants:dashboard"))

    assert client.session.session_key == before


# -- TOTP secrets at rest ----------------------------------------------------------------------------

def test_totp_secret_is_stored_encrypted_and_still_verifies(reviewer):
    authenticator = Authenticator.objects.get(user=reviewer, type=Authenticator.Type.TOTP)

    assert TOTP_SECRET not in authenticator.data["secret"]
    assert mfa_unseal(authenticator.data["secret"]) == TOTP_SECRET
    assert TOTP(authenticator).validate_code(totp_code())


def test_secret_stored_before_encryption_is_sealed_by_the_migration_and_keeps_working():
    from importlib import import_module

    from django.apps import apps

    user = ReviewerFactory()
    legacy = Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": TOTP_SECRET})
    migration = import_module("applicants.migrations.0004_seal_authenticator_secrets")

    migration.seal(apps, None)
    migration.seal(apps, None)  # a second run changes nothing

    legacy.refresh_from_db()
    assert legacy.data["secret"].startswith(SEALED_PREFIX)
    assert mfa_unseal(legacy.data["secret"]) == TOTP_SECRET
    assert TOTP(legacy).validate_code(totp_code())
