"""What the rows of a long list show, at a cost paid once per page or per process rather than once per row.

    {% load list_rows %}
    {% row_url "applicants:hours_update" as edit_url %}          (before the loop)
    <a href="{{ edit_url|row_key:entry.pk }}">                   (in it)
    {{ entry|display:"status" }}                                 (as {{ entry.get_status_display }})
    {{ entry.started_on|row_date }}                              (as |date:"DATE_FORMAT")

``{% url %}`` resolves the whole pattern again for every row; here it is reversed once with a marker where
the row's key goes, and each row only puts its key in. ``get_FOO_display()`` builds a dictionary of every
choice, translating each label to hash it, for every row; ``display`` looks the label up in one built once
per process, field and language (choices are code, not data: they change only with a deployment).
``row_date`` formats each day once per process and language (a list's rows share few days, and the
formatting walks the format string and translates the month's name every time).
"""

import datetime
from functools import lru_cache
from urllib.parse import quote

from django.db.models import Field
from django.template import Library
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.http import RFC3986_SUBDELIMS
from django.utils.translation import get_language

register = Library()

# Digits, so that an ``<int:...>`` converter accepts it as well as ``<str:...>``; long enough never to be
# part of the rest of a path.
ROW_KEY = "9081726354"


@register.simple_tag
def row_url(viewname: str, *args) -> str:
    """The URL of ``viewname`` with ``args`` and then the row's key (put in by ``row_key``)."""
    return reverse(viewname, args=[*args, ROW_KEY])


@register.filter
def row_key(url: str, key) -> str:
    """The row's link: a key the pattern's converter accepts (a number, or text without a slash for ``str``)."""
    # Quoted as reverse() quotes an argument, so the link is the one {% url %} would have built.
    return url.replace(ROW_KEY, quote(str(key), safe=RFC3986_SUBDELIMS + "/~:@"), 1)


@lru_cache(maxsize=256)
def _choice_labels(field: Field, language: str | None) -> dict:
    return {value: str(label) for value, label in field.flatchoices}


@register.filter
def display(instance, field_name: str) -> str:
    """The label of the instance's choice in ``field_name``, as ``get_<field_name>_display()`` gives it."""
    field = instance._meta.get_field(field_name)
    value = getattr(instance, field.attname)
    return _choice_labels(field, get_language()).get(value, value)


@lru_cache(maxsize=4096)
def _formatted_day(day: datetime.date, language: str | None) -> str:
    return date_format(day, "DATE_FORMAT")


@register.filter(expects_localtime=True)
def row_date(value) -> str:
    """The day of a date or (already in the viewer's time zone) a date and time, as ``date:"DATE_FORMAT"``."""
    if not value:
        return ""
    day = value.date() if isinstance(value, datetime.datetime) else value
    return _formatted_day(day, get_language())
