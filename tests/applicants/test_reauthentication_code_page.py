"""The page that mails a code before a sensitive account change names its field in the viewer's language."""

import pytest
from django.urls import reverse

from tests.factories import ApplicantFactory

pytestmark = pytest.mark.django_db


def test_the_reauthentication_code_page_names_its_field_in_chinese(client):
    client.force_login(ApplicantFactory())

    client.cookies["django_language"] = "zh-hans"

    response = client.get(reverse("account_request_reauthentication_code"), follow=True)

    content = response.content.decode()
    assert "电子邮件地址" in content
    assert "Recipient" not in content
