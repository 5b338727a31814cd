from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContentConfig(AppConfig):
    name = "content"
    verbose_name = _("Public content")

    def ready(self) -> None:
        from content.roles import CONTENT_EDITOR_PERMISSIONS, role_register

        role_register(CONTENT_EDITOR_PERMISSIONS)
        import content.selectors  # noqa: F401  (its reference data listens for changes in every process)
