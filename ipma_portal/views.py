import functools

import redis
from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


@require_GET
def home(request):
    return render(request, "home.html")


@require_GET
def favicon(request):
    """Browsers ask for /favicon.ico where a page names no icon (the admin's, a PDF's): send them to the SVG."""
    return HttpResponsePermanentRedirect(static("img/favicon.svg"))


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except DatabaseError:
        return False


@functools.cache
def _redis_client(url: str) -> redis.Redis:
    # One pooled client per process: a probe every few seconds should not open a connection each time.
    return redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)


def _redis_ok() -> bool:
    try:
        return bool(_redis_client(settings.REDIS_URL).ping())
    except redis.RedisError:
        return False


@never_cache
@require_GET
def healthz(request):
    """For load balancers: 200 when PostgreSQL and Redis both answer, else 503 naming each."""
    checks = {"database": _database_ok(), "redis": _redis_ok()}
    body = {name: "ok" if ok else "unavailable" for name, ok in checks.items()}
    return JsonResponse(body, status=200 if all(checks.values()) else 503)
