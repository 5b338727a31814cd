"""The committee's insights page and its CSV downloads (in the admin), and the public numbers page."""

import functools
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

from insights import public
from insights.charts import chart_svg, table_html
from insights.exports import csv_response
from insights.figures import FIGURES, figure_table, figures_cache_key, sections
from insights.forms import InsightsFilterForm
from ipma_portal.public_cache import public_page

PERMISSION = "accreditation.review_levelapplication"


def _committee_only(request) -> None:
    """The admin lets in active staff (with two-factor, by the middleware); the figures need the reviewer's right."""
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied


def _committee_view(request):
    _committee_only(request)
    form = InsightsFilterForm(request.GET or None)
    filters = form.filters()

    @functools.cache
    def page_sections():
        # Called by the template only when its kept fragment is missing (INSIGHTS_CACHE_SECONDS).
        return [(key, title, [(table, chart_svg(table), table_html(table)) for table in tables])
                for key, title, tables in sections(filters)]

    context = {
        **admin.site.each_context(request),
        "title": _("Committee insights"),
        "form": form,
        "filters": filters,
        "sections": page_sections,
        "cache_seconds": settings.INSIGHTS_CACHE_SECONDS,
        "cache_vary": figures_cache_key("page", filters),
        # The CSV links carry the filters the visitor set, as the page applied them (never the raw query string:
        # the fragment is shared by everyone asking for the same figures).
        "query": urlencode({key: value for key, value in filters.as_query().items() if key in request.GET}),
        "cache_minutes": -(-settings.INSIGHTS_CACHE_SECONDS // 60),
    }
    return render(request, "insights/committee.html", context)


def _committee_csv(request, key: str):
    _committee_only(request)
    if key not in FIGURES:
        raise Http404
    filters = InsightsFilterForm(request.GET or None).filters()
    table = figure_table(key, filters)
    return csv_response(table, filename=f"ipma-{key}-{filters.start}-{filters.end}.csv")


committee = admin.site.admin_view(_committee_view)
committee_csv = admin.site.admin_view(_committee_csv)


@public_page("numbers", references=[public.NUMBERS], day=timezone.localdate)
def numbers(request):
    """Accreditation in numbers: public, counts below the minimum shown as "fewer than N".

    The figures are read only when the template's kept fragment (per language, day and version of the counts) is
    missing: the context holds them lazily.
    """
    counts = functools.cache(public.counts)
    countries = functools.cache(lambda: public.by_country(counts()))
    tiles = functools.cache(lambda: public.tiles(countries()))
    vary = public.cache_vary()
    return render(request, "insights/numbers.html", {
        "levels": SimpleLazyObject(lambda: public.mentors_by_level(counts())),
        "countries": SimpleLazyObject(countries),
        "tiles": SimpleLazyObject(lambda: tiles()[0]),
        "map_width": SimpleLazyObject(lambda: tiles()[1]),
        "map_height": SimpleLazyObject(lambda: tiles()[2]),
        "legend": SimpleLazyObject(public.legend),
        "minimum": public.minimum(),
        "today": timezone.localdate(),
        "cache_seconds": settings.INSIGHTS_PUBLIC_CACHE_SECONDS if vary else 0,
        "cache_vary": ":".join(vary or ()),
    })
