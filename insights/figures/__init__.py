"""The committee's figures, each one SQL aggregate query returning a ``Table``, in the page's sections."""

from django.conf import settings
from django.core.cache import caches
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from insights.figures import applications, certificates, exams, money, partners
from insights.figures.base import Chart, Filters, Table

SECTIONS = [
    ("applications", _("Applications"), applications.FIGURES),
    ("exams", _("Exams"), exams.FIGURES),
    ("certificates", _("Certificates"), certificates.FIGURES),
    ("money", _("Money"), money.FIGURES),
    ("partners", _("Partners and organizations"), partners.FIGURES),
]

FIGURES = {figure.__name__: figure for _key, _title, figures in SECTIONS for figure in figures}


def figures_cache_key(key: str, filters: Filters) -> str:
    # The labels are in the viewer's language and the date range is cut in their time zone.
    return ":".join(["insights", key, translation.get_language() or "", timezone.get_current_timezone_name(),
                     filters.start.isoformat(), filters.end.isoformat(), filters.level, filters.country])


def figure_table(key: str, filters: Filters) -> Table:
    """One figure's table by its key (KeyError for an unknown key).

    Kept ``INSIGHTS_CACHE_SECONDS`` per filter, language and time zone in the shared cache (Redis, fail-open):
    the committee's monthly questions do not need the last minute, and a figure over a few years of data costs
    tens of milliseconds. 0 turns the keeping off.
    """
    figure = FIGURES[key]
    seconds = settings.INSIGHTS_CACHE_SECONDS
    if not seconds:
        return figure(filters)
    cache = caches["reference"]
    cache_key = figures_cache_key(key, filters)
    table = cache.get(cache_key)
    if table is None:
        table = figure(filters)
        cache.set(cache_key, table, timeout=seconds)
    return table


def figures_warm(*, filters: Filters) -> int:
    """Compute every figure for ``filters`` in the current language and time zone, and keep it afresh.

    Run by beat before the kept figures of the page's default filters expire, so that the committee's usual
    view never waits for them; safe to run twice (the last run's figures are kept). Returns the figures kept.
    """
    seconds = settings.INSIGHTS_CACHE_SECONDS
    if not seconds:
        return 0
    cache = caches["reference"]
    for key, figure in FIGURES.items():
        cache.set(figures_cache_key(key, filters), figure(filters), timeout=seconds)
    return len(FIGURES)


def sections(filters: Filters) -> list[tuple[str, str, list[Table]]]:
    return [(key, title, [figure_table(figure.__name__, filters) for figure in figures])
            for key, title, figures in SECTIONS]


__all__ = ["FIGURES", "SECTIONS", "Chart", "Filters", "Table", "figure_table", "figures_cache_key", "figures_warm",
           "sections"]
