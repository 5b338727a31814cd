"""Each committee figure's cost on the large data set: the figures of ``/admin/insights/`` computed one by one.

    .venv/bin/python bench/insights.py [--scale 1.0] [--rounds 3]

Builds the demo data and bench/scale.py's busy body on a throw-away database, then computes every figure
of the insights page with the page's default filters (the last twelve months, every level and country)
and with a level and a country, nothing kept (``INSIGHTS_CACHE_SECONDS`` does not apply here). Prints each
figure's best time of ``--rounds`` and the total, slowest first; the last line is JSON. The page itself,
kept and computed, is measured by ``bench/pages.py --pages constant,insights``.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="size of the data set (1.0 = issue 17's busy body)")
    parser.add_argument("--rounds", type=int, default=3, help="each figure is computed this many times; the best counts")
    args = parser.parse_args()

    from bench.throwaway import reexec_with_services, throwaway_portal

    code = reexec_with_services()
    if code is not None:
        return code
    os.environ.setdefault("MFA_ENCRYPTION_KEY", secrets.token_urlsafe(32))
    with throwaway_portal("insights", redis_db=13):
        from django.core.management import call_command
        from django.test import override_settings

        from bench.scale import DEMO_SECRETS, seed_scale

        with override_settings(**DEMO_SECRETS), open(os.devnull, "w") as quiet:
            call_command("seed_demo", stdout=quiet)
        counts = seed_scale(scale=args.scale)
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

        from insights.figures import FIGURES
        from insights.forms import InsightsFilterForm

        runs = {
            "default": InsightsFilterForm({}).filters(),
            "level_country": InsightsFilterForm({"level": "AM", "country": "NG"}).filters(),
        }
        results = {}
        for run_name, filters in runs.items():
            times = {}
            for key, figure in FIGURES.items():
                best = None
                for _round in range(args.rounds):
                    started = time.perf_counter()
                    figure(filters)
                    elapsed = (time.perf_counter() - started) * 1000
                    best = elapsed if best is None else min(best, elapsed)
                times[key] = round(best, 1)
            results[run_name] = {"total_ms": round(sum(times.values()), 1), "figures_ms": times}
            print(f"\n{run_name}: {sum(times.values()):.0f} ms for {len(times)} figures")
            for key, ms in sorted(times.items(), key=lambda item: -item[1]):
                print(f"  {key:<32}{ms:>9.1f} ms")
    print(json.dumps({"scale": args.scale, "rows": counts, "rounds": args.rounds, **results}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
