"""The test suite: always PostgreSQL, real Redis; mail kept in memory."""

import os

# A developer's machine and the suite may start the embedded PostgreSQL and Redis.
os.environ.setdefault("IPMA_EMBEDDED_SERVICES", "true")
os.environ.setdefault("SECRET_KEY", "test-only-not-secret")
os.environ.setdefault("MFA_ENCRYPTION_KEY", "test-only-mfa-key")

from .base import *  # noqa: F403
from .base import DATABASES, STORAGES, env

# Several suites can share one server: each names its own test database.
DATABASES["default"]["TEST"] = {"NAME": env.str("TEST_DATABASE_NAME", default="test_ipma")}
DATABASES["default"]["CONN_MAX_AGE"] = 0
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
ACCOUNT_RATE_LIMITS = {"login_failed": "5/5m/key"}
OUTBOX_SWEEP_GRACE_SECONDS = 0
WHITENOISE_AUTOREFRESH = True

# Parallel suites on one Redis keep their Celery queues apart by database number: one per pytest-xdist worker
# (gw0 -> 1, gw1 -> 2, ...), counted from an explicit TEST_REDIS_DB when one is given (gw0 -> N, gw1 -> N + 1):
# two workers sharing a database would see each other's reference versions change in the middle of a test.
_xdist_worker = env.str("PYTEST_XDIST_WORKER", default="")
_worker_index = int(_xdist_worker[2:]) if _xdist_worker else 0
_base_db = env.str("TEST_REDIS_DB", default="")
_redis_db = (str((int(_base_db) + _worker_index) % 16) if _base_db
             else (str(_worker_index + 1) if _xdist_worker else ""))
if _redis_db:
    from urllib.parse import urlsplit, urlunsplit

    from .base import CACHES, CELERY_BROKER_URL

    CELERY_BROKER_URL = CELERY_BROKER_URL.rsplit("/", 1)[0] + f"/{_redis_db}"
    # The Redis caches too (reference versions, rate limits), in a database of their own (emptying a cache
    # empties its database, which must not take the queue): a test that empties its cache, or resets the
    # reference data, must not pull the versions from under a test running on the other worker.
    _cache_db = (int(_redis_db) + 8) % 16
    for _cache in CACHES.values():
        if str(_cache.get("LOCATION", "")).startswith(("redis://", "rediss://")):
            _cache["LOCATION"] = urlunsplit(urlsplit(_cache["LOCATION"])._replace(path=f"/{_cache_db}"))

# seed_demo's accounts (see local.py).
DEMO_PASSWORD = "demo-mentor-2026"
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"

# A test that computes a TOTP code and posts it may cross a 30-second boundary under load: accept the
# neighbouring window here (production keeps allauth's default of the current window only).
MFA_TOTP_TOLERANCE = 1
# The committee figures are computed on every view in tests (tests/insights enable the keeping where they test it).
INSIGHTS_CACHE_SECONDS = 0
# Public pages are rendered on every request in tests, so that their query counts measure the page; the tests of
# the keeping (tests/test_public_cache.py) and the browser journeys turn it on.
PUBLIC_PAGE_CACHE_SECONDS = 0
# Likewise the dashboard's panels (tests/applicants/test_dashboard_cache.py and the browser journeys keep them).
DASHBOARD_CACHE_SECONDS = 0
