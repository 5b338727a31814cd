"""One renewal-reminder run over 100,000 certificates: how long it takes and how many queries it makes.

    .venv/bin/python bench/reminders.py [--certificates 100000] [--batch-size 1000] [--cold]

Uses the configured DATABASE_URL / REDIS_URL, or the embedded servers when they are unset. The run
gets its own database (created, migrated, dropped at the end) and Redis database number (the outbox
hands each message to Celery there; emptied at the end).

Seeding: one holder per four certificates (one per level), bulk-inserted in batches, and the
certificates in one INSERT ... SELECT from generate_series, their expiry dates spread evenly over the
next five years (about 55 a day). By default the reminders a daily beat would already have sent
before today are recorded too, so the measured run is an ordinary day's (``--cold``: the first run
ever, which catches up on every certificate inside a reminder window). The run is measured twice:
the second one shows that a repeated run sends nothing. The last line of output is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.throwaway import reexec_with_services, throwaway_portal

REDIS_DB = 13
USER_BATCH = 5000

CERTIFICATES_SQL = """
INSERT INTO certificates_certificate
    (number, kind, level_id, programme_name, legal_name, holder_id, organization_id, organization_name,
     issued_on, valid_from, expires_on, status, status_changed_at, previous_id, source, revocation_reason,
     pdf, pdf_rendered_at, badge_salt, created_at)
SELECT 'IPMA-' || level.code || '-BENCH-' || lpad(n::text, 7, '0'), 'individual', level.id, '',
       'Holder ' || n, holder.id, NULL, '',
       expires - interval '5 years', expires - interval '5 years', expires, 'active', now(), NULL, '', '',
       '', NULL, md5(n::text), now()
FROM (SELECT n, (%(today)s::date + 1 + (n * 1825 / %(count)s)) AS expires FROM generate_series(0, %(count)s - 1) AS n) AS s
JOIN (SELECT id, row_number() OVER (ORDER BY id) - 1 AS position FROM applicants_user
      WHERE email LIKE '%%@bench-reminders.example') AS holder ON holder.position = s.n / 4
JOIN (SELECT id, code, row_number() OVER (ORDER BY rank) - 1 AS position FROM accreditation_level) AS level
      ON level.position = s.n %% 4
"""

# What a daily beat sent before today: each certificate already inside a window got that window's reminder.
SENT_BEFORE_SQL = """
INSERT INTO certificates_renewalreminder (certificate_id, days_before, created_at)
SELECT id, %(days)s, now() FROM certificates_certificate
WHERE status = 'active' AND expires_on > %(today)s::date + %(next_days)s AND expires_on < %(today)s::date + %(days)s
"""


def _seed(count: int, *, cold: bool) -> float:
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connection

    from certificates.periods import today
    from certificates.services.notices import reminder_windows

    started = time.perf_counter()
    user_model = get_user_model()
    holders = (count + 3) // 4
    for first in range(0, holders, USER_BATCH):
        user_model.objects.bulk_create(
            user_model(email=f"holder{index}@bench-reminders.example", full_name=f"Holder {index}", password="!")
            for index in range(first, min(first + USER_BATCH, holders))
        )
    with connection.cursor() as cursor:
        cursor.execute(CERTIFICATES_SQL, {"today": today(), "count": count})
        if not cold:
            for days, next_days in reminder_windows(settings.CERTIFICATES_REMINDER_DAYS):
                cursor.execute(SENT_BEFORE_SQL, {"today": today(), "days": days, "next_days": next_days})
        cursor.execute("ANALYZE")
    return time.perf_counter() - started


def _warm_up() -> None:
    """Load what any long-running worker has loaded after its first task: every URL module (the mail
    templates reverse URLs) and the templates; a cold import would be counted as the job's time."""
    from django.template.loader import get_template
    from django.urls import reverse

    reverse("certificates:verify")
    for part in ("subject", "message"):
        get_template(f"certificates/email/renewal_reminder_{part}.txt")


class QueryCounter:
    """Counts every statement sent on the connection (no log kept, so no cap on long runs)."""

    def __init__(self):
        self.total = 0
        self.outbox = 0

    def __call__(self, execute, sql, params, many, context):
        self.total += 1
        if "notifications_outboxmessage" in sql or sql.startswith(("SAVEPOINT", "RELEASE")):
            self.outbox += 1
        return execute(sql, params, many, context)


def _measured_run(batch_size: int) -> dict:
    from django.db import connection

    from certificates.services import renewal_reminders_send

    counter = QueryCounter()
    with connection.execute_wrapper(counter):
        started = time.perf_counter()
        sent = renewal_reminders_send(batch_size=batch_size)
        elapsed = time.perf_counter() - started
    return {"reminders_sent": sent, "run_ms": round(elapsed * 1000, 1), "queries": counter.total,
            "queries_outbox": counter.outbox, "queries_job": counter.total - counter.outbox}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--certificates", type=int, default=100_000)
    parser.add_argument("--batch-size", type=int, default=1000)
    parser.add_argument("--cold", action="store_true", help="no reminders sent before: the first run ever")
    args = parser.parse_args()
    exit_code = reexec_with_services()
    if exit_code is not None:
        return exit_code

    with throwaway_portal("reminders", redis_db=REDIS_DB):
        from certificates.models import Certificate, RenewalReminder

        seed_seconds = _seed(args.certificates, cold=args.cold)
        seeded = Certificate.objects.count()
        print(f"Seeded {seeded} certificates in {seed_seconds:.1f} s "
              f"({RenewalReminder.objects.count()} earlier reminders recorded)", flush=True)
        _warm_up()
        first = _measured_run(args.batch_size)
        second = _measured_run(args.batch_size)

    print(f"run 1: {first['reminders_sent']} reminders in {first['run_ms']} ms, {first['queries']} queries "
          f"({first['queries_job']} by the job in batches of {args.batch_size}, {first['queries_outbox']} by the "
          f"outbox, about 4 per message)")
    print(f"run 2: {second['reminders_sent']} reminders in {second['run_ms']} ms, {second['queries']} queries")
    print(json.dumps({"certificates": seeded, "cold": args.cold, "batch_size": args.batch_size,
                      "seed_seconds": round(seed_seconds, 1), **first, "second_run": second}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
