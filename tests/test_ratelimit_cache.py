import pytest
from django.core.cache import caches
from django.http import HttpResponse
from django.test import RequestFactory
from django_ratelimit.decorators import ratelimit


@ratelimit(key="ip", rate="2/m", block=True)
def _limited(request):
    return HttpResponse("ok")


@pytest.fixture
def dead_ratelimit_cache(settings):
    settings.CACHES = {
        **settings.CACHES,
        "ratelimit": {**settings.CACHES["ratelimit"], "LOCATION": "redis://127.0.0.1:9/0"},
    }
    caches._settings = None
    yield caches["ratelimit"]


def test_rate_limited_view_stays_open_while_redis_is_down(dead_ratelimit_cache):
    request = RequestFactory().get("/", REMOTE_ADDR="203.0.113.9")

    responses = [_limited(request) for _ in range(4)]

    assert [response.status_code for response in responses] == [200, 200, 200, 200]


def test_rate_limited_view_blocks_when_redis_counts(settings):
    from django_ratelimit.exceptions import Ratelimited

    request = RequestFactory().get("/", REMOTE_ADDR="203.0.113.10")
    caches["ratelimit"].clear()
    _limited(request)
    _limited(request)

    with pytest.raises(Ratelimited):
        _limited(request)
