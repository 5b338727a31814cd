"""The portal's URLs plus one constant view, the yardstick the benchmark compares pages with."""

from django.http import HttpResponse
from django.urls import path

from ipma_portal.urls import urlpatterns as portal_urlpatterns


def constant(request):
    """The whole middleware stack and nothing else: no template, no query."""
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [path("bench/constant", constant, name="bench-constant"), *portal_urlpatterns]
