"""A newsletter mailing to 100,000 confirmed subscribers: time to queue it, queries per batch, and a second run.

    .venv/bin/python bench/newsletter.py [--subscribers 100000] [--batch-size 1000]

Uses the configured DATABASE_URL / REDIS_URL, or the embedded servers when they are unset. The run gets its
own database (created, migrated, dropped at the end) and Redis database number (the outbox hands each message
to Celery there; emptied at the end); no worker sends anything.

The subscribers are inserted in one INSERT ... SELECT (plus some unconfirmed and unsubscribed addresses that
must receive nothing). A staff member starts the mailing, and its batches are run one after another as the
Celery task would run them, each counted separately: the queries of a batch must not depend on its size.
Then the mailing is put back to its start and run again, as a redelivered task or a second beat would: it
must queue nothing. The last line of output is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.throwaway import reexec_with_services, throwaway_portal

REDIS_DB = 12

SUBSCRIBERS_SQL = """
INSERT INTO publications_subscriber
    (email, language, status, requested_at, consent_at, consent_source, unsubscribed_at, unsubscribe_source)
SELECT 'reader' || n || '@bench-newsletter.example', CASE WHEN n %% 5 = 0 THEN 'zh-hans' ELSE 'en' END,
       %(status)s, now(), now(), 'bench', NULL, ''
FROM generate_series(%(first)s, %(last)s) AS n
"""


class QueryCounter:
    def __init__(self):
        self.total = 0

    def __call__(self, execute, sql, params, many, context):
        self.total += 1
        return execute(sql, params, many, context)


def _seed(count: int) -> float:
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(SUBSCRIBERS_SQL, {"status": "confirmed", "first": 1, "last": count})
        cursor.execute(SUBSCRIBERS_SQL, {"status": "pending", "first": count + 1, "last": count + 500})
        cursor.execute(SUBSCRIBERS_SQL, {"status": "unsubscribed", "first": count + 501, "last": count + 1000})
        cursor.execute("ANALYZE")
    return time.perf_counter() - started


def _run_batches(mailing_id: int, batch_size: int) -> dict:
    from django.db import connection

    from publications.services import mailing_send_batch

    per_batch, queued, started = [], 0, time.perf_counter()
    while True:
        counter = QueryCounter()
        with connection.execute_wrapper(counter):
            count = mailing_send_batch(mailing_id=mailing_id, batch_size=batch_size)
        queued += count
        if count == 0 and per_batch:
            break
        per_batch.append(counter.total)
        if count < batch_size:
            break
    return {"seconds": round(time.perf_counter() - started, 2), "batches": len(per_batch),
            "queries_per_batch_min": min(per_batch), "queries_per_batch_max": max(per_batch),
            "processed": queued}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscribers", type=int, default=100_000)
    parser.add_argument("--batch-size", type=int, default=1000)
    args = parser.parse_args()
    exit_code = reexec_with_services()
    if exit_code is not None:
        return exit_code

    with throwaway_portal("newsletter", redis_db=REDIS_DB):
        from django.template.loader import get_template

        from notifications.models import OutboxMessage
        from publications.models import Mailing
        from publications.services import mailing_start

        seed_seconds = _seed(args.subscribers)
        print(f"Seeded {args.subscribers} confirmed subscribers (and 1,000 others) in {seed_seconds:.1f} s",
              flush=True)
        get_template("publications/email/mailing_message.txt")
        mailing = Mailing.objects.create(subject="Connect, issue 12", body="Our new issue is out.")
        mailing_start(mailing=mailing, actor=None)

        first = _run_batches(mailing.pk, args.batch_size)
        messages_first = OutboxMessage.objects.filter(key__startswith=f"newsletter:{mailing.pk}:").count()
        print(f"run 1: {messages_first} messages queued in {first['seconds']} s, {first['batches']} batches, "
              f"{first['queries_per_batch_min']}-{first['queries_per_batch_max']} queries per batch", flush=True)

        # The same mailing again from the start, as a redelivered task or a second beat would run it.
        Mailing.objects.filter(pk=mailing.pk).update(status=Mailing.Status.SENDING, cursor=0)
        second = _run_batches(mailing.pk, args.batch_size)
        messages_second = OutboxMessage.objects.filter(key__startswith=f"newsletter:{mailing.pk}:").count()
        print(f"run 2: {messages_second - messages_first} new messages in {second['seconds']} s")

    print(json.dumps({
        "subscribers": args.subscribers, "batch_size": args.batch_size, "seed_seconds": round(seed_seconds, 1),
        "enqueue_seconds": first["seconds"], "messages": messages_first, "batches": first["batches"],
        "queries_per_batch_min": first["queries_per_batch_min"],
        "queries_per_batch_max": first["queries_per_batch_max"],
        "second_run_new_messages": messages_second - messages_first, "second_run_seconds": second["seconds"],
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
