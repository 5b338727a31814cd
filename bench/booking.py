"""Booking under contention: the portal under gunicorn, many candidates booking the same few seats at once.

    .venv/bin/python bench/booking.py [--clients 200] [--sessions 4] [--seats 5] [--workers 4] [--rounds 3]

Uses the configured DATABASE_URL / REDIS_URL, or the embedded servers when they are unset (and stops
again whatever embedded server it had to start). Each run gets its own database (created, migrated,
dropped at the end) and Redis database number, like bench/pages.py whose harness it shares.

Each round creates ``--sessions`` new sessions of ``--seats`` seats (200 clients for 20 seats by
default) and as many new candidates as clients, each signed in with a session of their own; then
every client posts one booking at the same moment, spread over the sessions. A client that is
redirected (a booked seat goes to the booking's page) follows the redirect as a browser does, with
the cookies of the answer (the message): its latency is the candidate's wait for the page they land
on, and each followed page counts as one more request. Afterwards the database is counted: bookings
made and overbookings (bookings beyond a session's capacity, must be 0). Then the constant view is
driven on the same workers, the yardstick of ``rps_ratio`` (booking requests/s over the constant
view's). The last line of output is one JSON object with bookings, overbookings, rps, p50_ms, p95_ms,
constant_rps and rps_ratio.

Eligibility comes from the accreditation app (an application accepted for the exam). The benchmark
measures seats under contention, not the accreditation workflow, so the gunicorn workers load this
module as their config (``post_worker_init`` below) and accept the benchmark's own candidates for
the Associate Mentor exam; everything else in the booking (seat, event, invoice, outbox mail with
its calendar file) runs as in production.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import secrets
import sys
import threading
import time
from http.cookies import SimpleCookie
from importlib import import_module
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.pages import CONSTANT, HOST, BenchRun, Sample, _with_path  # noqa: E402

BENCH_EMAIL_DOMAIN = "bench-booking.example"
LEVEL_CODE = "AM"


def post_worker_init(worker) -> None:
    """gunicorn hook (this module is the workers' config): stand in for accreditation's acceptance."""
    from types import SimpleNamespace

    from exams import eligibility

    def accepted(*, user, level_code):
        if level_code == LEVEL_CODE and user.email.endswith("@" + BENCH_EMAIL_DOMAIN):
            return SimpleNamespace(pk=None, accepted_at=user.date_joined)
        return None

    # exams.eligibility asks accreditation through this name (it once had a stand-in of its own).
    eligibility.application_accepted_for_exam = accepted


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=200, help="concurrent booking clients per round")
    parser.add_argument("--sessions", type=int, default=4, help="sessions per round")
    parser.add_argument("--seats", type=int, default=5, help="seats per session")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--rounds", type=int, default=3, help="rounds, each on new sessions and candidates")
    args = parser.parse_args()

    if not (os.environ.get("DATABASE_URL") and os.environ.get("REDIS_URL")):
        from ipma_portal import embedded

        return embedded.main(["exec", "--", sys.executable, str(Path(__file__).resolve()), *sys.argv[1:]])

    os.environ["GUNICORN_CMD_ARGS"] = "--config python:bench.booking"
    sample, statuses, requests = Sample(), {}, 0
    with BookingRun(os.environ["DATABASE_URL"], os.environ["REDIS_URL"], workers=args.workers) as run:
        run.drive_round(clients=min(args.clients, 20), sessions=1, seats=5)  # warm the workers up
        run.reset_counts()
        for _round in range(args.rounds):
            latencies, codes, followed, elapsed = run.drive_round(clients=args.clients, sessions=args.sessions,
                                                                  seats=args.seats)
            errors = sum(1 for code in codes if code not in (200, 302)) + sum(1 for code in followed if code != 200)
            sample.add(latencies, errors, elapsed)
            requests += len(codes) + len(followed)
            for code in codes:
                statuses[str(code)] = statuses.get(str(code), 0) + 1
        counts = run.counts()
        # The yardstick in the same run (same workers, same machine load): the constant view, 4 clients.
        run.drive(CONSTANT, seconds=1, clients=4)
        constant, cpu, workers_cpu = Sample(), _cpu_seconds(), run.workers_cpu()
        constant.add(*run.drive(CONSTANT, seconds=3, clients=4))
        constant_client_cpu, constant_workers_cpu = _cpu_seconds() - cpu, run.workers_cpu() - workers_cpu
        rounds_client_cpu, rounds_workers_cpu = run.client_cpu, run.round_workers_cpu
    figures, constant_rps = sample.figures(), constant.figures()["rps"]
    # Requests, the followed pages included, per second of the rounds (Sample counts one per candidate).
    figures["rps"], figures["requests"] = round(requests / sample.elapsed, 1), requests
    result = {
        "bookings": counts["bookings"], "overbookings": counts["overbookings"],
        "rps": figures["rps"], "p50_ms": figures["p50_ms"], "p95_ms": figures["p95_ms"],
        "constant_rps": constant_rps, "rps_ratio": round(figures["rps"] / constant_rps, 3) if constant_rps else None,
        "seats": counts["seats"], "requests": figures["requests"], "booked_responses": statuses.get("302", 0),
        "refused_responses": statuses.get("200", 0), "errors": figures["errors"], "statuses": statuses,
        "seat_counter_mismatches": counts["mismatches"], "clients": args.clients, "sessions": args.sessions,
        "seats_per_session": args.seats, "rounds": args.rounds, "workers": args.workers,
        # The clients' own cost per request (ms of this process's CPU, on the cores the workers share): a share of
        # the machine taken from the workers in each phase, to compare the two phases on equal terms.
        "client_cpu_ms": round(rounds_client_cpu * 1000 / max(requests, 1), 2),
        "constant_client_cpu_ms": round(constant_client_cpu * 1000 / max(len(constant.latencies), 1), 2),
        # The workers' CPU per request: what the portal itself costs, whatever else the machine runs meanwhile.
        "workers_cpu_ms": round(rounds_workers_cpu * 1000 / max(requests, 1), 2),
        "constant_workers_cpu_ms": round(constant_workers_cpu * 1000 / max(len(constant.latencies), 1), 2),
    }
    print(f"\n{args.rounds} rounds of {args.clients} clients booking {args.sessions} sessions x {args.seats} seats "
          f"on {args.workers} gunicorn workers")
    print(f"bookings {result['bookings']} of {result['seats']} seats, overbookings {result['overbookings']}, "
          f"errors {result['errors']}, {result['rps']} requests/s, p50 {result['p50_ms']} ms, "
          f"p95 {result['p95_ms']} ms; the constant view {constant_rps} requests/s, "
          f"rps_ratio {result['rps_ratio']}")
    print(json.dumps(result))
    healthy = (not result["overbookings"] and not result["errors"] and not result["seat_counter_mismatches"]
               and result["bookings"] == result["seats"] == result["booked_responses"])
    return 0 if healthy else 1


class BookingRun(BenchRun):
    """bench/pages.py's throw-away database and gunicorn, with candidates signed in by session cookie."""

    def __init__(self, database_url: str, redis_url: str, *, workers: int):
        super().__init__(database_url, redis_url, workers=workers)
        self.database_name = f"bench_booking_{os.getpid()}_{int(time.time())}"
        self.database_url = _with_path(database_url, f"/{self.database_name}")
        self.round = 0
        self.measured_sessions: list[int] = []
        self.client_cpu = 0.0  # this process's CPU seconds while its clients ran the rounds
        self.round_workers_cpu = 0.0  # the gunicorn workers' CPU seconds over the rounds

    def _login(self) -> None:
        """Each candidate gets a session of their own in ``drive_round``; nobody logs in here."""

    def _round_data(self, *, clients: int, sessions: int, seats: int) -> tuple[list[int], list[str], int]:
        """New sessions (60 days ahead, at one centre per round) and signed-in candidates."""
        from datetime import datetime, timedelta
        from datetime import time as clock

        from django.conf import settings
        from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
        from django.utils import timezone

        from accreditation.models import Level
        from applicants.models import User
        from applicants.roles import user_privileges
        from applicants.staff_sessions import LAST_SEEN_SESSION_KEY, PRIVILEGES_SESSION_KEY
        from exams.models import TestCentre
        from exams.services import window_for_quarter

        self.round += 1
        level = Level.objects.get(code=LEVEL_CODE)
        centre = TestCentre.objects.create(name=f"Bench centre {self.round}", city="Bench", country="GB",
                                           address="1 Bench Road", time_zone="Europe/London", seats=seats)
        day = (timezone.now() + timedelta(days=60)).date()
        window = window_for_quarter(year=day.year, quarter=(day.month - 1) // 3 + 1)
        session_ids = []
        for index in range(sessions):
            session = centre.sessions.create(
                window=window, starts_at=centre.local_datetime(datetime.combine(day, clock(8 + index % 10, 0))),
                capacity=seats)
            session.levels.add(level)
            session_ids.append(session.pk)
        users = User.objects.bulk_create([
            User(email=f"candidate{self.round}-{index}@{BENCH_EMAIL_DOMAIN}", full_name=f"Bench Candidate {index}",
                 password="!") for index in range(clients)])
        # The configured engine, as a sign-in stores the session: its row and its Redis copy (the db engine wrote the
        # row only, so every candidate's first request read it from the database, which a signed-in one does not).
        session_store = import_module(settings.SESSION_ENGINE).SessionStore
        cookies = []
        for user in users:
            store = session_store()
            store[SESSION_KEY] = str(user.pk)
            store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
            store[HASH_SESSION_KEY] = user.get_session_auth_hash()
            # What a sign-in stores (applicants.staff_sessions): without it the first request of every
            # session rotates its key, three session writes a real candidate does not pay when booking.
            store[PRIVILEGES_SESSION_KEY] = user_privileges(user)[1]
            store[LAST_SEEN_SESSION_KEY] = time.time()
            store.create()
            cookies.append(store.session_key)
        return session_ids, cookies, level.pk

    def drive_round(self, *, clients: int, sessions: int, seats: int
                    ) -> tuple[list[float], list[int | None], list[int | None], float]:
        """Every client posts one booking at the same moment and follows a redirect: latencies (ms, until the
        page the candidate lands on), the posts' status codes, the followed pages' status codes, elapsed s."""
        from django.db import connections

        session_ids, cookies, level_id = self._round_data(clients=clients, sessions=sessions, seats=seats)
        connections.close_all()
        self.measured_sessions += session_ids
        origin = f"https://{HOST}:{self.port}"
        latencies: list[float] = [0.0] * clients
        codes: list[int | None] = [None] * clients
        followed: list[int | None] = []
        barrier = threading.Barrier(clients)

        def client(index: int) -> None:
            csrf = secrets.token_hex(16)  # 32 characters: Django accepts the unmasked secret as the token
            path = f"/exams/sessions/{session_ids[index % len(session_ids)]}/book/"
            headers = {"Content-Type": "application/x-www-form-urlencoded", "Origin": origin,
                       "Referer": origin + path, "Cookie": f"sessionid={cookies[index]}; csrftoken={csrf}"}
            body = urlencode({"csrfmiddlewaretoken": csrf, "level": level_id, "needs": ""})
            barrier.wait()
            began = time.perf_counter()
            try:
                codes[index], answer, _body = self.request(path, method="POST", body=body, headers=headers,
                                                           cookies=False)
                if codes[index] in (301, 302, 303):
                    followed.append(self._follow(answer, headers["Cookie"]))
            except OSError:
                codes[index] = None
            latencies[index] = (time.perf_counter() - began) * 1000

        threads = [threading.Thread(target=client, args=(index,)) for index in range(clients)]
        start, cpu, workers_cpu = time.perf_counter(), _cpu_seconds(), self.workers_cpu()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.client_cpu += _cpu_seconds() - cpu
        self.round_workers_cpu += self.workers_cpu() - workers_cpu
        return latencies, codes, followed, time.perf_counter() - start

    def _follow(self, answer, cookie: str) -> int | None:
        """GET the page a redirect points to, with the cookies the answer set (the message) added."""
        jar = dict(pair.split("=", 1) for pair in cookie.split("; "))
        for header in answer.get_all("Set-Cookie") or []:
            jar.update((name, morsel.value) for name, morsel in SimpleCookie(header).items())
        location = urlsplit(answer["Location"])
        try:
            return self.request(location.path + (f"?{location.query}" if location.query else ""), cookies=jar)[0]
        except OSError:
            return None

    def reset_counts(self) -> None:
        self.measured_sessions, self.client_cpu, self.round_workers_cpu = [], 0.0, 0.0

    def workers_cpu(self) -> float:
        """The gunicorn workers' CPU seconds so far, user and system (Linux /proc, like ``worker_memory``)."""
        children = Path(f"/proc/{self.gunicorn.pid}/task/{self.gunicorn.pid}/children")
        total = 0
        for pid in children.read_text().split() if children.exists() else []:
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:  # the worker was restarted meanwhile
                continue
            total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)
        return total / os.sysconf("SC_CLK_TCK")

    def counts(self) -> dict[str, int]:
        """Bookings and overbookings of the measured sessions, counted in the database."""
        from django.db.models import Count, Q

        from exams.models import BookingStatus, ExamSession

        sessions = ExamSession.objects.filter(pk__in=self.measured_sessions).annotate(
            booked=Count("bookings", filter=Q(bookings__status=BookingStatus.BOOKED)))
        return {
            "bookings": sum(session.booked for session in sessions),
            "overbookings": sum(max(session.booked - session.capacity, 0) for session in sessions),
            "seats": sum(session.capacity for session in sessions),
            "mismatches": sum(session.booked != session.seats_taken for session in sessions),
        }


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


if __name__ == "__main__":
    sys.exit(main())
