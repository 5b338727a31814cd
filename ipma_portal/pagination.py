"""Long private lists shown one page at a time, with the other query parameters kept in the page links.

A page number that is not a number or lies past the end answers 404, as Django's own list views do:
a link that no longer points at rows (after a delete) never silently shows other rows as that page.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.paginator import InvalidPage, Page, Paginator
from django.http import Http404

PAGE_SIZE = 25


@dataclass(frozen=True)
class ListPage:
    page: Page
    query: str  # the request's other parameters, url-encoded, for the page links


def list_page(request, object_list, *, per_page: int = PAGE_SIZE, count: int | None = None) -> ListPage:
    """The requested page (``?page=``, the first by default) of an ordered queryset.

    ``count``, when the page already knows how many rows the queryset holds, spares the paginator its query.
    """
    paginator = Paginator(object_list, per_page)
    if count is not None:
        paginator.count = count  # the cached property's value, set before anything reads it
    try:
        page = paginator.page(request.GET.get("page") or 1)
    except InvalidPage as error:
        raise Http404(str(error)) from error
    query = request.GET.copy()
    query.pop("page", None)
    return ListPage(page=page, query=query.urlencode())
