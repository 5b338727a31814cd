from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StaffConfig(AppConfig):
    name = "staff"
    verbose_name = _("Staff and invitations")

    def ready(self) -> None:
        from allauth.account.signals import email_confirmed

        from staff import receivers

        email_confirmed.connect(receivers.link_on_email_confirmed, dispatch_uid="staff.link_on_email_confirmed")
