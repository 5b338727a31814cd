"""Sessions: the database row is the record, a copy in Redis is read first (ipma_portal.caches.SessionCache)."""

import pytest
from django.conf import settings as django_settings
from django.contrib.sessions.backends.cached_db import KEY_PREFIX
from django.core.cache import caches
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import ApplicantFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def dead_session_cache(settings):
    settings.CACHES = {
        **settings.CACHES,
        "sessions": {**settings.CACHES["sessions"], "LOCATION": "redis://127.0.0.1:9/0"},
    }
    caches._settings = None
    yield caches["sessions"]


def _session_queries(client) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("applicants:preferences")).status_code == 200
    return [query["sql"] for query in queries if '"django_session"' in query["sql"]]


def test_a_signed_in_request_reads_the_session_from_its_copy(client):
    client.force_login(ApplicantFactory())
    client.get(reverse("applicants:preferences"))

    assert _session_queries(client) == []


def test_without_its_copy_the_session_is_read_from_its_row(client):
    client.force_login(ApplicantFactory())
    caches["sessions"].clear()

    assert len(_session_queries(client)) == 1
    assert _session_queries(client) == []  # and the copy is back


def test_with_redis_away_people_sign_in_and_stay_signed_in(client, dead_session_cache):
    user = ApplicantFactory(password="correct horse battery")
    user.emailaddress_set.update_or_create(email=user.email, defaults={"verified": True, "primary": True})

    response = client.post(reverse("account_login"), {"login": user.email, "password": "correct horse battery"})

    assert response.status_code == 302
    page = client.get(reverse("applicants:preferences"))
    assert page.status_code == 200
    assert page.wsgi_request.user == user


def test_a_copy_is_kept_no_longer_than_the_cap(client, settings):
    client.force_login(ApplicantFactory())
    cache = caches["sessions"]
    key = cache.make_and_validate_key(KEY_PREFIX + client.session.session_key)

    ttl = cache._cache.get_client(key).ttl(key)

    assert 0 < ttl <= django_settings.CACHES["sessions"]["MAX_TIMEOUT"] < django_settings.SESSION_COOKIE_AGE


def test_signing_out_removes_the_copy(client):
    client.force_login(ApplicantFactory())
    client.get(reverse("applicants:preferences"))
    session_key = client.session.session_key

    client.post(reverse("account_logout"))

    assert caches["sessions"].get(KEY_PREFIX + session_key) is None
    client.cookies[django_settings.SESSION_COOKIE_NAME] = session_key  # a copied cookie
    assert client.get(reverse("applicants:preferences")).status_code == 302


def test_a_copy_set_without_a_timeout_is_capped_too():
    cache = caches["sessions"]
    cache.set("probe", "value", DEFAULT_TIMEOUT)  # Django's "the cache's default", a sentinel, not a number
    key = cache.make_and_validate_key("probe")

    assert 0 < cache._cache.get_client(key).ttl(key) <= django_settings.CACHES["sessions"]["MAX_TIMEOUT"]
