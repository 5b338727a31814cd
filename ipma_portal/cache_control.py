"""Pages for a signed-in person are never kept by a shared cache."""

from django.utils.cache import patch_cache_control


class PrivateCacheMiddleware:
    """``Cache-Control: private, no-store`` on every response to a signed-in person.

    A view that chose private caching itself (``private`` or ``no-store`` already in the header)
    keeps its choice; anonymous responses, such as the public pages, keep theirs.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return response
        directives = {part.strip().split("=", 1)[0].lower() for part in response.get("Cache-Control", "").split(",")}
        if not directives & {"private", "no-store"}:
            if "Cache-Control" in response:
                del response["Cache-Control"]
            patch_cache_control(response, private=True, no_store=True)
        return response
