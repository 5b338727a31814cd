from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicationsConfig(AppConfig):
    name = "publications"
    verbose_name = _("Publications and newsletter")

    def ready(self) -> None:
        from content.roles import role_register

        role_register({
            f"publications.{action}_{model}"
            for model in ("publication", "issue", "article", "research", "mailing")
            for action in ("view", "add", "change", "delete")
        } | {"publications.view_subscriber", "publications.view_mailingevent"})
