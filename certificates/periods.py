"""Certificate periods are counted in calendar days of UTC, the same for every viewer and every job."""

import datetime

from django.utils import timezone


def today() -> datetime.date:
    """The portal's date for certificates: UTC, whatever time zone the viewer's request activated."""
    return timezone.now().astimezone(datetime.UTC).date()


def add_years(day: datetime.date, years: int) -> datetime.date:
    """The same day ``years`` later; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)
