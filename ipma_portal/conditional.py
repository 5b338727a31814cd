"""``ETag`` and ``304 Not Modified`` for public pages built only from reference data.

A page decorated with ``@public_etag(LEVELS)`` sends an ETag made of the versions of the
reference data it shows (ipma_portal/reference_cache.py) and of those on every page (the header's menus),
the language and the release, and answers
``304`` when the browser already holds that version. Nobody signed in gets one: their pages are
private (``Cache-Control: private, no-store``), and a visitor with a session or a pending message may
see something the ETag does not cover, so they get the full page too.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.utils import translation
from django.views.decorators.http import condition

from ipma_portal.reference_cache import ReferenceData, reference_data_on_every_page


def _release_from_files() -> str:
    """What identifies the deployed templates and static files when ``RELEASE`` is not set."""
    newest = 0.0
    for folder in ("templates", "static"):
        for path in (Path(settings.BASE_DIR) / folder).rglob("*"):
            newest = max(newest, path.stat().st_mtime)
    return str(newest)


_release: str | None = None


def release() -> str:
    global _release
    if _release is None:
        _release = settings.RELEASE or _release_from_files()
    return _release


def public_etag(*references: ReferenceData, day: Callable[[], object] | None = None):
    """The view's ETag (for anonymous visitors without a session) from the versions of ``references``
    and, for a page that changes with the date by itself (a fee schedule), ``day()``."""

    def etag(request, *args, **kwargs) -> str | None:
        if getattr(request, "user", None) is not None and request.user.is_authenticated:
            return None
        if settings.SESSION_COOKIE_NAME in request.COOKIES or "messages" in request.COOKIES:
            return None
        versions = [reference.version() for reference in (*references, *reference_data_on_every_page())]
        if None in versions:  # the shared cache is away: nothing tells when the page changed
            return None
        parts = [release(), translation.get_language() or "", *versions, str(day()) if day else ""]
        return hashlib.sha256("|".join(parts).encode()).hexdigest()[:32]

    return condition(etag_func=etag)
