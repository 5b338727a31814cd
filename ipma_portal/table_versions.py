"""Versions of the database's tables, changed by every write Django makes, for pages kept until a table they read
is written (the committee's long lists: ``workflows.admin.LargeChangelistMixin``).

Every database connection gets an execute wrapper (connected on ``connection_created``) that notes the table of each
``INSERT``, ``UPDATE`` and ``DELETE`` it runs: a model's save or delete, a queryset's ``update()`` or
``bulk_create()``, a cascade, raw SQL. The table's version in the ``dashboard`` cache (Redis) gets a new value when
the transaction commits (at once outside a transaction); nothing happens for a transaction rolled back. So, unlike
save signals, a bulk update cannot be missed. Writes Django does not make (another program's) are bounded by the
lifetime of what is kept.

    with tables_read() as read:      # the tables the block reads
        ...
    versions(read)                   # their versions now (None when Redis is away)

``kept_for_person(request, render)`` keeps the page ``render()`` makes for the signed-in person, per address,
language, time zone and day, under the versions of the tables it read: a write to any of them shows on the next
view. A version is read *before* the data it stands for, so a page rendered from data older than a write is never
kept under the version that write made.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import hashlib
import logging
import re
import secrets
import time
from collections.abc import Callable, Iterable, Iterator

import redis
from django.conf import settings
from django.core.cache import caches
from django.db import connections
from django.db.backends.signals import connection_created
from django.http import HttpResponse
from django.utils import timezone, translation

logger = logging.getLogger(__name__)

# The table a statement writes, its name quoted (as Django writes it) or not (as raw SQL may); the tables a query
# reads, as Django names them (quoted).
_WRITE = re.compile(r'\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+(?:ONLY\s+)?"?(\w+)"?', re.IGNORECASE)
_READ = re.compile(r'\b(?:FROM|JOIN)\s+"(\w+)"', re.IGNORECASE)
_SET_COLUMN = re.compile(r'"(\w+)"\s*=')
# The versions outlive anything kept under them; a version that expired is simply a new one (a miss).
VERSION_SECONDS = 24 * 3600


def _cache():
    return caches["dashboard"]


def _key(table: str) -> str:
    return f"table:{table}"


def enabled() -> bool:
    return bool(settings.DASHBOARD_CACHE_SECONDS)


def current(keys: list[str]) -> dict[str, str] | None:
    """The value of each version key in the ``dashboard`` cache, made when missing; None when Redis is away.

    Shared by the tables' versions here and the people's in ``applicants.dashboard``."""
    cache = _cache()
    try:
        found = cache.get_many(keys)
        missing = [key for key in keys if key not in found]
        for key in missing:
            cache.add(key, secrets.token_hex(4), VERSION_SECONDS)  # add: a version made meanwhile stands
        if missing:
            found = cache.get_many(keys)
    except redis.RedisError:
        return None
    return found if len(found) == len(set(keys)) else None


# After Redis failed to take a version, commits do not wait on it again for this long (a write goes on regardless;
# what was kept before the outage is dropped by its own lifetime, DASHBOARD_CACHE_SECONDS).
RETRY_AFTER_SECONDS = 5.0
_unavailable_until = 0.0


def renew(keys: Iterable[str]) -> None:
    """New values for these version keys: what was kept under the old ones is not served again."""
    global _unavailable_until
    keys = set(keys)
    if not keys or time.monotonic() < _unavailable_until:
        return
    try:
        _cache().set_many({key: secrets.token_hex(4) for key in keys}, VERSION_SECONDS)
    except redis.RedisError:
        _unavailable_until = time.monotonic() + RETRY_AFTER_SECONDS
        logger.warning("Page versions unavailable: kept pages expire within %ss", settings.DASHBOARD_CACHE_SECONDS)


def versions(tables: Iterable[str]) -> dict[str, str] | None:
    """The current version of each table (made when missing); None when Redis is away."""
    keys = {table: _key(table) for table in tables}
    found = current(list(keys.values()))
    return None if found is None else {table: found[key] for table, key in keys.items()}


def bump(tables: Iterable[str]) -> None:
    renew(_key(table) for table in tables)


_reading: contextvars.ContextVar[set[str] | None] = contextvars.ContextVar("tables_read", default=None)


class _Reads:
    def __init__(self, tables: set[str]):
        self.tables = tables

    def __call__(self, execute, sql, params, many, context):
        if isinstance(sql, str):
            self.tables.update(_READ.findall(sql))
        return execute(sql, params, many, context)


@contextlib.contextmanager
def tables_read(using: str = "default") -> Iterator[set[str]]:
    """The names of the tables the block reads (filled as it runs): its queries' and, through ``note_read``, those
    of the data it takes from a process's memory instead (``ReferenceData``)."""
    tables: set[str] = set()
    token = _reading.set(tables)
    try:
        with connections[using].execute_wrapper(_Reads(tables)):
            yield tables
    finally:
        _reading.reset(token)


def note_read(tables: Iterable[str]) -> None:
    """Count these tables as read by the block being watched, if any (data kept in memory, read without a query)."""
    watched = _reading.get()
    if watched is not None:
        watched.update(tables)


def person_may_use_kept(request) -> bool:
    """A GET by a signed-in person with no message waiting to be shown (a page showing one is never kept)."""
    return (request.method == "GET" and request.user.is_authenticated
            and "messages" not in request.COOKIES and "_messages" not in request.session)


def person_may_keep(request, response) -> bool:
    """A 200 answer that sets no cookie but the CSRF one and shows no message added by this request."""
    if response.status_code != 200 or response.streaming or any(
            name != settings.CSRF_COOKIE_NAME for name in response.cookies):
        return False
    storage = getattr(request, "_messages", None)
    return not getattr(storage, "added_new", False)  # a message shown once must not be shown again


def kept_for_person(request, render: Callable[[], HttpResponse], *, tables: Iterable[str] = ()) -> HttpResponse:
    """The page ``render()`` answers, kept for the signed-in person until a table it read (or one of ``tables``)
    is written, at most ``DASHBOARD_CACHE_SECONDS``.

    The tables an address reads are learned from its first rendering and kept beside it; a rendering that reads a
    table not yet learned (another filter's choices, say) is not kept, and the next one is.
    """
    from ipma_portal.public_cache import csrf_placeholder_fill, csrf_placeholder_put

    seconds = settings.DASHBOARD_CACHE_SECONDS
    if not seconds or not person_may_use_kept(request):
        return render()
    cache = _cache()
    address = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
    learned = cache.get(f"reads:{address}")
    watched = set(learned or ()) | set(tables)
    current = versions(watched)
    if current is None:  # Redis is away: nothing is kept
        return render()
    stamp = hashlib.sha256(repr(sorted(current.items())).encode()).hexdigest()[:24]
    key = ":".join(("kept", str(request.user.pk), translation.get_language() or "",
                    timezone.get_current_timezone_name(), timezone.localdate().isoformat(), address, stamp))
    if learned is not None and (kept := cache.get(key)) is not None:
        body, content_type = kept
        return HttpResponse(csrf_placeholder_fill(request, body), content_type=content_type)
    with tables_read() as read:
        response = render()
        if not getattr(response, "is_rendered", True):
            response.render()  # a template response's queries run while it renders: inside the watch
    if not person_may_keep(request, response):
        return response
    if learned is not None and read <= watched:
        cache.set(key, (csrf_placeholder_put(response.content), response["Content-Type"]), seconds)
    else:
        cache.set(f"reads:{address}", tuple(sorted(watched | read)), VERSION_SECONDS)
    return response


@functools.cache
def _unshown_columns() -> dict[str, frozenset[str]]:
    """Columns no kept page shows, whose update alone is not a change: when an account last signed in (written on
    every sign-in, it would otherwise drop every committee page that names a person, many times a minute)."""
    from django.contrib.auth import get_user_model

    return {get_user_model()._meta.db_table: frozenset({"last_login"})}


def _changes_shown(table: str, sql: str) -> bool:
    unshown = _unshown_columns().get(table)
    if not unshown or sql.lstrip()[:6].upper() != "UPDATE":
        return True
    assignments = re.split(r"\sWHERE\s", sql, maxsplit=1, flags=re.IGNORECASE)[0].split(" SET ", 1)[-1]
    columns = set(_SET_COLUMN.findall(assignments))
    return not columns or not columns <= unshown


def _note_writes(execute, sql, params, many, context):
    result = execute(sql, params, many, context)
    match = _WRITE.match(sql) if isinstance(sql, str) else None
    if match and enabled() and _changes_shown(match.group(1), sql):
        _written(context["connection"], match.group(1))
    return result


def _written(connection, table: str) -> None:
    if not connection.in_atomic_block:
        bump([table])
        return
    # One on-commit bump per transaction, of every table it wrote (one Redis round trip, not one per table). Django
    # replaces its list of on-commit callbacks whenever some of them are dropped (a commit, a rollback, a savepoint
    # rolled back): while it is the same list, the bump registered before is still there and the table joins its
    # set; once it is another, a new bump is registered. A table written in a savepoint rolled back after the bump
    # was registered outside it is still bumped: a version changed for nothing costs a page rendered again, one
    # left unchanged would show a stale page.
    pending = getattr(connection, "_table_versions_pending", None)
    if pending is None or pending[0] is not connection.run_on_commit:
        tables: set[str] = set()
        pending = (connection.run_on_commit, tables)
        connection._table_versions_pending = pending
        connection.on_commit(lambda: bump(sorted(tables)))
    pending[1].add(table)


def _install(sender, connection, **kwargs) -> None:
    if _note_writes not in connection.execute_wrappers:
        connection.execute_wrappers.append(_note_writes)


def connect() -> None:
    """Watch the writes of every connection, the open ones and those made later (called once, from an app's ready)."""
    connection_created.connect(_install, dispatch_uid="table-versions")
    for connection in connections.all(initialized_only=True):
        _install(None, connection)
