"""The logo kit (for the organization's staff, only while accredited) and the public badge image."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import cache_control

from organizations import logokit, selectors


def _kit_application(request, pk: int):
    application = get_object_or_404(
        selectors.applications_for_staff(request.user).select_related("programme__organization"), pk=pk
    )
    return application, selectors.logo_kit_available(application)


def _download(content, *, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def logo_kit(request, pk: int):
    application, available = _kit_application(request, pk)
    context = {"application": application, "available": available}
    if available:
        mark = logokit.mark_for(application)
        context.update(mark=mark, snippet=logokit.badge_snippet(mark), rules=logokit.usage_rules(mark))
    # Not available: the page says why (the accreditation's status), with a 404 like the files.
    return render(request, "organizations/logokit_detail.html", context, status=200 if available else 404)


def _mark(request, pk: int):
    application, available = _kit_application(request, pk)
    if not available:
        raise Http404
    return logokit.mark_for(application)


@login_required
def logo_svg(request, pk: int):
    mark = _mark(request, pk)
    download = request.GET.get("download") == "1"
    response = HttpResponse(logokit.mark_svg(mark), content_type="image/svg+xml")
    if download:
        response["Content-Disposition"] = f'attachment; filename="{mark.file_stem}.svg"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def logo_png(request, pk: int):
    mark = _mark(request, pk)
    return _download(logokit.mark_png(mark), content_type="image/png", filename=f"{mark.file_stem}.png")


@login_required
def logo_zip(request, pk: int):
    mark = _mark(request, pk)
    return _download(logokit.kit_zip(mark), content_type="application/zip", filename=f"{mark.file_stem}-kit.zip")


@cache_control(no_cache=True)
def badge(request, number: str):
    """The embeddable badge; it disappears (404) the moment the accreditation is no longer in force."""
    application = selectors.accreditation_by_certificate(number)
    if application is None:
        raise Http404
    response = HttpResponse(logokit.badge_svg(logokit.mark_for(application)), content_type="image/svg+xml")
    # Other sites embed it in <img>: allow cross-origin loading of this one resource.
    response["Cross-Origin-Resource-Policy"] = "cross-origin"
    return response
