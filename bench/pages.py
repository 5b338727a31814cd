"""Page throughput: the portal under gunicorn with production settings, driven by concurrent clients.

    .venv/bin/python bench/pages.py [--scale 0.2] [--seconds 6] [--rounds 3] [--clients 4] [--workers 2]

Uses the configured DATABASE_URL / REDIS_URL, or the embedded servers when they are unset (and
stops again whatever embedded server it had to start). The run gets its own database (created,
migrated and seeded with the demo data, then with bench/scale.py's data of a busy body at
``--scale``: 1.0 is the size of issue 17, 0 the demo data alone; dropped at the end), its own Redis
database number and a temporary static folder. Every page in PAGES is driven for a fixed time each
(in turns) and reported beside the constant view measured in the same run, with each gunicorn
worker's resident memory before and after; the last line of output is one JSON object.

To add a page, add a line to PAGES: ``role`` is who requests it (None: nobody signed in; "applicant",
"qtsp": the demo accounts; "reviewer": the demo committee reviewer, signed in with the two-factor step
passed); ``{name}`` in a path is filled from :meth:`BenchRun.references` (a real row of the run).
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
    role: str | None = None
    # Kept for the other benchmarks' pages: login=True is the demo applicant.
    login: bool = False

    @property
    def who(self) -> str | None:
        return self.role or ("applicant" if self.login else None)


CONSTANT = Page("constant", "/bench/constant")  # bench/urls.py: the yardstick for every other page
APPLICANT, QTSP, REVIEWER = "applicant", "qtsp", "reviewer"
PAGES = [
    CONSTANT,
    # public
    Page("home", "/"),
    Page("healthz", "/healthz"),
    Page("levels", "/levels/"),
    Page("fees", "/fees/"),
    Page("curriculum", "/curriculum/"),
    Page("calendar", "/exams/calendar/"),
    Page("directory", "/directory/"),
    Page("dir_search", "/directory/?q={surname}"),
    Page("dir_level", "/directory/?level=PM"),
    Page("dir_country", "/directory/?country={country}"),
    Page("dir_language", "/directory/?language=es"),
    Page("dir_sector", "/directory/?sector={sector}"),
    Page("dir_qtsps", "/directory/?show=qtsps"),
    Page("dir_programmes", "/directory/?show=programmes"),
    Page("verify", "/verify/{certificate}/"),
    Page("partners", "/partners/"),
    Page("events", "/events/"),
    Page("training", "/training/"),
    Page("training_level", "/training/?level=AM"),
    Page("numbers", "/numbers/"),
    # the demo applicant (with 200 hours entries and 40 invoices)
    Page("dashboard", "/dashboard/", role=APPLICANT),
    Page("applications", "/applications/", role=APPLICANT),
    Page("application", "/applications/{application}/", role=APPLICANT),
    Page("hours", "/hours/", role=APPLICANT),
    Page("invoices", "/invoices/", role=APPLICANT),
    Page("bookings", "/exams/bookings/", role=APPLICANT),
    # the demo QTSP's cohort of 500 trainees
    Page("qtsp_cohort", "/partners/portal/cohorts/{cohort}/", role=QTSP),
    # the committee, as the demo reviewer
    Page("adm_apps", "/admin/accreditation/levelapplication/?status__exact=under_review&q=A", role=REVIEWER),
    Page("adm_bookings", "/admin/exams/booking/?status__exact=booked&q={surname}", role=REVIEWER),
    Page("adm_invoices", "/admin/payments/invoice/?status__exact=paid&q=IPMA", role=REVIEWER),
    Page("adm_certs", "/admin/certificates/certificate/?status__exact=active&q={surname}", role=REVIEWER),
    Page("adm_app_change", "/admin/accreditation/levelapplication/{application}/change/", role=REVIEWER),
    Page("adm_hours", "/admin/applicants/hoursentry/?status__exact=disputed", role=REVIEWER),
    Page("adm_enrolments", "/admin/partners/enrolment/", role=REVIEWER),
    Page("adm_sessions", "/admin/exams/examsession/?when=upcoming", role=REVIEWER),
    Page("adm_orgs", "/admin/organizations/organization/", role=REVIEWER),
    Page("insights", "/admin/insights/", role=REVIEWER),
]

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
# A Redis database number of its own, so that anything the run queues stays apart from the portal's.
REDIS_DB = 15
WARMUP_SECONDS = 1.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=0.2,
                        help="size of the data set: 1.0 = issue 17's busy body, 0 = the demo data alone")
    parser.add_argument("--pages", default="", help="comma-separated page names to drive (default: all)")
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

    wanted = {name.strip() for name in args.pages.split(",") if name.strip()}
    pages = [page for page in PAGES if page is CONSTANT or not wanted or page.name in wanted]
    samples = {page.name: Sample() for page in pages}
    with BenchRun(os.environ["DATABASE_URL"], os.environ["REDIS_URL"], workers=args.workers,
                  scale=args.scale) as run:
        pages = [Page(page.name, page.path.format(**run.references), page.role, page.login) for page in pages]
        for page in pages:
            run.check(page)
            run.drive(page, seconds=WARMUP_SECONDS, clients=args.clients)
        memory_before = run.worker_memory()
        # Pages take turns rather than running one after another, so that a change in the machine's
        # load during the run (other processes, autovacuum after the setup) falls on all of them.
        for _round in range(args.rounds):
            for page in pages:
                samples[page.name].add(*run.drive(page, seconds=args.seconds / args.rounds, clients=args.clients))
        memory_after = run.worker_memory()
        sizes = run.sizes
    results = {page.name: {"path": page.path, **samples[page.name].figures()} for page in pages}

    baseline = results[CONSTANT.name]
    for figures in results.values():
        figures["rps_ratio"] = round(figures["rps"] / baseline["rps"], 3) if baseline["rps"] else None
        figures["p50_ratio"] = round(figures["p50_ms"] / baseline["p50_ms"], 2) if baseline["p50_ms"] else None

    print(f"\n{args.workers} gunicorn workers, {args.clients} clients, {args.seconds:g} s per page "
          f"in {args.rounds} turns; "
          "rps_ratio = page rps / constant rps, p50_ratio = page p50 / constant p50")
    print(f"{'page':<16}{'requests':>10}{'errors':>8}{'rps':>10}{'p50_ms':>9}{'p95_ms':>9}{'rps_ratio':>11}{'p50_ratio':>11}")
    for name, f in results.items():
        print(f"{name:<16}{f['requests']:>10}{f['errors']:>8}{f['rps']:>10.1f}{f['p50_ms']:>9.1f}{f['p95_ms']:>9.1f}"
              f"{f['rps_ratio']:>11.3f}{f['p50_ratio']:>11.2f}")
    total = sum(f["requests"] for f in results.values())
    print(f"gunicorn workers' resident memory over {total} requests (MB, before -> after): "
          + ", ".join(f"{pid}: {memory_before.get(pid, 0):.1f} -> {rss:.1f}" for pid, rss in memory_after.items()))
    print(json.dumps({"scale": args.scale, "rows": sizes, "workers": args.workers, "clients": args.clients,
                      "seconds": args.seconds, "rounds": args.rounds, "requests": total,
                      "worker_rss_mb": {str(pid): {"before": memory_before.get(pid), "after": rss}
                                        for pid, rss in memory_after.items()},
                      "pages": results}))
    return 1 if any(f["errors"] for f in results.values()) else 0


class BenchRun:
    """A throw-away database, Redis database and folder (static files, log), and gunicorn on them."""

    def __init__(self, database_url: str, redis_url: str, *, workers: int, scale: float = 0.0):
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
        self.scale = scale
        self.sizes: dict[str, int] = {}
        self.references: dict[str, str] = {}
        self.cookies: dict[str, str] = {}
        self.jars: dict[str, dict[str, str]] = {}
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
            MFA_ENCRYPTION_KEY=secrets.token_urlsafe(32),
            CERTIFICATES_VERIFY_RATE="1000000/m",  # the page is measured, not the limit (one client address)
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
        if self.scale > 0:
            from bench.scale import seed_scale

            self.sizes = seed_scale(scale=self.scale)
        self.references = self._references()
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

    @staticmethod
    def _references() -> dict[str, str]:
        """Real rows of this run for the pages' paths: the demo applicant's application, a listed mentor's
        surname, a certificate number, the demo QTSP's largest cohort."""
        from django.db.models import Count

        from accreditation.models import LevelApplication
        from certificates.models import Certificate
        from organizations.models import DirectoryListing
        from partners.models import Cohort

        applicant = "applicant@ipma.example"
        application = (LevelApplication.objects.filter(applicant__email=applicant).order_by("pk").first()
                       or LevelApplication.objects.order_by("pk").first())
        listing = DirectoryListing.objects.filter(opted_in=True).order_by("pk").first()
        cohort = (Cohort.objects.filter(programme__qtsp__staff__user__email="qtsp@ipma.example")
                  .annotate(size=Count("enrolments")).order_by("-size", "pk").first())
        return {
            "application": str(application.pk) if application else "0",
            "certificate": Certificate.objects.filter(status="active", kind="individual").order_by("-pk").values_list(
                "number", flat=True).first() or "IPMA-NONE",
            "surname": listing.display_name.split()[-1] if listing else "Mentor",
            "country": str(listing.country) if listing and listing.country else "SG",
            "sector": listing.sectors[0] if listing and listing.sectors else "education",
            "cohort": str(cohort.pk) if cohort else "0",
        }

    def _login(self) -> None:
        """Sign in as each demo role the pages use; the reviewer also passes the two-factor step."""
        for role, email in ((APPLICANT, "applicant@ipma.example"), (QTSP, "qtsp@ipma.example"),
                            (REVIEWER, "reviewer@ipma.example")):
            self.jars[role] = self._login_as(email, totp=role == REVIEWER)
        self.cookies = self.jars[APPLICANT]

    def _login_as(self, email: str, *, totp: bool = False) -> dict[str, str]:
        from applicants.demo import DEMO_PASSWORD

        jar: dict[str, str] = {}
        status, _headers, _body = self._form_post("/accounts/login/", {"login": email, "password": DEMO_PASSWORD},
                                                  jar)
        if totp:
            from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

            from applicants.demo import DEMO_TOTP_SECRET

            code = format_hotp_value(hotp_value(DEMO_TOTP_SECRET, int(time.time()) // 30))
            status, _headers, _body = self._form_post("/accounts/2fa/authenticate/", {"code": code}, jar)
        if status != 302 or "sessionid" not in jar:
            raise RuntimeError(f"logging in as {email} failed: HTTP {status}")
        # The sign-in leaves a message ("Successfully signed in") in a cookie; a browser shows it on the next page and
        # then drops the cookie. Do the same, or every measured request would carry it and show it again.
        _status, headers, _body = self.request("/", cookies=jar)
        self._keep_cookies(headers, jar)
        return jar

    def _form_post(self, path: str, fields: dict, jar: dict[str, str]):
        """GET the form (for its CSRF token), then POST it, keeping the cookies in ``jar``."""
        status, headers, body = self.request(path, cookies=jar)
        self._keep_cookies(headers, jar)
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1).decode()
        origin = f"https://{HOST}:{self.port}"
        status, headers, body = self.request(
            path, method="POST", body=urlencode({**fields, "csrfmiddlewaretoken": token}), cookies=jar,
            headers={"Content-Type": "application/x-www-form-urlencoded", "Origin": origin,
                     "Referer": f"{origin}{path}"},
        )
        self._keep_cookies(headers, jar)
        return status, headers, body

    def worker_memory(self) -> dict[int, float]:
        """Each gunicorn worker's resident memory in MB, by process id (Linux /proc)."""
        rss = {}
        children = Path(f"/proc/{self.gunicorn.pid}/task/{self.gunicorn.pid}/children")
        for pid in children.read_text().split() if children.exists() else []:
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:  # the worker was restarted meanwhile
                continue
            kilobytes = re.search(r"VmRSS:\s+(\d+) kB", status)
            if kilobytes:
                rss[int(pid)] = round(int(kilobytes.group(1)) / 1024, 1)
        return rss

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
                cookies: bool | dict = True) -> tuple[int, http.client.HTTPMessage, bytes]:
        """One request on a fresh connection (gunicorn's sync workers close after each response).

        The portal sits behind a TLS-terminating proxy in production: the proxy's header satisfies
        SECURE_SSL_REDIRECT, and the Secure cookies are sent back by hand.
        """
        headers = {"X-Forwarded-Proto": "https", **(headers or {})}
        jar = cookies if isinstance(cookies, dict) else (self.cookies if cookies else {})
        if jar:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in jar.items())
        connection = http.client.HTTPConnection(HOST, self.port, timeout=30)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            return response.status, response.headers, response.read()
        finally:
            connection.close()

    def _keep_cookies(self, headers: http.client.HTTPMessage, jar: dict[str, str] | None = None) -> None:
        jar = self.cookies if jar is None else jar
        for header in headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                if morsel["max-age"] == "0" or not morsel.value:  # the server deleted it
                    jar.pop(name, None)
                else:
                    jar[name] = morsel.value

    def _jar(self, page: Page) -> bool | dict[str, str]:
        who = page.who
        return self.jars.get(who, self.cookies) if who else False

    def check(self, page: Page) -> None:
        status = self.request(page.path, cookies=self._jar(page))[0]
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
                    status = self.request(page.path, cookies=self._jar(page))[0]
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
