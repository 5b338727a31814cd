from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "partners"
    verbose_name = _("Training partners (QTSPs)")

    def ready(self) -> None:
        from partners import receivers, staff  # noqa: F401 - registers the staff scheme and the roster receivers

    def dashboard_panels(self, request) -> list:
        """The trainee's training records and open roster invitations (2 queries), when they have any."""
        from applicants.dashboard import DashboardPanel
        from partners.selectors import enrolment_invitations, trainee_enrolments

        if not request.user.is_authenticated:
            return []
        enrolments = list(trainee_enrolments(user=request.user))
        invitations = list(enrolment_invitations(user=request.user))
        if not enrolments and not invitations:
            return []
        return [DashboardPanel("partners/dashboard_panel.html", {"enrolments": enrolments, "invitations": invitations})]
