"""Event registration under contention: many people registering for a few places at once, under gunicorn.

    .venv/bin/python bench/events.py [--clients 500] [--places 100] [--workers 4] [--seconds 4]

Uses the configured DATABASE_URL / REDIS_URL, or the embedded servers when they are unset (and stops
again whatever embedded server it had to start). The run gets its own database (created, migrated,
dropped at the end) and Redis database number, through bench/pages.py's harness.

One free published webinar with ``--places`` places and ``--clients`` new people, each signed in with a
session of their own; every client posts one registration at the same moment. Those who get a place are
confirmed, the others join the waiting list. Afterwards the database is counted: places taken (must equal
``--places``), confirmed registrations, overbookings (must be 0). The constant view is driven in the same
run as the yardstick. The last line of output is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.pages import CONSTANT, HOST, BenchRun, Sample, _with_path  # noqa: E402

BENCH_EMAIL_DOMAIN = "bench-events.example"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=500, help="people registering at the same moment")
    parser.add_argument("--places", type=int, default=100, help="places of the event")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--seconds", type=float, default=4.0, help="seconds the constant view is driven")
    args = parser.parse_args()

    if not (os.environ.get("DATABASE_URL") and os.environ.get("REDIS_URL")):
        from ipma_portal import embedded

        return embedded.main(["exec", "--", sys.executable, str(Path(__file__).resolve()), *sys.argv[1:]])

    sample, constant, statuses = Sample(), Sample(), {}
    with EventsRun(os.environ["DATABASE_URL"], os.environ["REDIS_URL"], workers=args.workers) as run:
        run.drive_round(clients=20, places=5)  # warm the workers up
        latencies, codes, elapsed = run.drive_round(clients=args.clients, places=args.places)
        sample.add(latencies, sum(1 for code in codes if code != 302), elapsed)
        for code in codes:
            statuses[str(code)] = statuses.get(str(code), 0) + 1
        constant.add(*run.drive(CONSTANT, seconds=args.seconds, clients=4))
        counts = run.counts()
    figures, yardstick = sample.figures(), constant.figures()
    result = {
        "places_taken": counts["places_taken"], "confirmed": counts["confirmed"], "waitlisted": counts["waitlisted"],
        "overbookings": max(counts["confirmed"] - args.places, 0), "errors": figures["errors"],
        "rps": figures["rps"], "p50_ms": figures["p50_ms"], "p95_ms": figures["p95_ms"],
        "constant_rps": yardstick["rps"], "constant_p50_ms": yardstick["p50_ms"],
        "constant_p95_ms": yardstick["p95_ms"], "clients": args.clients, "places": args.places,
        "workers": args.workers, "statuses": statuses,
    }
    print(f"\n{args.clients} clients registering for {args.places} places on {args.workers} gunicorn workers")
    print(f"places taken {result['places_taken']}, confirmed {result['confirmed']}, waiting "
          f"{result['waitlisted']}, errors {result['errors']}, {result['rps']} requests/s, p50 {result['p50_ms']} ms, "
          f"p95 {result['p95_ms']} ms (constant view: {result['constant_rps']} requests/s, "
          f"p50 {result['constant_p50_ms']} ms)")
    print(json.dumps(result))
    healthy = (result["places_taken"] == result["confirmed"] == args.places and not result["errors"]
               and result["confirmed"] + result["waitlisted"] == args.clients)
    return 0 if healthy else 1


class EventsRun(BenchRun):
    """bench/pages.py's throw-away database and gunicorn, with people signed in by session cookie."""

    def __init__(self, database_url: str, redis_url: str, *, workers: int):
        super().__init__(database_url, redis_url, workers=workers)
        self.database_name = f"bench_events_{os.getpid()}_{int(time.time())}"
        self.database_url = _with_path(database_url, f"/{self.database_name}")
        self.round = 0
        self.event_id: int | None = None

    def _login(self) -> None:
        """Each person gets a session of their own in ``drive_round``; nobody logs in here."""

    def _round_data(self, *, clients: int, places: int) -> tuple[str, list[str]]:
        from datetime import timedelta
        from decimal import Decimal

        from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
        from django.contrib.sessions.backends.db import SessionStore
        from django.utils import timezone

        from applicants.models import User
        from events.models import Event, EventKind, EventStatus

        self.round += 1
        start = timezone.now() + timedelta(days=30)
        event = Event.objects.create(kind=EventKind.WEBINAR, slug=f"bench-webinar-{self.round}",
                                     title=f"Bench webinar {self.round}", starts_at=start,
                                     ends_at=start + timedelta(hours=1), capacity=places, pdu_value=Decimal("1"),
                                     status=EventStatus.PUBLISHED)
        self.event_id = event.pk
        users = User.objects.bulk_create([
            User(email=f"person{self.round}-{index}@{BENCH_EMAIL_DOMAIN}", full_name=f"Bench Person {index}",
                 password="!") for index in range(clients)])
        cookies = []
        for user in users:
            store = SessionStore()
            store[SESSION_KEY] = str(user.pk)
            store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
            store[HASH_SESSION_KEY] = user.get_session_auth_hash()
            store.create()
            cookies.append(store.session_key)
        return event.slug, cookies

    def drive_round(self, *, clients: int, places: int) -> tuple[list[float], list[int | None], float]:
        """Every client posts one registration at the same moment; latencies (ms), status codes, elapsed s."""
        from django.db import connections

        slug, cookies = self._round_data(clients=clients, places=places)
        connections.close_all()
        origin = f"https://{HOST}:{self.port}"
        path = f"/events/{slug}/register/"
        latencies: list[float] = [0.0] * clients
        codes: list[int | None] = [None] * clients
        barrier = threading.Barrier(clients)

        def client(index: int) -> None:
            csrf = secrets.token_hex(16)  # 32 characters: Django accepts the unmasked secret as the token
            headers = {"Content-Type": "application/x-www-form-urlencoded", "Origin": origin,
                       "Referer": origin + path, "Cookie": f"sessionid={cookies[index]}; csrftoken={csrf}"}
            body = urlencode({"csrfmiddlewaretoken": csrf})
            barrier.wait()
            began = time.perf_counter()
            try:
                codes[index] = self.request(path, method="POST", body=body, headers=headers, cookies=False)[0]
            except OSError:
                codes[index] = None
            latencies[index] = (time.perf_counter() - began) * 1000

        threads = [threading.Thread(target=client, args=(index,)) for index in range(clients)]
        start = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return latencies, codes, time.perf_counter() - start

    def counts(self) -> dict[str, int]:
        """Places and registrations of the measured event, counted in the database."""
        from events.models import Event, RegistrationStatus

        event = Event.objects.get(pk=self.event_id)
        registrations = event.registrations
        return {
            "places_taken": event.places_taken,
            "confirmed": registrations.filter(status=RegistrationStatus.CONFIRMED).count(),
            "waitlisted": registrations.filter(status=RegistrationStatus.WAITLISTED).count(),
        }


if __name__ == "__main__":
    sys.exit(main())
