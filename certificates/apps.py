from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificatesConfig(AppConfig):
    name = "certificates"
    verbose_name = _("Certificates and renewals")
    # What this app's dashboard panel reads (applicants/dashboard.py).
    dashboard_sources = {
        "certificates.Certificate": "holder_id",
        "certificates.PDUClaim": "holder_id",
        "certificates.Renewal": "holder_id",
    }

    def ready(self) -> None:
        from certificates import receivers

        receivers.connect()

        from certificates.models import PDUClaim
        from documents import quota

        quota.register(PDUClaim, owner="holder", file="evidence")

    def dashboard_panels(self, request) -> list:
        """The holder's certificates with PDU progress and renewals (three queries, whatever the numbers)."""
        if not request.user.is_authenticated:
            return []
        from applicants.dashboard import DashboardPanel
        from certificates.selectors import holder_dashboard

        entries = holder_dashboard(user=request.user)
        if not entries:
            return []
        return [DashboardPanel("certificates/dashboard_panel.html", {"entries": entries})]

    def personal_data(self, user) -> dict:
        """What the certificates app keeps about ``user``, for their data copy (applicants.personal_data)."""
        from certificates.personal_data import data

        return data(user)

    def personal_files(self, user) -> list:
        from certificates.personal_data import files

        return files(user)

    def personal_data_erase_blockers(self, user) -> list[str]:
        from certificates.personal_data import erase_blockers

        return erase_blockers(user)

    def personal_data_erase(self, user) -> None:
        from certificates.personal_data import erase

        erase(user)
