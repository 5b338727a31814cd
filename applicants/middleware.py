import zoneinfo

from allauth.mfa.utils import is_mfa_enabled
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

TIME_ZONE_COOKIE = "ipma_tz"


def _zone(name: str | None) -> zoneinfo.ZoneInfo | None:
    if not name:
        return None
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None


class TimezoneMiddleware:
    """Show times in the viewer's zone: their profile's, else the one their browser reported."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        zone = _zone(user.time_zone) if user is not None and user.is_authenticated else None
        zone = zone or _zone(request.COOKIES.get(TIME_ZONE_COOKIE))
        if zone:
            timezone.activate(zone)
        else:
            timezone.deactivate()
        try:
            return self.get_response(request)
        finally:
            # A worker thread serves other people next: their zone must not start as this one.
            timezone.deactivate()


class StaffMFARequiredMiddleware:
    """Staff must have an authenticator app set up before the committee admin opens for them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and user.is_staff
            and request.path.startswith(reverse("admin:index"))
            and not is_mfa_enabled(user, ["totp"])
        ):
            messages.warning(request, _("Set up two-factor authentication before you use the committee admin."))
            return redirect("mfa_activate_totp")
        return self.get_response(request)
