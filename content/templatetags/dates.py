"""Dates written out with the weekday or the month's name, and time-zone names, in the language in use.

Django's ``date`` filter takes a pattern or the name of one of its format settings. A pattern such as "l j F Y"
reads well in English only (in Chinese it gives "星期日 14 二月 2027"), and no format setting names a form with
the weekday, so these filters pick the pattern by language. Short dates stay with ``date:"DATE_FORMAT"``.
"""

import datetime
from functools import cache

from django import template
from django.utils import dateformat, translation

from applicants.models import time_zone_choices

register = template.Library()

# English keeps the look the pages had; Chinese writes year, month and day first and the weekday after them.
PATTERNS = {
    "en": {
        "long_date": "l j F Y",  # Sunday 14 February 2027
        "long_datetime": "l j F Y, H:i",  # Sunday 14 February 2027, 09:00
        "medium_datetime": "D j M Y, H:i",  # Sun 14 Feb 2027, 09:00
        "formal_date": "j F Y",  # 14 February 2027
    },
    "zh-hans": {
        "long_date": "Y年n月j日 l",  # 2027年2月14日 星期日
        "long_datetime": "Y年n月j日 l H:i",  # 2027年2月14日 星期日 09:00
        "medium_datetime": "Y年n月j日 D H:i",  # 2027年2月14日 星期日 09:00
        "formal_date": "Y年n月j日",  # 2027年2月14日
    },
}
# The argument that adds the time zone's abbreviation ("09:00 AEDT"): ``{{ value|long_datetime:"zone" }}``.
WITH_ZONE = "zone"


def date_written(value: datetime.date | datetime.datetime | None, name: str, zone: str = "") -> str:
    """``value`` in the pattern ``name`` of the active language (English for a language without one)."""
    if value in (None, ""):
        return ""
    patterns = PATTERNS.get(translation.get_language(), PATTERNS["en"])
    pattern = patterns[name] + (" T" if zone == WITH_ZONE else "")
    return dateformat.format(value, pattern)


@register.filter(expects_localtime=True)
def long_date(value, zone: str = "") -> str:
    return date_written(value, "long_date", zone)


@register.filter(expects_localtime=True)
def long_datetime(value, zone: str = "") -> str:
    return date_written(value, "long_datetime", zone)


@register.filter(expects_localtime=True)
def medium_datetime(value, zone: str = "") -> str:
    return date_written(value, "medium_datetime", zone)


@register.filter(expects_localtime=True)
def formal_date(value) -> str:
    return date_written(value, "formal_date")


@cache
def _zone_labels() -> dict[str, str]:
    return dict(time_zone_choices())


@register.filter
def zone_name(name: str) -> str:
    """A tz database name as the profile's time-zone choices show it: "Asia/Hong Kong" for "Asia/Hong_Kong"."""
    return _zone_labels().get(str(name), str(name))
