"""The configuration `make run` uses: a developer's machine, embedded services, mail on the console."""

import os

# A developer's machine and the suite may start the embedded PostgreSQL and Redis.
os.environ.setdefault("IPMA_EMBEDDED_SERVICES", "true")
os.environ.setdefault("SECRET_KEY", "local-development-only-not-secret")
os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("MFA_ENCRYPTION_KEY", "local-development-only-mfa-key")
# payments: the clearly labelled demo provider lets a person finish the whole journey offline.
os.environ.setdefault("PAYMENTS_DEMO_PROVIDER", "true")
os.environ.setdefault(
    "PAYMENTS_BANK_TRANSFER_DETAILS",
    "DEMO ONLY - not a real account. Bank: Example Bank; IBAN: XX00 0000 0000 0000; SWIFT: EXAMPLEX",
)

from .base import *  # noqa: F403
from .base import STORAGES

# Unhashed static files so runserver needs no collectstatic.
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
WHITENOISE_AUTOREFRESH = True

# The demo accounts of `make demo` (seed_demo): their published password and the staff's shared
# TOTP secret exist only here and in the test settings, so seed_demo cannot run anywhere else.
DEMO_PASSWORD = "demo-mentor-2026"
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
