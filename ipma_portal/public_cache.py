"""Public pages kept, rendered, in each process for visitors who are not signed in.

The directory, the exam calendar, the training finder and the other public pages are read far more
often than their data changes, and by visitors who all see the same thing. ``@public_page(...)``
keeps a rendered response per address (path and query), host, language and time zone, in this
process's memory, and serves it again while

- the data it shows has not changed: it names the models it is built from, and saving or deleting a
  row of one of them bumps a version (ipma_portal/reference_cache.py: at once in this process, in every
  other within ``REFERENCE_CACHE_CHECK_SECONDS``); with the shared cache away nothing is kept;
- it is younger than ``PUBLIC_PAGE_CACHE_SECONDS`` (a bound for changes that send no signal: bulk
  updates, the passing of time);
- the request is a GET or HEAD from someone not signed in, with no session and no pending message
  (the same visitors as ``conditional.public_etag``).

Only a 200 response that sets no cookie and that the view did not mark private is kept. Every form of the
page carries a CSRF token: the kept copy holds a placeholder, and each visitor gets a token of their own
(and its cookie), so the language menu and the search forms keep working. The memory is bounded
(``PUBLIC_PAGE_CACHE_BYTES`` per process, least recently used first out).
"""

from __future__ import annotations

import functools
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone, translation

from ipma_portal.reference_cache import ReferenceData, reference_data_on_every_page

_TOKEN = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*(")')
_PLACEHOLDER = b"\x00csrf\x00"


@dataclass(frozen=True)
class _Kept:
    versions: tuple
    expires: float
    body: bytes
    headers: tuple[tuple[str, str], ...]


class _Store:
    """Responses by key, least recently used first out beyond ``PUBLIC_PAGE_CACHE_BYTES``."""

    def __init__(self):
        self._items: OrderedDict[tuple, _Kept] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def get(self, key: tuple) -> _Kept | None:
        with self._lock:
            kept = self._items.get(key)
            if kept is not None:
                self._items.move_to_end(key)
            return kept

    def put(self, key: tuple, kept: _Kept) -> None:
        limit = settings.PUBLIC_PAGE_CACHE_BYTES
        if len(kept.body) > limit // 4:
            return
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self._size -= len(old.body)
            self._items[key] = kept
            self._size += len(kept.body)
            while self._size > limit and self._items:
                _key, dropped = self._items.popitem(last=False)
                self._size -= len(dropped.body)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._size = 0

    def __len__(self) -> int:
        return len(self._items)


store = _Store()


def _visitor_may_share(request) -> bool:
    if request.method not in ("GET", "HEAD"):
        return False
    if settings.SESSION_COOKIE_NAME in request.COOKIES or "messages" in request.COOKIES:
        return False
    user = getattr(request, "user", None)
    return user is None or not user.is_authenticated


def _may_keep(response) -> bool:
    if response.status_code != 200 or response.streaming or getattr(response, "is_rendered", True) is False:
        return False
    if any(name != settings.CSRF_COOKIE_NAME for name in response.cookies):
        return False
    cache_control = response.get("Cache-Control", "").lower()
    return "private" not in cache_control and "no-store" not in cache_control


def public_page(name: str, *, models: Iterable[str] = (), references: Iterable[ReferenceData] = (),
                day: Callable[[], object] | None = None):
    """Keep the decorated view's page for anonymous visitors until a row of ``models`` (or the data of one
    of ``references``, or the header's menus) changes; ``day()`` names a page that changes with the date
    by itself (the fee schedule)."""
    reference = ReferenceData(f"page:{name}", models=models, build=lambda: None)
    watched = (reference, *references)

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if not settings.PUBLIC_PAGE_CACHE_SECONDS or not _visitor_may_share(request):
                return view(request, *args, **kwargs)
            versions = tuple(ref.version() for ref in (*watched, *reference_data_on_every_page()))
            if None in versions:  # the shared cache is away: nothing would tell when the page changed
                return view(request, *args, **kwargs)
            key = (name, request.get_host(), request.is_secure(), request.get_full_path(),
                   translation.get_language(), timezone.get_current_timezone_name(), day() if day else None)
            kept = store.get(key)
            if kept is not None and kept.versions == versions and kept.expires > time.monotonic():
                return _serve(request, kept)
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
            if _may_keep(response):
                body = csrf_placeholder_put(response.content)
                headers = tuple(response.headers.items())  # what the view set (cookies are apart, and none is kept)
                store.put(key, _Kept(versions, time.monotonic() + settings.PUBLIC_PAGE_CACHE_SECONDS, body, headers))
            return response

        return wrapper

    return decorator


def csrf_placeholder_put(body: bytes) -> bytes:
    """A page's CSRF tokens replaced by a placeholder, for a copy kept for other requests."""
    return _TOKEN.sub(rb"\1" + _PLACEHOLDER + rb"\2", body)


def csrf_placeholder_fill(request, body: bytes) -> bytes:
    """A kept copy with this request's own CSRF token (and its cookie) in place of the placeholder."""
    if _PLACEHOLDER in body:
        body = body.replace(_PLACEHOLDER, request_csrf_token(request).encode())
    return body


def request_csrf_token(request) -> str:
    """The CSRF token of every form in this request's answer, masked once (``{% csrf_token %}`` reads it through
    ``ipma_portal.context_processors.csrf``).

    Django masks the secret anew on every call, with 32 characters from the system's random source each time
    (about 0.2 ms); masking is what makes two answers differ (BREACH), and one answer needs it once. Kept with the
    secret it masks: a sign-in in the request rotates the secret, and the token after it is masked again.
    """
    secret = request.META.get("CSRF_COOKIE")
    kept = getattr(request, "_portal_csrf_token", None)
    if kept is not None and secret is not None and kept[0] == secret:
        return kept[1]
    token = get_token(request)
    request._portal_csrf_token = (request.META["CSRF_COOKIE"], token)
    return token


def _serve(request, kept: _Kept) -> HttpResponse:
    response = HttpResponse(csrf_placeholder_fill(request, kept.body))
    for header, value in kept.headers:
        response[header] = value
    return response
