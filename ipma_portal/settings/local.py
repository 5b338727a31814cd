"""The configuration `make run` uses: a developer's machine, embedded services, mail on the console."""

import os

# A developer's machine and the suite may start the embedded PostgreSQL and Redis.
os.environ.setdefault("IPMA_EMBEDDED_SERVICES", "true")
os.environ.setdefault("SECRET_KEY", "local-development-only-not-secret")
os.environ.setdefault("DEBUG", "true")
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
