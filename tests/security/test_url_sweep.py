"""Every URL pattern of the project, filled with odd values, answers below 500 for every kind of visitor."""

import re
import time

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.test import Client
from django.urls import URLResolver, get_resolver
from django.urls.converters import IntConverter, PathConverter, SlugConverter, StringConverter, UUIDConverter
from django.urls.resolvers import RegexPattern, RoutePattern

from tests.conftest import TOTP_SECRET
from tests.factories import ApplicantFactory, UserFactory

pytestmark = pytest.mark.django_db

TEXT_VALUES = ["%00", "x%00y", "a" * 300, "..%2F..%2Fetc", "%E2%98%83%C3%BC", "%ED%A0%80"]
VALUES = {
    IntConverter: ["9" * 30, "0"],
    StringConverter: TEXT_VALUES,
    PathConverter: TEXT_VALUES,
    SlugConverter: ["a" * 300, "x-y"],
    UUIDConverter: ["00000000-0000-0000-0000-000000000000"],
}
ODD_QUERY = "?page=" + "9" * 30 + "&q=" + "a" * 300 + "&year=" + "9" * 30 + "&o=..%2F&level=%E2%98%83"
_GROUP = re.compile(r"\((?:\?P<\w+>)?(?:[^()\\]|\\.)*\)[?*+]?")


def _route_urls(route: RoutePattern) -> list[str]:
    """The route once per odd value (every converter gets the value, so one URL per value)."""
    text = str(route)
    converters = list(route.converters.values())
    if not converters:
        return [text]
    values = VALUES.get(type(converters[0]), TEXT_VALUES)
    return [re.sub(r"<(?:\w+:)?\w+>", value, text) for value in values]


def _regex_urls(pattern: RegexPattern) -> list[str]:
    text = str(pattern).lstrip("^").rstrip("$")
    if not _GROUP.search(text):
        return [text]
    return [_GROUP.sub(value, text) for value in TEXT_VALUES]


def _urls(patterns=None, prefix="") -> list[str]:
    urls = []
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        pattern = entry.pattern
        parts = _route_urls(pattern) if isinstance(pattern, RoutePattern) else _regex_urls(pattern)
        for part in parts:
            if isinstance(entry, URLResolver):
                urls += _urls(entry.url_patterns, prefix + part)
            else:
                urls.append(prefix + part)
    return sorted(set(urls))


# Each sweep runs in shards, so that the test workers share it rather than one of them running it alone at the end.
SHARDS = 3


def _server_errors(client: Client, shard: int) -> list[str]:
    failures = []
    for url in _urls()[shard::SHARDS]:
        # Odd query values once per pattern (on its all-digits or plain variant) keep the sweep quick.
        addresses = [f"/{url}"] if "%" in url or "aaaa" in url or ".." in url else [f"/{url}", f"/{url}{ODD_QUERY}"]
        for address in addresses:
            response = client.get(address)
            if response.status_code >= 500:
                failures.append(f"{response.status_code} GET {address[:120]}")
    return failures


def test_sweep_covers_every_pattern():
    urls = _urls()

    assert len(urls) > 400
    assert "verify/%00/" in urls


@pytest.mark.parametrize("shard", range(SHARDS))
def test_no_url_answers_5xx_to_anonymous_visitors(shard):
    client = Client(raise_request_exception=False)

    failures = _server_errors(client, shard)

    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("shard", range(SHARDS))
def test_no_url_answers_5xx_to_a_signed_in_applicant(shard):
    client = Client(raise_request_exception=False)
    client.force_login(ApplicantFactory())

    failures = _server_errors(client, shard)

    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("shard", range(SHARDS))
def test_no_url_answers_5xx_to_a_superuser_with_two_factor(shard):
    superuser = UserFactory(is_staff=True, is_superuser=True)
    TOTP.activate(superuser, TOTP_SECRET)
    client = Client(raise_request_exception=False)
    client.force_login(superuser)
    session = client.session
    session["account_authentication_methods"] = [
        {"method": "password", "at": time.time(), "email": superuser.email},
        {"method": "mfa", "at": time.time(), "type": "totp"},
    ]
    session.save()

    failures = _server_errors(client, shard)

    assert not failures, "\n".join(failures)
