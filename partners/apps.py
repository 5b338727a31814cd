from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "partners"
    verbose_name = _("Training partners (QTSPs)")

    def ready(self) -> None:
        from partners import conflicts, receivers, staff  # noqa: F401 - the staff scheme, roster and conflict receivers

    def dashboard_panels(self, request) -> list:
        """The trainee's training records (2 queries), when they have any."""
        from applicants.dashboard import DashboardPanel
        from partners.selectors import trainee_enrolments

        if not request.user.is_authenticated:
            return []
        enrolments = list(trainee_enrolments(user=request.user))
        if not enrolments:
            return []
        return [DashboardPanel("partners/dashboard_panel.html", {"enrolments": enrolments})]
