from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContentConfig(AppConfig):
    name = "content"
    verbose_name = _("Public content")
    # The dashboard links content pages (applicants/dashboard.py): a page's change is everyone's.
    dashboard_sources = {"content.Page": None}

    def ready(self) -> None:
        from content.roles import CONTENT_EDITOR_PERMISSIONS, role_register

        role_register(CONTENT_EDITOR_PERMISSIONS)
        import content.selectors  # noqa: F401  (its reference data listens for changes in every process)
