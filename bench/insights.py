"""Each committee figure's cost on the large data set, and the committee page computed from scratch.

    .venv/bin/python bench/insights.py [--scale 1.0] [--rounds 3] [--page-runs 10]

Builds the demo data and bench/scale.py's busy body on a throw-away database, then computes every figure
of the insights page with the page's default filters (the last twelve months, every level and country)
and with a level and a country, nothing kept (``INSIGHTS_CACHE_SECONDS`` does not apply here). Prints each
figure's best time of ``--rounds`` and the total, slowest first. Then the page's view itself (every figure
computed, its charts and tables written, the template rendered: ``INSIGHTS_CACHE_SECONDS=0``) as the demo
reviewer, in this process, ``--page-runs`` times: its p50 and mean. The last line is JSON. Over HTTP, kept and
computed, the page is measured by ``bench/pages.py --pages constant,insights``.
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
    parser.add_argument("--page-runs", type=int, default=10, help="the computed page is rendered this many times")
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
        results["page"] = _page_times(args.page_runs)
        print(f"\ncomputed page: p50 {results['page']['p50_ms']} ms, mean {results['page']['mean_ms']} ms "
              f"over {args.page_runs} runs ({results['page']['kb']} KB)")
    print(json.dumps({"scale": args.scale, "rows": counts, "rounds": args.rounds, **results}))
    return 0


def _page_times(runs: int) -> dict:
    """The committee page's view as the demo reviewer, nothing kept: every figure computed on every run."""
    import statistics

    from django.contrib.auth import get_user_model
    from django.test import RequestFactory, override_settings

    from insights.views import _committee_view

    request = RequestFactory().get("/admin/insights/")
    request.user = get_user_model().objects.get(email="reviewer@ipma.example")
    times, size = [], 0
    with override_settings(INSIGHTS_CACHE_SECONDS=0):
        _committee_view(request)  # warm the reference data, templates and connections
        for _run in range(runs):
            started = time.perf_counter()
            size = len(_committee_view(request).content)
            times.append((time.perf_counter() - started) * 1000)
    return {"p50_ms": round(statistics.median(times), 1), "mean_ms": round(statistics.fmean(times), 1),
            "runs": runs, "kb": round(size / 1024, 1)}


if __name__ == "__main__":
    sys.exit(main())
