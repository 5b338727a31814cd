import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.db import IntegrityError
from django.urls import reverse

from applicants.models import User
from applicants.roles import APPLICANT, COMMITTEE_REVIEWER, QTSP_STAFF, ROLE_PERMISSIONS
from notifications.models import OutboxMessage
from notifications.services import outbox_message_bodies
from tests.conftest import force_login_without_two_factor
from tests.factories import PASSWORD, ReviewerFactory, UserFactory

pytestmark = pytest.mark.django_db


def _confirmation_link(message: OutboxMessage) -> str:
    return re.search(r"https?://\S+/accounts/confirm-email/\S+/", outbox_message_bodies(message)[0]).group(0)


def test_user_model_logs_in_with_email(client):
    UserFactory(email="mentor@example.org")

    response = client.post(reverse("account_login"), {"login": "mentor@example.org", "password": PASSWORD})

    assert response.status_code == 302
    assert response.url == reverse("applicants:dashboard")


def test_user_email_unique_ignoring_case():
    UserFactory(email="Mentor@Example.org")

    with pytest.raises(IntegrityError):
        User.objects.create(email="mentor@example.ORG")


def test_signup_queues_confirmation_in_outbox_and_adds_applicant_role(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks():
        response = client.post(
            reverse("account_signup"),
            {"email": "new@example.org", "full_name": "Nia Newcomer", "password1": "a-long-passphrase-42", "password2": "a-long-passphrase-42"},
        )

    assert response.status_code == 302
    user = User.objects.get(email="new@example.org")
    assert list(user.groups.values_list("name", flat=True)) == [APPLICANT]
    message = OutboxMessage.objects.get(to=["new@example.org"])
    assert "/accounts/confirm-email/" in outbox_message_bodies(message)[0]


@pytest.mark.parametrize(("language", "kept"), [("zh-hans", "zh-hans"), ("en", "en")])
def test_signup_keeps_the_language_of_the_page_for_later_mail(client, language, kept):
    client.post(
        reverse("account_signup"),
        {"email": "new@example.org", "full_name": "Nia Newcomer", "password1": "a-long-passphrase-42",
         "password2": "a-long-passphrase-42"},
        HTTP_ACCEPT_LANGUAGE=language,
    )

    assert User.objects.get(email="new@example.org").preferred_language == kept


def test_unverified_user_cannot_reach_dashboard(client):
    client.post(
        reverse("account_signup"),
        {"email": "new@example.org", "full_name": "Nia Newcomer", "password1": "a-long-passphrase-42", "password2": "a-long-passphrase-42"},
    )

    response = client.get(reverse("applicants:dashboard"))

    assert response.status_code == 302
    assert reverse("account_login") in response.url


def test_email_confirmation_link_verifies_and_logs_in(client):
    client.post(
        reverse("account_signup"),
        {"email": "new@example.org", "full_name": "Nia Newcomer", "password1": "a-long-passphrase-42", "password2": "a-long-passphrase-42"},
    )
    link = _confirmation_link(OutboxMessage.objects.get(to=["new@example.org"]))

    client.post(link)

    assert EmailAddress.objects.get(email="new@example.org").verified
    assert client.get(reverse("applicants:dashboard")).status_code == 200


def test_password_reset_mail_goes_through_outbox(client):
    UserFactory(email="forgetful@example.org")

    client.post(reverse("account_reset_password"), {"email": "forgetful@example.org"})

    message = OutboxMessage.objects.get(to=["forgetful@example.org"])
    assert "/accounts/password/reset/key/" in outbox_message_bodies(message)[0]


def test_password_change_requires_current_password(client):
    user = UserFactory()
    client.force_login(user)

    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": "wrong", "password1": "another-long-pass-77", "password2": "another-long-pass-77"},
    )

    assert response.status_code == 200
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_login_locked_after_repeated_failures(client):
    UserFactory(email="target@example.org")
    for _ in range(5):
        client.post(reverse("account_login"), {"login": "target@example.org", "password": "guess"})

    response = client.post(reverse("account_login"), {"login": "target@example.org", "password": PASSWORD})

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "Too many failed login attempts" in response.content.decode()


def test_logout_ends_session(client):
    client.force_login(UserFactory())

    client.post(reverse("account_logout"))

    assert client.get(reverse("applicants:dashboard")).status_code == 302


def test_roles_exist_as_groups_with_their_permissions():
    reviewer_group = Group.objects.get(name=COMMITTEE_REVIEWER)
    codes = {f"{p.content_type.app_label}.{p.codename}" for p in reviewer_group.permissions.all()}

    assert codes == ROLE_PERMISSIONS[COMMITTEE_REVIEWER]
    assert Group.objects.filter(name__in=[QTSP_STAFF, APPLICANT]).count() == 2


def test_admin_sends_anonymous_visitor_to_portal_login(client):
    response = client.get(reverse("admin:index"), follow=True)

    assert response.request["PATH_INFO"] == reverse("account_login")


def test_admin_requires_staff_to_set_up_two_factor(client):
    staff = ReviewerFactory()
    force_login_without_two_factor(client, staff)

    response = client.get(reverse("admin:index"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("mfa_activate_totp"))


def test_admin_opens_for_staff_with_two_factor(client, reviewer):
    client.force_login(reviewer)

    response = client.get(reverse("admin:index"))

    assert response.status_code == 200


def test_admin_refused_to_applicant(client, applicant):
    client.force_login(applicant)

    response = client.get(reverse("admin:index"))

    assert response.status_code in (302, 403)
    assert "_auth_user_id" in client.session


def test_staff_login_asks_for_two_factor_code(client, reviewer):
    from tests.conftest import totp_code

    response = client.post(reverse("account_login"), {"login": reviewer.email, "password": PASSWORD})
    assert response.url == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session

    client.post(reverse("mfa_authenticate"), {"code": totp_code()})

    assert client.session["_auth_user_id"] == str(reviewer.pk)


def test_preferences_update_time_zone(client, applicant):
    client.force_login(applicant)

    response = client.post(
        reverse("applicants:preferences"),
        {"full_name": "Li Wei", "time_zone": "Asia/Shanghai", "preferred_language": "zh-hans"},
    )

    assert response.status_code == 302
    applicant.refresh_from_db()
    assert (applicant.full_name, applicant.time_zone, applicant.preferred_language) == (
        "Li Wei", "Asia/Shanghai", "zh-hans",
    )


def test_preferences_reject_unknown_time_zone(client, applicant):
    client.force_login(applicant)

    response = client.post(
        reverse("applicants:preferences"), {"full_name": "X", "time_zone": "Mars/Olympus", "preferred_language": ""}
    )

    assert response.status_code == 200
    assert "Mars/Olympus is not one of the available choices" in response.content.decode()
    applicant.refresh_from_db()
    assert applicant.time_zone == "UTC"


def test_preferences_reject_a_language_the_portal_does_not_offer(client, applicant):
    client.force_login(applicant)

    response = client.post(
        reverse("applicants:preferences"), {"full_name": "X", "time_zone": "UTC", "preferred_language": "xx-evil"}
    )

    assert response.status_code == 200
    assert "xx-evil is not one of the available choices" in response.content.decode()
    applicant.refresh_from_db()
    assert applicant.preferred_language == ""


def test_preferences_require_login(client):
    response = client.get(reverse("applicants:preferences"))

    assert response.status_code == 302


def test_signup_confirmation_mail_names_the_site(client):
    client.post(reverse("account_signup"), {
        "full_name": "Nia Newcomer", "email": "new@example.org",
        "password1": "a-long-passphrase-42", "password2": "a-long-passphrase-42",
    })

    body = outbox_message_bodies(OutboxMessage.objects.get(to=["new@example.org"]))[0]

    assert "Hello from IPMA Portal!" in body
    assert "register an account on 127.0.0.1:8000" in body or "register an account on IPMA Portal" in body
    assert "from !" not in body and " on ." not in body


def test_signup_asks_a_name_and_keeps_it(client):
    form = client.get(reverse("account_signup")).content.decode()
    client.post(reverse("account_signup"), {
        "full_name": " Nia Newcomer ", "email": "new@example.org",
        "password1": "a-long-passphrase-42", "password2": "a-long-passphrase-42",
    })

    assert 'name="full_name"' in form and 'autocomplete="name"' in form
    assert User.objects.get(email="new@example.org").full_name == "Nia Newcomer"


def test_signup_without_a_name_is_refused(client):
    response = client.post(reverse("account_signup"), {
        "email": "new@example.org", "password1": "a-long-passphrase-42", "password2": "a-long-passphrase-42",
    })

    assert response.status_code == 200
    assert "full_name" in response.context["form"].errors
    assert not User.objects.filter(email="new@example.org").exists()
