"""Production settings plus the benchmark's constant view; only bench/pages.py runs with these."""

from ipma_portal.settings.base import env
from ipma_portal.settings.production import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
# Each run collects static files into its own temporary folder, never into the checkout.
STATIC_ROOT = env.path("BENCH_STATIC_ROOT")
