"""Input no view can use is answered with a 400 page before it reaches a query.

PostgreSQL refuses NUL in text and cannot store lone UTF-16 surrogates: such a value reaching a
look-up was a 500. A number beyond the bigint range in an ``<int:...>`` URL part was a 500 too.
Too many files or fields in one request get a page that says what to do instead of a bare 400.
"""

import logging
import re

from django.apps import apps
from django.conf import settings
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

BIGINT_MAX = 2**63 - 1


def _is_unusable(text: str) -> bool:
    return "\x00" in text or any("\ud800" <= char <= "\udfff" for char in text)


def _pairs(request):
    yield "path", request.path
    for source, data in (("query", request.GET), ("form", request.POST), ("cookie", request.COOKIES)):
        items = data.lists() if hasattr(data, "lists") else ((key, [value]) for key, value in data.items())
        for key, values in items:
            yield source, key
            for value in values:
                yield source, value
    for name, upload in request.FILES.items():
        yield "file", name
        yield "file", upload.name or ""


def _refusal(request, message: str, status: int = 400):
    return render(request, "400.html", {"message": message, "status": status}, status=status)


class BadInputMiddleware:
    """Answer 400 (with the portal's error page) to NUL bytes or surrogates anywhere in the request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            refused = next((source for source, text in _pairs(request) if _is_unusable(text)), None)
        except TooManyFilesSent:
            return _refusal(request, _(
                "Too many files in one upload: at most %(limit)d can be sent at once. "
                "Send the others in a second upload."
            ) % {"limit": settings.DATA_UPLOAD_MAX_NUMBER_FILES})
        except TooManyFieldsSent:
            return _refusal(request, _("The form sent too many fields at once."))
        except RequestDataTooBig:
            return _refusal(request, _("The form sent more data than the portal accepts at once."), status=413)
        if refused:
            logger.warning("refused a request with a NUL byte or surrogate in its %s", refused)
            return _refusal(request, _("The address or the form contained characters the portal cannot read."))
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        # An <int:pk> the database cannot hold names no object: the page does not exist.
        for value in (*view_args, *view_kwargs.values()):
            if isinstance(value, int) and not isinstance(value, bool) and abs(value) > BIGINT_MAX:
                raise Http404
        if _admin_ids_unusable(request, view_args, view_kwargs):
            raise Http404
        if _admin_year_unusable(request):
            return _refusal(request, _("The address asks for a filter this list does not have."))
        return None

    def process_exception(self, request, exception):
        # The admin's changelist (and import-export's export built on it) raises this for a query
        # string naming lookups the model does not have: the request is wrong, not the server.
        if isinstance(exception, IncorrectLookupParameters):
            return _refusal(request, _("The address asks for a filter this list does not have."))
        return None


class MethodNotAllowedPageMiddleware:
    """A page for a 405: a view that takes only a form (``require_POST``) answered an address opened in the browser
    (a bookmark, a link copied from the address bar, the back button) with an empty body, which browsers show as a
    blank page or their own error. The innermost middleware, so the page gets every header the others add."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code != 405 or response.content:
            return response
        if request.method in ("GET", "HEAD"):
            message = _("This address takes a form sent from its page, not a visit. Go back to that page and use "
                        "its button.")
        else:
            message = _("The portal does not take this kind of request at this address.")
        page = _refusal(request, message, status=405)
        page["Allow"] = response.get("Allow", "")
        return page


# "<app>/<model>/<path:object_id>/..." and django-simple-history's "<app>/<model>/([^/]+)/history/([^/]+)/$"
_ADMIN_MODEL_ROUTE = re.compile(r"(?:^|/)(?P<app_label>\w+)/(?P<model_name>\w+)/(?:<path:object_id>|\()")
_INTEGER_KEYS = {"AutoField", "BigAutoField", "SmallAutoField", "IntegerField", "BigIntegerField"}


def _admin_ids_unusable(request, view_args, view_kwargs) -> bool:
    """An admin object URL (``<path:object_id>``, and django-simple-history's ``history_id``) whose
    model has an integer key but whose id is no number: custom admin views looked it up and failed."""
    match = request.resolver_match
    if match is None or match.app_name != "admin":
        return False
    if not view_kwargs and len(view_args) == 2:
        view_kwargs = {"object_id": view_args[0], "history_id": view_args[1]}
    if "object_id" not in view_kwargs:
        return False
    route = _ADMIN_MODEL_ROUTE.search(match.route or "")
    if route is None:
        return False
    try:
        model = apps.get_model(route["app_label"], route["model_name"])
    except LookupError:
        return False
    ids = [view_kwargs["object_id"]] if model._meta.pk.get_internal_type() in _INTEGER_KEYS else []
    if "history_id" in view_kwargs:
        ids.append(view_kwargs["history_id"])
    return not all(str(value).isdigit() and int(value) <= BIGINT_MAX for value in ids)


def _admin_year_unusable(request) -> bool:
    """An admin list filtered by a year no date can have (``?created_at__year=99999``): Django builds the year's
    bounds only when the query runs, past the changelist's own check of its filters, and that was a 500."""
    match = request.resolver_match
    if match is None or match.app_name != "admin":
        return False
    years = [values for key, values in request.GET.lists() if {"year", "iso_year"} & set(key.split("__")[1:])]
    return not all(value.strip().isdigit() and 1 <= int(value) <= 9998 for values in years for value in values)
