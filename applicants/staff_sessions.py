"""Sessions of privileged users (see ``applicants.roles.user_is_privileged``): two-factor in every
session, an idle timeout, and a new session key when privileges change.

The middleware in ``applicants.middleware`` enforces these; the receivers below record what it checks.
"""

from allauth.account.authentication import get_authentication_records
from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.models import Authenticator
from django.utils import timezone

from applicants.roles import user_privileges

PRIVILEGES_SESSION_KEY = "ipma_privileges"
LAST_SEEN_SESSION_KEY = "ipma_staff_last_seen"
# The last-seen time is written at most this often, so a burst of requests costs no session writes.
LAST_SEEN_RESOLUTION_SECONDS = 60


def session_passed_two_factor(request) -> bool:
    """Whether this session completed a second factor (allauth records each authentication step)."""
    return any(record.get("method") == "mfa" for record in get_authentication_records(request, request.user))


def session_privileges_remember(request, user, digest: str | None = None) -> None:
    request.session[PRIVILEGES_SESSION_KEY] = digest if digest is not None else user_privileges(user)[1]
    request.session[LAST_SEEN_SESSION_KEY] = timezone.now().timestamp()


def on_user_logged_in(sender, request, user, **kwargs) -> None:
    """Sign-in (which already rotates the key) stores the privileges the session starts with."""
    if request is not None and hasattr(request, "session"):
        session_privileges_remember(request, user)


def on_authenticator_added(sender, request, user, authenticator, **kwargs) -> None:
    """Enrolling a TOTP proves the second factor for this session: the enrolment needed a mailed code
    (or an existing factor) and a valid code from the new authenticator."""
    if authenticator.type == Authenticator.Type.TOTP and request is not None and request.user.pk == user.pk:
        record_authentication(request, user, method="mfa", id=authenticator.pk, type=authenticator.type,
                              enrolled=True)
