import datetime

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_privacy_notice_says_what_is_kept_and_what_a_person_may_ask(client):
    response = client.get("/privacy/")

    text = response.content.decode()
    assert response.status_code == 200
    assert "download everything the portal holds about you" in text
    assert "deleted" in text
    assert "number, level and dates" in text


def test_footer_links_the_privacy_notice(client):
    response = client.get(reverse("home"))

    assert 'href="/privacy/"' in response.content.decode()


def test_security_txt_follows_rfc_9116(client, settings):
    settings.SECURITY_CONTACT = "security@example.org"
    settings.SITE_URL = "https://portal.example.org"
    settings.SECURITY_TXT_EXPIRES = "2031-01-31T00:00:00+00:00"

    response = client.get("/.well-known/security.txt")

    lines = response.content.decode().splitlines()
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "Contact: mailto:security@example.org" in lines
    assert "Expires: 2031-01-31T00:00:00Z" in lines
    assert "Preferred-Languages: en, zh-hans" in lines
    assert "Canonical: https://portal.example.org/.well-known/security.txt" in lines


def test_security_txt_expires_within_a_year_by_default(client, settings):
    settings.SECURITY_TXT_EXPIRES = ""

    response = client.get("/.well-known/security.txt")

    expires = next(line for line in response.content.decode().splitlines() if line.startswith("Expires: "))
    when = datetime.datetime.strptime(expires[9:], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=datetime.UTC)
    assert datetime.timedelta(days=1) < when - datetime.datetime.now(datetime.UTC) < datetime.timedelta(days=365)
