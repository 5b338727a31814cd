from django.conf import settings


def portal(request) -> dict:
    """What every page says about the portal itself."""
    return {"BODY_NAME": settings.BODY_NAME}
