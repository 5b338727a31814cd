from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganizationsConfig(AppConfig):
    name = "organizations"
    verbose_name = _("Organizations and programme accreditation")

    def ready(self) -> None:
        from organizations import staff  # noqa: F401 - registers the staff scheme with partners.membership
        from organizations.receivers import receivers_connect

        receivers_connect()

    def dashboard_panels(self, request) -> list:
        """The user's organizations and their programmes (3 queries) and their directory entry (1)."""
        from applicants.dashboard import DashboardPanel
        from organizations.selectors import dashboard_summary

        if not request.user.is_authenticated:
            return []
        return [DashboardPanel("organizations/dashboard_panel.html", dashboard_summary(user=request.user))]
