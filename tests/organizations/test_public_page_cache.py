"""Public pages kept rendered for visitors not signed in (ipma_portal/public_cache.py), on the directory."""

import pytest
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse

from ipma_portal import public_cache
from ipma_portal.reference_cache import ReferenceData
from organizations import services
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

DIRECTORY = "/directory/"


@pytest.fixture(autouse=True)
def _keeping_on(settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 60
    settings.REFERENCE_CACHE_CHECK_SECONDS = 0


@pytest.fixture
def listed(mentor_certificate):
    def make(name: str, **fields):
        user = UserFactory(full_name=name)
        mentor_certificate(user, level_code="PM")
        return services.listing_save(user=user, opted_in=True, display_name=name, headline="Mentor",
                                     profile="I mentor.", country="NL", city="Utrecht", languages=["en"],
                                     sectors=["business"], **fields)
    return make


def test_the_second_visit_is_served_without_a_query(client, listed, django_assert_num_queries):
    listed("Ana Kept")
    first = client.get(DIRECTORY)

    with django_assert_num_queries(0):
        second = client.get(DIRECTORY)

    assert second.status_code == 200
    assert "Ana Kept" in second.content.decode()
    assert second.content.count(b"Ana Kept") == first.content.count(b"Ana Kept")


def test_a_mentor_who_leaves_the_directory_is_gone_from_the_next_visit(client, listed):
    listing = listed("Ben Leaving")
    assert "Ben Leaving" in client.get(DIRECTORY).content.decode()

    services.listing_save(user=listing.user, opted_in=False, display_name="Ben Leaving", headline="Mentor",
                          profile="I mentor.", country="NL", city="Utrecht", languages=["en"], sectors=["business"])

    assert "Ben Leaving" not in client.get(DIRECTORY).content.decode()


def test_each_search_is_kept_apart(client, listed):
    listed("Cara Alpha")
    listed("Dan Beta")
    client.get(DIRECTORY, {"q": "Alpha"})

    page = client.get(DIRECTORY, {"q": "Beta"}).content.decode()

    assert "Dan Beta" in page and "Cara Alpha" not in page


def test_a_signed_in_visitor_never_gets_the_kept_page(client, listed):
    listed("Eve Public")
    client.get(DIRECTORY)
    member = UserFactory(full_name="Zoe Member")
    client.force_login(member)

    response = client.get(DIRECTORY)

    assert "Zoe" in response.content.decode()  # the header greets the member: rendered for them
    assert "private" in response["Cache-Control"]


def test_a_visitor_with_a_session_gets_the_page_rendered(client, listed):
    listed("Fay Session")
    client.get(DIRECTORY)
    client.cookies["sessionid"] = "x" * 32

    response = client.get(DIRECTORY)

    assert response.status_code == 200
    assert response.context is not None  # a template was rendered for this request, not the kept copy


def test_each_visitor_gets_a_csrf_token_of_their_own_that_works():
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first.get(DIRECTORY)

    page = second.get(DIRECTORY)

    token = page.content.decode().split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
    assert token and "\x00" not in token
    assert "csrftoken" in page.cookies
    answer = second.post(reverse("set_language"), {"language": "zh-hans", "next": DIRECTORY,
                                                   "csrfmiddlewaretoken": token})
    assert answer.status_code == 302


def test_each_language_is_kept_apart(client):
    client.get(DIRECTORY)

    chinese = client.get(DIRECTORY, headers={"accept-language": "zh-hans"})

    assert chinese["Content-Language"] == "zh-hans"
    assert 'lang="zh-hans"' in chinese.content.decode()


def test_a_page_older_than_the_limit_is_rendered_again(client, listed, settings, monkeypatch):
    listing = listed("Gil Quiet")
    client.get(DIRECTORY)
    # A change that sends no signal (a bulk update) shows once the kept page is older than the limit.
    type(listing).objects.filter(pk=listing.pk).update(display_name="Gil Renamed")
    assert "Gil Quiet" in client.get(DIRECTORY).content.decode()
    kept_at = public_cache.time.monotonic()
    monkeypatch.setattr(public_cache.time, "monotonic", lambda: kept_at + settings.PUBLIC_PAGE_CACHE_SECONDS + 1)

    assert "Gil Renamed" in client.get(DIRECTORY).content.decode()


def test_nothing_is_kept_while_the_shared_cache_is_away(client, monkeypatch):
    monkeypatch.setattr(ReferenceData, "version", lambda self: None)
    client.get(DIRECTORY)

    client.get(DIRECTORY)

    assert len(public_cache.store) == 0


def test_nothing_is_kept_when_switched_off(client, settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0

    client.get(DIRECTORY)

    assert len(public_cache.store) == 0


def test_a_response_that_sets_a_cookie_or_is_private_is_not_kept():
    with_cookie = HttpResponse("x")
    with_cookie.set_cookie("tracking", "1")
    private = HttpResponse("x")
    private["Cache-Control"] = "private"
    not_found = HttpResponse("x", status=404)

    assert [public_cache._may_keep(response) for response in (with_cookie, private, not_found, HttpResponse("x"))] \
        == [False, False, False, True]


def test_the_memory_is_bounded_oldest_out_first(settings):
    settings.PUBLIC_PAGE_CACHE_BYTES = 4000
    store = public_cache._Store()
    for number in range(5):
        store.put(("page", number), public_cache._Kept((), 0.0, b"x" * 900, ()))

    assert len(store) == 4
    assert store.get(("page", 0)) is None and store.get(("page", 4)) is not None
