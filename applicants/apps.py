from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ApplicantsConfig(AppConfig):
    name = "applicants"
    verbose_name = _("Applicants and accounts")

    def ready(self) -> None:
        from applicants.roles import roles_sync

        post_migrate.connect(roles_sync, dispatch_uid="applicants.roles_sync")
