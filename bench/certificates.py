"""Certificate PDF rendering: milliseconds per certificate and certificates per second for a batch.

    .venv/bin/python bench/certificates.py [--count 500] [--processes 1]

Uses the configured DATABASE_URL / REDIS_URL, or the embedded servers when they are unset. The run
gets its own database (created, migrated, dropped at the end) and a temporary private-media folder.
It creates ``--count`` certificates (one name in five Chinese, the rest Latin with accents), renders
one first to load the fonts (reported apart as warm-up), then renders and stores every certificate's
PDF exactly as the Celery task does (``certificates.services.certificate_render``: WeasyPrint, the
QR code, saving the file, updating the row), split over ``--processes`` processes. The last line of
output is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.throwaway import reexec_with_services, throwaway_portal

REDIS_DB = 14
LATIN = ["Ada Lovelace", "José María Núñez", "Zoë Ødegaard", "Łukasz Żółkiewski", "Amara Okafor-Ndiaye",
         "François Dubois-Lefèvre", "Grace Hopper", "Siobhán Ní Bhriain"]
CHINESE = ["王小明", "李娜", "张伟", "陈静怡", "刘洋"]
LEVELS = ["AM", "PM", "SM", "MM"]


def _seed(count: int) -> list[int]:
    from dateutil.relativedelta import relativedelta
    from django.contrib.auth import get_user_model

    from accreditation.models import Level
    from certificates.models import Certificate
    from certificates.periods import today
    from certificates.services.issuing import _number

    levels = {level.code: level for level in Level.objects.all()}
    users = get_user_model().objects.bulk_create(
        get_user_model()(email=f"holder{index}@bench-certificates.example", password="!") for index in range(count + 1)
    )
    day = today()
    rows = []
    for index, user in enumerate(users):
        code = LEVELS[index % 4]
        name = CHINESE[index % len(CHINESE)] if index % 5 == 0 else LATIN[index % len(LATIN)]
        rows.append(Certificate(
            number=_number(code, day.year), level=levels[code], holder=user, legal_name=name,
            issued_on=day, valid_from=day, expires_on=day + relativedelta(years=5),
        ))
    return [certificate.pk for certificate in Certificate.objects.bulk_create(rows)]


def _render_all(ids: list[int]) -> list[float]:
    from django.db import connections

    from certificates.services import certificate_render

    connections.close_all()  # a forked process opens its own connection
    timings = []
    for certificate_id in ids:
        started = time.perf_counter()
        if not certificate_render(certificate_id=certificate_id):
            raise RuntimeError(f"certificate {certificate_id} was not rendered")
        timings.append((time.perf_counter() - started) * 1000)
    connections.close_all()
    return timings


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=500, help="certificates in the batch")
    parser.add_argument("--processes", type=int, default=1, help="rendering processes (Celery workers)")
    args = parser.parse_args()
    exit_code = reexec_with_services()
    if exit_code is not None:
        return exit_code

    with throwaway_portal("certificates", redis_db=REDIS_DB):
        from certificates.models import Certificate
        from certificates.services import certificate_render

        warmup_id, *ids = _seed(args.count)
        started = time.perf_counter()
        certificate_render(certificate_id=warmup_id)
        warmup_ms = (time.perf_counter() - started) * 1000
        print(f"Warm-up render (fonts loaded): {warmup_ms:.0f} ms; rendering {len(ids)} certificates "
              f"in {args.processes} process(es) ...", flush=True)

        chunks = [ids[index::args.processes] for index in range(args.processes)]
        started = time.perf_counter()
        if args.processes == 1:
            timings = _render_all(chunks[0])
        else:
            with multiprocessing.get_context("fork").Pool(args.processes) as pool:
                timings = [ms for chunk in pool.map(_render_all, chunks) for ms in chunk]
        elapsed = time.perf_counter() - started

        rendered = Certificate.objects.filter(pk__in=ids).exclude(pdf="")
        sizes = [certificate.pdf.size for certificate in rendered]
        if len(sizes) != len(ids):
            raise RuntimeError(f"only {len(sizes)} of {len(ids)} certificates have a PDF")

    cuts = statistics.quantiles(timings, n=20, method="inclusive")
    figures = {
        "certificates": len(ids),
        "processes": args.processes,
        "ms_per_certificate": round(statistics.fmean(timings), 1),
        "p50_ms": round(cuts[9], 1),
        "p95_ms": round(cuts[18], 1),
        "certificates_per_second": round(len(ids) / elapsed, 2),
        "total_seconds": round(elapsed, 1),
        "warmup_ms": round(warmup_ms, 1),
        "avg_pdf_kb": round(statistics.fmean(sizes) / 1024, 1),
    }
    print(f"{figures['certificates']} certificates in {figures['total_seconds']} s: "
          f"{figures['ms_per_certificate']} ms each (p50 {figures['p50_ms']}, p95 {figures['p95_ms']}), "
          f"{figures['certificates_per_second']} per second, {figures['avg_pdf_kb']} KB per PDF")
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
