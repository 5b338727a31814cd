"""Staff sign-ins, failed sign-ins to staff accounts, two-factor steps and sign-outs, into the trail."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from audit.models import AuditAction
from audit.services import audit_record, staff_account


def on_logged_in(sender, request, user, **kwargs) -> None:
    if staff_account(user):
        audit_record(action=AuditAction.SIGN_IN, actor=user, request=request)


def on_logged_out(sender, request, user, **kwargs) -> None:
    if staff_account(user):
        audit_record(action=AuditAction.SIGN_OUT, actor=user, request=request)


def on_two_factor(sender, request, user, authenticator, **kwargs) -> None:
    if staff_account(user):
        audit_record(action=AuditAction.TWO_FACTOR, actor=user, request=request,
                     changes={"method": authenticator.type, "reauthenticated": bool(kwargs.get("reauthenticated"))})


def on_login_failed(sender, credentials, request=None, **kwargs) -> None:
    """Django passes the credentials with the password masked; only the account's address is read here."""
    User = get_user_model()
    login = next((credentials[key] for key in (User.USERNAME_FIELD, "email", "username")
                  if isinstance(credentials.get(key), str) and credentials[key]), "")
    if not login:
        return
    account = User._default_manager.filter(**{f"{User.USERNAME_FIELD}__iexact": login}).first()
    # Whoever tried is not known: the row is about the account, with no actor.
    if account is not None and (account.is_staff or account.is_superuser):
        audit_record(action=AuditAction.SIGN_IN_FAILED, obj=account, request=request)
