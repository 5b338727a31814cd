from django.conf import settings
from django.utils.functional import SimpleLazyObject

from ipma_portal.public_cache import request_csrf_token


def portal(request) -> dict:
    """What every page says about the portal itself."""
    return {"BODY_NAME": settings.BODY_NAME}


def csrf(request) -> dict:
    """``csrf_token`` as Django's own processor gives it (listed after it, so this one is used), masked once per
    request: the page's forms, its header and footer carry the same token."""
    return {"csrf_token": SimpleLazyObject(lambda: request_csrf_token(request))}
