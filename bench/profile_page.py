"""Where a page spends its time: the portal's code in this process, on a kept data set of a busy body.

    .venv/bin/python bench/profile_page.py [--scale 0.2] [--role applicant|qtsp|reviewer] [--repeat 30]
                                           [--top 25] [--database NAME] [--rebuild]
                                           [--method post --data k=v ... [--rollback]] PATH [PATH ...]

The first run builds a database ``bench_profile_<scale>`` (migrated, the demo data, bench/scale.py's
data at ``--scale``, analysed) and keeps it, so later runs start at once; ``--rebuild`` builds it
again, ``--drop`` removes it (or only the copy, with ``--database``). ``--database NAME`` works on a copy of its own (made from the kept one
when it does not exist, then migrated), for a branch that adds migrations. Each PATH is requested
through Django's test client with the benchmark's production settings, as ``--role`` (the demo
accounts; the reviewer with the two-factor step passed): first a few times to warm the caches, then
``--repeat`` times to time it (mean and p50, queries and their database time per request), then once
more under cProfile, whose top functions are printed by own time and by cumulative time.
``--method post`` posts the form fields of ``--data`` instead (a redirect counts as an answer, as a form
post's usual one); ``--rollback`` runs each post in a transaction rolled back afterwards, for a post that
changes what the next one finds (a booking that succeeds): its on-commit work is not run, so not timed.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.pages import _with_path  # noqa: E402
from bench.throwaway import reexec_with_services  # noqa: E402

ROLES = {"applicant": "applicant@ipma.example", "qtsp": "qtsp@ipma.example", "reviewer": "reviewer@ipma.example"}
# A Redis database number of its own: the caches this process fills stay apart from the portal's.
REDIS_DB = 13


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", help="the pages to profile, e.g. /dashboard/ '/directory/?level=PM'")
    parser.add_argument("--scale", type=float, default=0.2)
    parser.add_argument("--role", choices=sorted(ROLES), default=None, help="who requests (default: anonymous)")
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--database", default="", help="work on a copy of the kept database under this name")
    parser.add_argument("--rebuild", action="store_true", help="build the kept database again")
    parser.add_argument("--drop", action="store_true", help="drop the copy named by --database (without it: the kept database) and stop")
    parser.add_argument("--redis-db", type=int, default=REDIS_DB, help="the Redis database number for the caches")
    parser.add_argument("--sql", action="store_true", help="also print each query of one request with its time")
    parser.add_argument("--dump", default="", metavar="FILE",
                        help="also write the profile to FILE (pstats; read callers with python -m pstats FILE)")
    parser.add_argument("--method", choices=("get", "post"), default="get")
    parser.add_argument("--data", action="append", default=[], metavar="K=V", help="a form field to post")
    parser.add_argument("--rollback", action="store_true", help="roll each request's changes back")
    args = parser.parse_args()

    code = reexec_with_services()
    if code is not None:
        return code

    kept = f"bench_profile_{str(args.scale).replace('.', '_')}"
    database = args.database or kept
    server_url = os.environ["DATABASE_URL"]
    if args.drop:  # the copy named by --database, else the kept database itself
        _execute(server_url, f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        print(f"dropped {database}")
        return 0
    if args.rebuild:
        _execute(server_url, f'DROP DATABASE IF EXISTS "{kept}" WITH (FORCE)')
    build = not _exists(server_url, kept)
    if build:
        _execute(server_url, f'CREATE DATABASE "{kept}"')
    if database != kept and not _exists(server_url, database):
        if build:
            _configure(server_url, kept, redis_db=args.redis_db)
            _build(args.scale)
            _execute(server_url, f'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = \'{kept}\'')
            build = False
        _execute(server_url, f'CREATE DATABASE "{database}" TEMPLATE "{kept}"')
    _configure(server_url, database, redis_db=args.redis_db)
    if build:
        _build(args.scale)
    else:
        from django.core.management import call_command

        call_command("migrate", interactive=False, verbosity=0)
    data = dict(field.split("=", 1) for field in args.data)
    for path in args.paths:
        _profile(path, role=args.role, repeat=args.repeat, top=args.top, sql=args.sql, dump=args.dump,
                 send=_sender(args.method, data, rollback=args.rollback))
    return 0


def _execute(server_url: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(server_url, autocommit=True) as connection:
        connection.execute(sql)


def _exists(server_url: str, name: str) -> bool:
    import psycopg

    with psycopg.connect(server_url, autocommit=True) as connection:
        return connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is not None


def _configure(server_url: str, database: str, *, redis_db: int) -> None:
    static_root = Path(tempfile.gettempdir()) / "bench-profile-static"
    os.environ.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
        SECRET_KEY=os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50),
        DEBUG="false",
        DATABASE_URL=_with_path(server_url, f"/{database}"),
        REDIS_URL=_with_path(os.environ["REDIS_URL"], f"/{redis_db}"),
        ALLOWED_HOSTS="testserver",
        BENCH_STATIC_ROOT=str(static_root),
        LOG_LEVEL="WARNING",
        MFA_ENCRYPTION_KEY=secrets.token_urlsafe(32),
        CERTIFICATES_VERIFY_RATE="1000000/m",
    )
    import django

    django.setup()
    from django.core.management import call_command

    # Every run: a static file added since the last one (a new script) has no manifest entry otherwise.
    call_command("collectstatic", interactive=False, verbosity=0)


def _build(scale: float) -> None:
    from django.core.management import call_command
    from django.db import connection

    started = time.perf_counter()
    print("building the kept database: migrate, demo data, scale data ...", flush=True)
    call_command("migrate", interactive=False, verbosity=0)
    call_command("createcachetable", verbosity=0)
    with open(os.devnull, "w") as quiet:
        call_command("seed_demo", stdout=quiet)
    if scale > 0:
        from bench.scale import seed_scale

        print(seed_scale(scale=scale), flush=True)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"built in {time.perf_counter() - started:.1f} s", flush=True)


def _client(role: str | None):
    from allauth.account.authentication import AUTHENTICATION_METHODS_SESSION_KEY
    from allauth.account.internal.flows.login import _AUTHENTICATION_METHODS_USER_SESSION_KEY
    from allauth.account.internal.userkit import user_id_to_str
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client(HTTP_X_FORWARDED_PROTO="https")
    if role:
        user = get_user_model().objects.get(email=ROLES[role])
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        if role == "reviewer":
            session = client.session
            now = time.time()
            session[AUTHENTICATION_METHODS_SESSION_KEY] = [
                {"method": "password", "at": now, "email": user.email},
                {"method": "mfa", "at": now, "type": "totp"},
            ]
            session[_AUTHENTICATION_METHODS_USER_SESSION_KEY] = user_id_to_str(user)
            session.save()
    return client


class _Queries:
    def __init__(self):
        self.count, self.seconds, self.log = 0, 0.0, []

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            elapsed = time.perf_counter() - started
            self.count += 1
            self.seconds += elapsed
            self.log.append((elapsed, sql))


def _sender(method: str, data: dict[str, str], *, rollback: bool):
    """How one request is sent: a GET, or a POST of ``data``, inside a transaction rolled back if asked."""
    from django.db import transaction

    def send(client, path: str):
        if method == "get":
            return client.get(path, secure=True)
        if not rollback:
            return client.post(path, data, secure=True)
        with transaction.atomic():
            response = client.post(path, data, secure=True)
            transaction.set_rollback(True)
        return response

    return send


def _profile(path: str, *, role: str | None, repeat: int, top: int, sql: bool, send, dump: str = "") -> None:
    from django.db import connection

    client = _client(role)
    for _ in range(3):
        response = send(client, path)
    if response.status_code not in (200, 302):
        print(f"\n{path}: HTTP {response.status_code} ({response.get('Location', '')})")
        return
    timings, cpu, queries = [], [], _Queries()
    with connection.execute_wrapper(queries):
        for _ in range(repeat):
            started, started_cpu = time.perf_counter(), time.process_time()
            send(client, path)
            timings.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
    answer = f"redirect to {response['Location']}" if response.status_code == 302 else f"{len(response.content) / 1024:.1f} KB"
    print(f"\n=== {path} as {role or 'anonymous'}: {answer}; "
          f"mean {statistics.fmean(timings):.1f} ms, p50 {statistics.median(timings):.1f} ms over {repeat} "
          f"(this process's CPU p50 {statistics.median(cpu):.1f} ms, steadier on a busy machine); "
          f"{queries.count / repeat:.1f} queries, {queries.seconds * 1000 / repeat:.1f} ms in the database per request")
    if sql:
        one = _Queries()
        with connection.execute_wrapper(one):
            send(client, path)
        for elapsed, statement in one.log:
            print(f"  {elapsed * 1000:7.2f} ms  {statement[:300]}")
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(5):
        send(client, path)
    profiler.disable()
    if dump:
        profiler.dump_stats(dump)
    for order in ("tottime", "cumulative"):
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats(order).print_stats(top)
        print(f"--- by {order} (5 requests)")
        print("\n".join(line for line in out.getvalue().splitlines()[6:] if line.strip()))


if __name__ == "__main__":
    sys.exit(main())
