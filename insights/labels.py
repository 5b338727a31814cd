"""How figures name things: countries by name, months and quarters in the reader's language."""

import datetime
import functools

from django.utils import formats, translation
from django.utils.translation import gettext as _
from django_countries import countries


def country_name(code: str | None) -> str:
    if not code:
        return _("Not given")
    return _country_name(code, translation.get_language())


@functools.lru_cache(maxsize=2048)
def _country_name(code: str, language: str | None) -> str:
    # django-countries looks a name up through several translations each time; a figure names hundreds of rows.
    return str(countries.name(code)) or code


def month_label(value: datetime.date | datetime.datetime | None) -> str:
    return formats.date_format(value, "YEAR_MONTH_FORMAT") if value else _("Not given")


def quarter_label(year: int, quarter: int) -> str:
    return _("%(year)s Q%(quarter)s") % {"year": year, "quarter": quarter}
