"""Account pages and mail read in Chinese: the password-length message and the greeting of account mail."""

import pytest
from django.contrib.auth.password_validation import MinimumLengthValidator
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from django.utils.translation import ngettext

from notifications.models import OutboxMessage
from notifications.services import outbox_message_bodies
from tests.factories import UserFactory


def too_short(length: int) -> str:
    """Django's message for a short password, in the active language.

    Django 5.2 asks for it under a msgid its own zh_Hans catalog does not have (that catalog holds only the older
    wording with "%(min_length)d"), so it showed in English. The portal's catalog translates it, and makemessages
    keeps it there because of the mark below (the tests are read like the rest of the project)."""
    return ngettext(
        "This password is too short. It must contain at least %d character.",
        "This password is too short. It must contain at least %d characters.",
        length,
    ) % length


def test_password_length_message_is_translated():
    with translation.override("zh-hans"), pytest.raises(ValidationError) as refused:
        MinimumLengthValidator(min_length=10).validate("short")

    assert refused.value.messages == ["密码太短，必须包含至少 10 个字符。"]
    with translation.override("zh-hans"):
        assert too_short(10) == "密码太短，必须包含至少 10 个字符。"


@pytest.mark.django_db
def test_signup_in_chinese_refuses_a_short_password_in_chinese(client):
    response = client.post(reverse("account_signup"), {
        "full_name": "Nia Newcomer", "email": "new@example.org", "password1": "short-1", "password2": "short-1",
    }, HTTP_ACCEPT_LANGUAGE="zh-hans")

    page = response.content.decode()
    assert response.status_code == 200
    assert "密码太短，必须包含至少 10 个字符。" in page
    assert "This password is too short" not in page


@pytest.mark.django_db
def test_password_reset_mail_in_chinese_greets_in_chinese(client):
    UserFactory(email="forgetful@example.org")

    client.post(reverse("account_reset_password"), {"email": "forgetful@example.org"}, HTTP_ACCEPT_LANGUAGE="zh-hans")

    body = outbox_message_bodies(OutboxMessage.objects.get(to=["forgetful@example.org"]))[0]
    assert body.startswith("您好！这封邮件来自 IPMA Portal。")
    assert "Hello" not in body
    assert "感谢您使用 IPMA Portal！" in body


@pytest.mark.django_db
def test_password_reset_mail_in_english_keeps_its_greeting(client):
    UserFactory(email="forgetful@example.org")

    client.post(reverse("account_reset_password"), {"email": "forgetful@example.org"}, HTTP_ACCEPT_LANGUAGE="en")

    body = outbox_message_bodies(OutboxMessage.objects.get(to=["forgetful@example.org"]))[0]
    assert body.startswith("Hello from IPMA Portal!")


def test_a_wrong_two_factor_code_is_refused_in_the_portals_chinese():
    from allauth.mfa.adapter import get_adapter

    with translation.override("zh-hans"):
        message = str(get_adapter().error_messages["incorrect_code"])

    assert message == "验证码不正确。"
