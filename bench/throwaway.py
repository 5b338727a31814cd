"""A throw-away portal for benchmarks that run the portal's code in this process (no web server).

``throwaway_portal(name, redis_db=N)`` creates a database of its own on the configured server and
migrates it, points Celery at Redis database N and private files at a temporary folder; on the way
out it drops the database, empties that Redis database (if it was empty before) and removes the folder.
``reexec_with_services()`` runs the calling script again under the embedded PostgreSQL and Redis when
DATABASE_URL / REDIS_URL are not set (and stops whatever it had to start).
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.pages import _with_path  # noqa: E402


def reexec_with_services() -> int | None:
    """None when both services are configured; otherwise the exit code of this script run under them."""
    if os.environ.get("DATABASE_URL") and os.environ.get("REDIS_URL"):
        return None
    from ipma_portal import embedded

    return embedded.main(["exec", "--", sys.executable, str(Path(sys.argv[0]).resolve()), *sys.argv[1:]])


@contextlib.contextmanager
def throwaway_portal(name: str, *, redis_db: int):
    import psycopg
    import redis

    server_url = os.environ["DATABASE_URL"]
    database = f"bench_{name}_{os.getpid()}_{int(time.time())}"
    redis_url = _with_path(os.environ["REDIS_URL"], f"/{redis_db}")
    workdir = Path(tempfile.mkdtemp(prefix=f"bench-{name}-"))
    created = False
    redis_was_empty = redis.Redis.from_url(redis_url).dbsize() == 0
    try:
        with psycopg.connect(server_url, autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{database}"')
        created = True
        os.environ.update(
            DJANGO_SETTINGS_MODULE="ipma_portal.settings.base",
            SECRET_KEY=secrets.token_urlsafe(50),
            DEBUG="false",
            DATABASE_URL=_with_path(server_url, f"/{database}"),
            REDIS_URL=redis_url,
            PRIVATE_MEDIA_ROOT=str(workdir / "private_media"),
            MEDIA_ROOT=str(workdir / "media"),
            LOG_LEVEL="WARNING",
        )
        import django
        from django.core.management import call_command

        django.setup()
        started = time.perf_counter()
        print(f"Preparing database {database} (migrate) ...", flush=True)
        call_command("migrate", interactive=False, verbosity=0)
        call_command("createcachetable", verbosity=0)
        print(f"Prepared in {time.perf_counter() - started:.1f} s", flush=True)
        yield workdir
    finally:
        if "django" in sys.modules:
            from django.db import connections

            connections.close_all()
        if created:
            with psycopg.connect(server_url, autocommit=True) as connection:
                connection.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        if redis_was_empty:
            redis.Redis.from_url(redis_url).flushdb()
        shutil.rmtree(workdir, ignore_errors=True)
