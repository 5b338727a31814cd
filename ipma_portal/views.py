import datetime
import functools

import redis
from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from ipma_portal.public_cache import public_page


@require_GET
@public_page("home")
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


@require_GET
def privacy(request):
    return render(request, "privacy.html", {"contact": settings.PRIVACY_CONTACT})


def _security_txt_expires() -> datetime.datetime:
    if settings.SECURITY_TXT_EXPIRES:
        expires = datetime.datetime.fromisoformat(settings.SECURITY_TXT_EXPIRES)
        return expires if expires.tzinfo else expires.replace(tzinfo=datetime.UTC)
    # RFC 9116 asks for less than a year ahead; a fixed date in the settings forces a yearly review.
    today = timezone.now().replace(hour=0, minute=0, second=0, microsecond=0)
    return today + datetime.timedelta(days=180)


@require_GET
def security_txt(request):
    """RFC 9116: where to report a vulnerability."""
    contact = settings.SECURITY_CONTACT
    if "@" in contact and ":" not in contact:
        contact = f"mailto:{contact}"
    languages = ", ".join(code for code, _name in settings.LANGUAGES)
    lines = [
        f"Contact: {contact}",
        f"Expires: {_security_txt_expires().astimezone(datetime.UTC):%Y-%m-%dT%H:%M:%SZ}",
        f"Preferred-Languages: {languages}",
        f"Canonical: {settings.SITE_URL.rstrip('/')}{reverse('security_txt')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
