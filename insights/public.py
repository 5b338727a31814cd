"""Accreditation in numbers: public counts, each an SQL aggregate, small counts suppressed.

The counts are kept in the shared cache per day for ``INSIGHTS_PUBLIC_CACHE_SECONDS`` under the version of
``NUMBERS``, which any saved certificate, profile, programme accreditation or QTSP bumps: a change made through
the portal shows at once, one made behind its back (a bulk update) within the expiry.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.db.models import Count, F
from django.utils import timezone
from django.utils.translation import gettext as _

from accreditation.models import Level
from accreditation.selectors import levels_in_order
from certificates.models import CertificateKind
from certificates.selectors import certificates_active
from insights.labels import country_name
from ipma_portal.reference_cache import CACHE_ALIAS, ReferenceData
from organizations.models import ProgrammeApplication
from partners.models import QTSP

# Tile colours by band of mentors (light to dark), each with a text colour readable on it (4.5:1 or more).
BANDS = (
    (0, "#f1f3f5", "#212529"),
    (1, "#d0e2f7", "#212529"),  # fewer than the minimum: the tile says so, not the number
    (5, "#8db7ea", "#212529"),
    (20, "#2f6fc4", "#ffffff"),
    (50, "#173f7a", "#ffffff"),
)
TILE_W, TILE_H, TILE_GAP, TILES_PER_ROW = 64, 44, 6, 10


def minimum() -> int:
    return settings.INSIGHTS_PUBLIC_MINIMUM_COUNT


def shown(count: int) -> str:
    """A count as the public page prints it: below the minimum (but not zero) only "fewer than N"."""
    if 0 < count < minimum():
        return _("fewer than %(minimum)s") % {"minimum": minimum()}
    return str(count)


@dataclass(frozen=True)
class CountryRow:
    code: str
    name: str
    mentors: str
    programmes: str
    qtsps: str
    mentor_count: int  # for the map's colour band only; never printed when below the minimum


@dataclass(frozen=True)
class Tile:
    code: str
    name: str
    label: str
    x: int
    y: int
    fill: str
    text: str


def _mentors():
    return certificates_active().filter(kind=CertificateKind.INDIVIDUAL)


def _counts() -> dict[str, dict]:
    """Every count the page shows, by level id or country code (four aggregate queries)."""
    return {
        "levels": dict(_mentors().values_list("level_id").annotate(mentors=Count("holder", distinct=True))),
        "mentors": dict(_mentors().values_list(F("holder__profile__country")).annotate(
            n=Count("holder", distinct=True))),
        "programmes": dict(ProgrammeApplication.objects.accredited_now().values_list(
            F("programme__organization__country")).annotate(n=Count("programme", distinct=True))),
        "qtsps": dict(QTSP.objects.approved().values_list("country").annotate(n=Count("pk"))),
    }


# Only its version is used (the counts are kept in the shared cache, with an expiry); the models whose saved or
# deleted rows change a count.
NUMBERS = ReferenceData("public-numbers", build=_counts, models=[
    "certificates.Certificate", "applicants.Profile", "organizations.ProgrammeApplication",
    "organizations.Programme", "organizations.Organization", "partners.QTSP"])


def cache_vary() -> tuple[str, str] | None:
    """What the kept counts and the page's kept fragment depend on; None while the shared cache is away."""
    version = NUMBERS.version()
    return None if version is None else (version, timezone.localdate().isoformat())


def counts() -> dict[str, dict]:
    vary = cache_vary()
    if vary is None or not settings.INSIGHTS_PUBLIC_CACHE_SECONDS:
        return _counts()
    cache, key = caches[CACHE_ALIAS], "insights:numbers:" + ":".join(vary)
    kept = cache.get(key)
    if kept is None:
        kept = _counts()
        cache.set(key, kept, timeout=settings.INSIGHTS_PUBLIC_CACHE_SECONDS)
    return kept


def mentors_by_level(kept: dict[str, dict]) -> list[tuple[Level, str]]:
    by_level = kept["levels"]
    return [(level, shown(by_level.get(level.pk, 0))) for level in levels_in_order()]


def by_country(kept: dict[str, dict]) -> list[CountryRow]:
    mentors, programmes, qtsps = kept["mentors"], kept["programmes"], kept["qtsps"]
    codes = {code for code in (*mentors, *programmes, *qtsps) if code}
    rows = [CountryRow(code, country_name(code), shown(mentors.get(code, 0)), shown(programmes.get(code, 0)),
                       shown(qtsps.get(code, 0)), mentors.get(code, 0)) for code in codes]
    return sorted(rows, key=lambda row: row.name)


def _band(count: int) -> tuple[str, str]:
    index = 0 if count == 0 else 1 if count < minimum() else 2 if count < 20 else 3 if count < 50 else 4
    return BANDS[index][1], BANDS[index][2]


def tiles(rows: list[CountryRow]) -> tuple[list[Tile], int, int]:
    """A tile grid of the countries with any count (alphabetical: no map data ships with the portal)."""
    result = []
    for n, row in enumerate(rows):
        fill, text = _band(row.mentor_count)
        result.append(Tile(row.code, row.name, row.mentors, (n % TILES_PER_ROW) * (TILE_W + TILE_GAP),
                           (n // TILES_PER_ROW) * (TILE_H + TILE_GAP), fill, text))
    columns = min(len(rows), TILES_PER_ROW) or 1
    lines = (len(rows) + TILES_PER_ROW - 1) // TILES_PER_ROW or 1
    return result, columns * (TILE_W + TILE_GAP), lines * (TILE_H + TILE_GAP)


def legend() -> list[tuple[str, str, str]]:
    labels = [_("none"), _("fewer than %(minimum)s") % {"minimum": minimum()}, f"{minimum()}–19", "20–49", _("50 or more")]
    return [(label, fill, text) for label, (_floor, fill, text) in zip(labels, BANDS, strict=True)]
