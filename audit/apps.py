from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    default = True
    name = "audit"
    verbose_name = _("Audit trail")

    def ready(self) -> None:
        from allauth.mfa.signals import authenticator_used
        from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed

        from audit import receivers

        user_logged_in.connect(receivers.on_logged_in, dispatch_uid="audit.logged_in")
        user_logged_out.connect(receivers.on_logged_out, dispatch_uid="audit.logged_out")
        user_login_failed.connect(receivers.on_login_failed, dispatch_uid="audit.login_failed")
        authenticator_used.connect(receivers.on_two_factor, dispatch_uid="audit.two_factor")

    def personal_data(self, user) -> dict:
        """What the trail says the person did (sign-ins with their addresses, decisions), for their data copy.
        Nothing is erased with the account: the trail is append-only and keeps the name of whoever acted."""
        from audit.selectors import audit_entries_by

        entries = [
            {"at": entry.created_at, "action": entry.action, "object": entry.object_repr, "address": entry.address}
            for entry in audit_entries_by(user)
        ]
        return {"audit_trail": entries} if entries else {}


class AuditedAdminConfig(admin_apps.AdminConfig):
    """``django.contrib.admin`` with a site that records every add, change and deletion in the trail."""

    default = False
    default_site = "audit.sites.AuditedAdminSite"
