import zoneinfo
from urllib.parse import urlencode

from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME, logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponseRedirect
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from applicants.roles import groups_generation, user_access, user_is_privileged
from applicants.staff_sessions import (
    LAST_SEEN_RESOLUTION_SECONDS,
    LAST_SEEN_SESSION_KEY,
    PRIVILEGES_SESSION_KEY,
    session_passed_two_factor,
)

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


class StaffSessionMiddleware:
    """Privileged sessions end after STAFF_SESSION_IDLE_MINUTES without a request, and every session
    gets a new key when the user's privileges change (a session that was an applicant's when it was
    started, or stolen then, must not carry staff rights under the same key)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return self.get_response(request)
        generation = groups_generation()  # before the read: a change made while it runs is not missed
        roles, privileged, digest = user_access(user)
        request.user_is_privileged = privileged
        # Read once for the navigation too (applicants.context_processors.roles), kept with whose they are and the
        # groups' generation: a request that changed groups (a POST accepting a staff invitation) reads them again.
        request.user_roles = (user.pk, roles, generation)
        session = request.session
        if session.get(PRIVILEGES_SESSION_KEY) != digest:
            session.cycle_key()
            session[PRIVILEGES_SESSION_KEY] = digest
        if privileged:
            now = timezone.now().timestamp()
            last_seen = session.get(LAST_SEEN_SESSION_KEY)
            if last_seen is not None and now - last_seen > settings.STAFF_SESSION_IDLE_MINUTES * 60:
                logout(request)
                messages.info(request, _("You were signed out after a period of inactivity. Please sign in again."))
                return redirect_to_login(request.get_full_path(), reverse(settings.LOGIN_URL))
            if last_seen is None or now - last_seen >= LAST_SEEN_RESOLUTION_SECONDS:
                session[LAST_SEEN_SESSION_KEY] = now
        return self.get_response(request)


class StaffMFARequiredMiddleware:
    """A privileged user's session must have passed two-factor before any page opens, not only the admin.

    Without an authenticator they are sent to set one up (which asks for a code mailed to them);
    with one, to enter a code. Only the pages needed to do that, and sign-out, stay open.
    """

    EXEMPT_URL_NAMES = frozenset({
        "account_logout",
        "account_reauthenticate",
        "account_request_reauthentication_code",
        "account_confirm_reauthentication_code",
        "mfa_activate_totp",
        "mfa_reauthenticate",
    })

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or self._exempt(request):
            return self.get_response(request)
        privileged = getattr(request, "user_is_privileged", None)
        if privileged is None:
            privileged = user_is_privileged(user)
        if not privileged or session_passed_two_factor(request):
            return self.get_response(request)
        query = urlencode({REDIRECT_FIELD_NAME: request.get_full_path()})
        if is_mfa_enabled(user, [Authenticator.Type.TOTP]):
            messages.info(request, _("Enter a code from your authenticator app to continue."))
            return HttpResponseRedirect(f"{reverse('mfa_reauthenticate')}?{query}")
        messages.warning(request, _("Your account has staff access: set up two-factor authentication to continue."))
        return HttpResponseRedirect(f"{reverse('mfa_activate_totp')}?{query}")

    def _exempt(self, request) -> bool:
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return False
        return match.url_name in self.EXEMPT_URL_NAMES
