"""Production settings plus the benchmark's constant view; only bench/pages.py runs with these."""

from ipma_portal.settings.base import env
from ipma_portal.settings.production import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
# Each run collects static files into its own temporary folder, never into the checkout.
STATIC_ROOT = env.path("BENCH_STATIC_ROOT")

# The demo accounts exist on the benchmark's throw-away database only; it signs in as them.
from bench.scale import DEMO_SECRETS  # noqa: E402

DEMO_PASSWORD = DEMO_SECRETS["DEMO_PASSWORD"]
DEMO_TOTP_SECRET = DEMO_SECRETS["DEMO_TOTP_SECRET"]
