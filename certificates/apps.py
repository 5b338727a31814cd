from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificatesConfig(AppConfig):
    name = "certificates"
    verbose_name = _("Certificates and renewals")

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
