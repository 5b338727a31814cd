"""The configuration `make run` uses: a developer's machine, embedded services, mail on the console."""

import os

os.environ.setdefault("SECRET_KEY", "local-development-only-not-secret")
os.environ.setdefault("DEBUG", "true")

from .base import *  # noqa: F403
from .base import STORAGES

# Unhashed static files so runserver needs no collectstatic.
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
WHITENOISE_AUTOREFRESH = True
