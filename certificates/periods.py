"""Certificate periods are counted in calendar days of UTC, the same for every viewer and every job."""

import datetime

from django.utils import timezone


def today() -> datetime.date:
    """The portal's date for certificates: UTC, whatever time zone the viewer's request activated."""
    return timezone.now().astimezone(datetime.UTC).date()

