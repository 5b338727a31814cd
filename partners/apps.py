from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "partners"
    verbose_name = _("Training partners (QTSPs)")
    # What this app's dashboard panel and the kept rosters read (applicants/dashboard.py): a trainee's enrolment (or
    # its invitation, by address) and its cohort's roster, the viewer's staff role; QTSPs, programmes and cohorts are
    # everyone's.
    dashboard_sources = {
        "partners.Enrolment": ("trainee_id", "email", "cohort:cohort_id"),
        "partners.QTSPStaff": "user_id",
        "partners.Cohort": None,
        "partners.TrainingProgramme": None,
        "partners.QTSP": None,
    }

    def ready(self) -> None:
        from documents import quota
        from partners import conflicts, receivers, staff  # noqa: F401 - the staff scheme, roster and conflict receivers
        from partners.models import QTSPDocument

        # The person who applied for the QTSP uploaded its documents.
        quota.register(QTSPDocument, owner="qtsp__applied_by", file="file")

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

    def personal_data(self, user) -> dict:
        """What the partners app keeps about ``user``, for their data copy (applicants.personal_data)."""
        from partners.personal_data import data

        return data(user)

    def personal_data_erase_blockers(self, user) -> list[str]:
        from partners.personal_data import erase_blockers

        return erase_blockers(user)

    def personal_data_erase(self, user) -> None:
        from partners.personal_data import erase

        erase(user)
