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


def list_page(request, object_list, *, per_page: int = PAGE_SIZE) -> ListPage:
    """The requested page (``?page=``, the first by default) of an ordered queryset."""
    try:
        page = Paginator(object_list, per_page).page(request.GET.get("page") or 1)
    except InvalidPage as error:
        raise Http404(str(error)) from error
    query = request.GET.copy()
    query.pop("page", None)
    return ListPage(page=page, query=query.urlencode())
