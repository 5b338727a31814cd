from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganizationsConfig(AppConfig):
    name = "organizations"
    verbose_name = _("Organizations and programme accreditation")
    # What this app's dashboard panel reads (applicants/dashboard.py); an organization's programmes and their
    # applications show on the dashboards of all its staff, so a change to one is everyone's.
    dashboard_sources = {
        "organizations.Organization": None,
        "organizations.OrganizationStaff": "user_id",
        "organizations.Programme": None,
        "organizations.ProgrammeApplication": None,
        "organizations.DirectoryListing": "user_id",
        "organizations.AccreditedMentor": ("user_id", "email"),
        "organizations.Sponsorship": ("person_id", "email"),
    }

    def ready(self) -> None:
        from organizations import conflicts, staff  # noqa: F401 - the staff scheme and the conflict receiver
        from organizations.receivers import invoice_paid_received
        from payments.signals import invoice_paid

        invoice_paid.connect(invoice_paid_received, dispatch_uid="organizations.invoice_paid")

        from organizations.services import fee_sponsor_answer
        from payments.signals import fee_sponsor_requested

        fee_sponsor_requested.connect(fee_sponsor_answer, dispatch_uid="organizations.fee_sponsor")

        from documents import quota
        from organizations.models import ApplicationDocument

        quota.register(ApplicationDocument, owner="uploaded_by", file="file", size="size")

    def dashboard_panels(self, request) -> list:
        """The user's organizations and their programmes (3 queries), their directory entry (1) and open mentor invitations (1)."""
        from applicants.dashboard import DashboardPanel
        from organizations.selectors import dashboard_summary

        if not request.user.is_authenticated:
            return []
        return [DashboardPanel("organizations/dashboard_panel.html", dashboard_summary(user=request.user))]

    def personal_data(self, user) -> dict:
        """What the organizations app keeps about ``user``, for their data copy (applicants.personal_data)."""
        from organizations.personal_data import data

        return data(user)

    def personal_data_erase_blockers(self, user) -> list[str]:
        from organizations.personal_data import erase_blockers

        return erase_blockers(user)

    def personal_data_erase(self, user) -> None:
        from organizations.personal_data import erase

        erase(user)
