"""Answers that are the same for every person of one kind, kept in this process until a table they read is written.

Some answers show nothing of the person who asked but the header: a full exam session's refusal is the same page
for every candidate who posts to it, and under contention hundreds of them arrive at once. Such an answer is
rendered once with the header's stand-ins (``site_chrome.UNFILLED``) and kept per process under its key (the
session, say) and the viewer's kind (language, menus, time zone); each later request gets it with its own name,
address and CSRF token filled in (``site_chrome.chrome_fill``), for the cost of one read of the table versions.

Like ``table_versions.kept_for_person``: the tables an answer reads are learned from its first rendering, and their
versions are read *before* the data, so an answer rendered from rows older than a write is never kept under the
version that write made. Nothing is kept while Redis is away, nor for a request with a message waiting to be shown
(the kept page would not show it), and a kept answer is not served after ``until`` (a session that has begun is no
longer open to booking).
"""

from __future__ import annotations

import hashlib
import threading
import time
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone

from content.templatetags.site_chrome import UNFILLED, chrome_fill, viewer_kind
from ipma_portal import table_versions
from ipma_portal.public_cache import csrf_placeholder_put

_ALL: weakref.WeakSet[SharedAnswers] = weakref.WeakSet()


def shared_answers_reset() -> None:
    """Forget every kept answer and what their renderings read (tests: rows rolled back send no signal)."""
    for answers in list(_ALL):
        answers.clear()


class SharedAnswers:
    """One kind of shared answer (see the module's note), at most ``size`` of them kept per process."""

    def __init__(self, name: str, *, size: int = 64):
        _ALL.add(self)
        self.name = name
        self.size = size
        self._kept: OrderedDict[tuple, tuple[str, float, bytes, str]] = OrderedDict()
        self._tables: frozenset[str] = frozenset()  # what renderings of this kind read, learned from the first
        self._lock = threading.Lock()

    def answer(self, request, key: Hashable) -> HttpResponse | None:
        """The answer kept under ``key`` for this viewer's kind if no table it read has changed since, else None.

        On None the versions read now (before the caller reads its data) are noted on the request for ``render``."""
        request._shared_answer = None
        if not settings.DASHBOARD_CACHE_SECONDS or not _no_message_waiting(request):
            return None
        tables = self._tables
        current = table_versions.versions(tables) if tables else {}
        if current is None:  # Redis is away
            return None
        full_key = (key, viewer_kind(request), timezone.get_current_timezone_name())
        stamp = hashlib.sha256(repr(sorted(current.items())).encode()).hexdigest()[:24]
        request._shared_answer = (self, full_key, tables, stamp)
        with self._lock:
            kept = self._kept.get(full_key)
            if kept is not None:
                self._kept.move_to_end(full_key)
        if kept is None or kept[0] != stamp or time.time() >= kept[1]:
            return None
        return HttpResponse(chrome_fill(request, kept[2]), content_type=kept[3])

    @contextmanager
    def watching(self, request) -> Iterator[None]:
        """The block that reads the data of this request's answer and renders it (``render`` inside it): what it
        reads counts for the answer. A request ``answer`` did not prepare runs it unwatched."""
        noted = getattr(request, "_shared_answer", None)
        if noted is None or noted[0] is not self:
            yield
            return
        with table_versions.tables_read() as read:
            request._shared_answer_read = read
            try:
                yield
            finally:
                request._shared_answer_read = None

    def render(self, request, render: Callable[[], HttpResponse], *, until: float) -> HttpResponse:
        """``render()``'s answer, kept for others of this viewer's kind until ``until`` (a timestamp) when it may be:
        inside ``watching`` after ``answer`` returned None in this request, once the tables it reads are known."""
        noted, read = getattr(request, "_shared_answer", None), getattr(request, "_shared_answer_read", None)
        if noted is None or noted[0] is not self or read is None:
            return render()
        _answers, full_key, tables, stamp = noted
        setattr(request, UNFILLED, True)
        try:
            response = render()
            if not getattr(response, "is_rendered", True):
                response.render()
        finally:
            setattr(request, UNFILLED, False)
        if response.status_code != 200 or response.streaming:
            return response
        body = response.content
        with self._lock:
            if read <= tables:
                self._kept[full_key] = (stamp, until, csrf_placeholder_put(body), response["Content-Type"])
                self._kept.move_to_end(full_key)
                while len(self._kept) > self.size:
                    self._kept.popitem(last=False)
            else:  # kept from the next rendering on, under the versions of these tables too
                self._tables = self._tables | read
        response.content = chrome_fill(request, body)
        return response

    def clear(self) -> None:
        with self._lock:
            self._kept.clear()
            self._tables = frozenset()


def _no_message_waiting(request) -> bool:
    return "messages" not in request.COOKIES and "_messages" not in request.session
