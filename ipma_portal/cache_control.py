"""Pages for a signed-in person, or opened through a secret link, are never kept by a shared cache."""

from django.utils.cache import patch_cache_control

# URL parts that are secrets mailed to one person (a staff invitation, an e-mail confirmation, a
# password reset, a newsletter link): whoever holds the link sees that person's page, signed in or not.
SECRET_URL_PARTS = frozenset({"token", "key", "uidb36"})


class PrivateCacheMiddleware:
    """``Cache-Control: private, no-store`` on every response to a signed-in person, and on every
    page reached through a secret link.

    A view that chose private caching itself (``private`` or ``no-store`` already in the header)
    keeps its choice; other anonymous responses, such as the public pages, keep theirs.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        match = getattr(request, "resolver_match", None)
        secret_link = match is not None and not SECRET_URL_PARTS.isdisjoint(match.kwargs)
        if not secret_link and (user is None or not user.is_authenticated):
            return response
        directives = {part.strip().split("=", 1)[0].lower() for part in response.get("Cache-Control", "").split(",")}
        if not directives & {"private", "no-store"}:
            if "Cache-Control" in response:
                del response["Cache-Control"]
            patch_cache_control(response, private=True, no_store=True)
        return response
