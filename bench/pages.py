"""Page throughput: the portal under gunicorn with production settings, driven by concurrent clients.

    .venv/bin/python bench/pages.py [--seconds 6] [--rounds 3] [--clients 4] [--workers 2]

Uses the configured DATABASE_URL / REDIS_URL, or the embedded servers when they are unset (and
stops again whatever embedded server it had to start). The run gets its own database (created,
migrated and seeded with the demo data, dropped at the end), its own Redis database number and a
temporary static folder. Every page in PAGES is driven for a fixed time each (in turns) and
reported beside the constant view measured in the same run; the last line of output is one JSON
object.

To add a page, add a line to PAGES; ``login=True`` requests it as the demo applicant.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit


@dataclass(frozen=True)
class Page:
    name: str
    path: str
    login: bool = False


CONSTANT = Page("constant", "/bench/constant")  # bench/urls.py: the yardstick for every other page
PAGES = [
    CONSTANT,
    Page("home", "/"),
    Page("healthz", "/healthz"),
    Page("dashboard", "/dashboard/", login=True),
]

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
# A Redis database number of its own, so that anything the run queues stays apart from the portal's.
REDIS_DB = 15
WARMUP_SECONDS = 1.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=6.0, help="measuring time per page")
    parser.add_argument("--rounds", type=int, default=3, help="the pages take turns this many times")
    parser.add_argument("--clients", type=int, default=4, help="concurrent client threads")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    args = parser.parse_args()

    if not (os.environ.get("DATABASE_URL") and os.environ.get("REDIS_URL")):
        # Start what is missing, run this script again with both URLs set, stop what was started.
        sys.path.insert(0, str(ROOT))
        from ipma_portal import embedded

        return embedded.main(["exec", "--", sys.executable, str(Path(__file__).resolve()), *sys.argv[1:]])

    samples = {page.name: Sample() for page in PAGES}
    with BenchRun(os.environ["DATABASE_URL"], os.environ["REDIS_URL"], workers=args.workers) as run:
        for page in PAGES:
            run.check(page)
            run.drive(page, seconds=WARMUP_SECONDS, clients=args.clients)
        # Pages take turns rather than running one after another, so that a change in the machine's
        # load during the run (other processes, autovacuum after the setup) falls on all of them.
        for _round in range(args.rounds):
            for page in PAGES:
                samples[page.name].add(*run.drive(page, seconds=args.seconds / args.rounds, clients=args.clients))
    results = {page.name: {"path": page.path, **samples[page.name].figures()} for page in PAGES}

    baseline = results[CONSTANT.name]
    for figures in results.values():
        figures["rps_ratio"] = round(figures["rps"] / baseline["rps"], 3) if baseline["rps"] else None
        figures["p50_ratio"] = round(figures["p50_ms"] / baseline["p50_ms"], 2) if baseline["p50_ms"] else None

    print(f"\n{args.workers} gunicorn workers, {args.clients} clients, {args.seconds:g} s per page "
          f"in {args.rounds} turns; "
          "rps_ratio = page rps / constant rps, p50_ratio = page p50 / constant p50")
    print(f"{'page':<12}{'requests':>10}{'errors':>8}{'rps':>10}{'p50_ms':>9}{'p95_ms':>9}{'rps_ratio':>11}{'p50_ratio':>11}")
    for name, f in results.items():
        print(f"{name:<12}{f['requests']:>10}{f['errors']:>8}{f['rps']:>10.1f}{f['p50_ms']:>9.1f}{f['p95_ms']:>9.1f}"
              f"{f['rps_ratio']:>11.3f}{f['p50_ratio']:>11.2f}")
    print(json.dumps({"workers": args.workers, "clients": args.clients, "seconds": args.seconds,
                      "rounds": args.rounds, "pages": results}))
    return 1 if any(f["errors"] for f in results.values()) else 0


class BenchRun:
    """A throw-away database, Redis database and folder (static files, log), and gunicorn on them."""

    def __init__(self, database_url: str, redis_url: str, *, workers: int):
        self.server_database_url = database_url
        self.database_name = f"bench_pages_{os.getpid()}_{int(time.time())}"
        self.database_url = _with_path(database_url, f"/{self.database_name}")
        self.redis_url = _with_path(redis_url, f"/{REDIS_DB}")
        self.workers = workers
        self.port = _free_port()
        self.workdir = Path(tempfile.mkdtemp(prefix="bench-pages-"))
        self.static_root = self.workdir / "static"
        self.log_path = self.workdir / "gunicorn.log"
        self.gunicorn: subprocess.Popen | None = None
        self.cookies: dict[str, str] = {}
        self.redis_was_empty = False
        self.database_created = False

    # setup and teardown ---------------------------------------------------------------------

    def __enter__(self) -> BenchRun:
        try:
            self._setup()
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def _setup(self) -> None:
        import psycopg
        import redis

        with psycopg.connect(self.server_database_url, autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{self.database_name}"')
        self.database_created = True
        self.redis_was_empty = redis.Redis.from_url(self.redis_url).dbsize() == 0

        os.environ.update(
            DJANGO_SETTINGS_MODULE="bench.settings",
            SECRET_KEY=secrets.token_urlsafe(50),
            DEBUG="false",
            DATABASE_URL=self.database_url,
            REDIS_URL=self.redis_url,
            ALLOWED_HOSTS=HOST,
            BENCH_STATIC_ROOT=str(self.static_root),
            LOG_LEVEL="WARNING",
            PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
        )
        sys.path.insert(0, str(ROOT))
        import django
        from django.core.management import call_command
        from django.db import connections

        django.setup()
        started = time.perf_counter()
        print(f"Preparing database {self.database_name}: migrate, cache table, demo data, static files ...",
              flush=True)
        call_command("migrate", interactive=False, verbosity=0)
        call_command("createcachetable", verbosity=0)
        with open(os.devnull, "w") as quiet:
            call_command("seed_demo", stdout=quiet)
        call_command("collectstatic", interactive=False, verbosity=0)
        connections.close_all()
        print(f"Prepared in {time.perf_counter() - started:.1f} s", flush=True)

        with open(self.log_path, "wb") as log:
            self.gunicorn = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "ipma_portal.wsgi:application", "--bind", f"{HOST}:{self.port}",
                 "--workers", str(self.workers), "--chdir", str(ROOT)],
                stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
            )
        self._wait_until_serving()
        self._login()

    def _wait_until_serving(self) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.gunicorn.poll() is not None:
                raise RuntimeError(f"gunicorn exited:\n{self._log_tail()}")
            try:
                if self.request("/healthz")[0] == 200:
                    return
            except OSError:  # not listening yet: try again shortly
                pass
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not answer /healthz within 60 s:\n{self._log_tail()}")

    def _login(self) -> None:
        from applicants.demo import DEMO_PASSWORD, DEMO_USERS
        from applicants.roles import APPLICANT

        email = next(email for email, _name, group, *_flags in DEMO_USERS if group == APPLICANT)
        status, headers, body = self.request("/accounts/login/")
        self._keep_cookies(headers)
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1).decode()
        form = urlencode({"login": email, "password": DEMO_PASSWORD, "csrfmiddlewaretoken": token})
        origin = f"https://{HOST}:{self.port}"
        status, headers, _body = self.request(
            "/accounts/login/", method="POST", body=form,
            headers={"Content-Type": "application/x-www-form-urlencoded", "Origin": origin,
                     "Referer": f"{origin}/accounts/login/"},
        )
        self._keep_cookies(headers)
        if status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"logging in as {email} failed: HTTP {status}")

    def __exit__(self, *exc_info) -> None:
        if self.gunicorn is not None and self.gunicorn.poll() is None:
            os.killpg(self.gunicorn.pid, signal.SIGTERM)
            try:
                self.gunicorn.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.gunicorn.pid, signal.SIGKILL)
                self.gunicorn.wait()
        if "django" in sys.modules:
            from django.db import connections

            connections.close_all()
        if self.database_created:
            import psycopg

            with psycopg.connect(self.server_database_url, autocommit=True) as connection:
                connection.execute(f'DROP DATABASE IF EXISTS "{self.database_name}" WITH (FORCE)')
        if self.redis_was_empty:
            import redis

            redis.Redis.from_url(self.redis_url).flushdb()
        shutil.rmtree(self.workdir, ignore_errors=True)

    def _log_tail(self) -> str:
        return self.log_path.read_text(errors="replace")[-4000:]

    # requests -------------------------------------------------------------------------------

    def request(self, path: str, *, method: str = "GET", body: str | None = None, headers: dict | None = None,
                cookies: bool = True) -> tuple[int, http.client.HTTPMessage, bytes]:
        """One request on a fresh connection (gunicorn's sync workers close after each response).

        The portal sits behind a TLS-terminating proxy in production: the proxy's header satisfies
        SECURE_SSL_REDIRECT, and the Secure cookies are sent back by hand.
        """
        headers = {"X-Forwarded-Proto": "https", **(headers or {})}
        if cookies and self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        connection = http.client.HTTPConnection(HOST, self.port, timeout=30)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            return response.status, response.headers, response.read()
        finally:
            connection.close()

    def _keep_cookies(self, headers: http.client.HTTPMessage) -> None:
        for header in headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value

    def check(self, page: Page) -> None:
        status = self.request(page.path, cookies=page.login)[0]
        if status != 200:
            raise RuntimeError(f"{page.name} ({page.path}) answered HTTP {status}, not 200:\n{self._log_tail()}")

    def drive(self, page: Page, *, seconds: float, clients: int) -> tuple[list[float], int, float]:
        """``clients`` threads request ``page`` until ``seconds`` are up: latencies (ms), errors, elapsed s."""
        latencies: list[list[float]] = [[] for _ in range(clients)]
        errors = [0] * clients
        start = time.perf_counter()
        deadline = start + seconds

        def client(index: int) -> None:
            while time.perf_counter() < deadline:
                began = time.perf_counter()
                try:
                    status = self.request(page.path, cookies=page.login)[0]
                except OSError:
                    status = None
                latencies[index].append((time.perf_counter() - began) * 1000)
                if status != 200:
                    errors[index] += 1

        threads = [threading.Thread(target=client, args=(index,)) for index in range(clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return [ms for per_client in latencies for ms in per_client], sum(errors), time.perf_counter() - start


@dataclass
class Sample:
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    elapsed: float = 0.0

    def add(self, latencies: list[float], errors: int, elapsed: float) -> None:
        self.latencies += latencies
        self.errors += errors
        self.elapsed += elapsed

    def figures(self) -> dict:
        cuts = statistics.quantiles(self.latencies, n=20, method="inclusive") if len(self.latencies) > 1 else [0.0] * 19
        return {
            "requests": len(self.latencies),
            "errors": self.errors,
            "rps": round(len(self.latencies) / self.elapsed, 1) if self.elapsed else 0.0,
            "p50_ms": round(cuts[9], 2),
            "p95_ms": round(cuts[18], 2),
        }


def _with_path(url: str, path: str) -> str:
    """The same server URL with another path: the database name, or the Redis database number."""
    return urlunsplit(urlsplit(url)._replace(path=path))


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


if __name__ == "__main__":
    sys.exit(main())
