from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    name = "payments"
    verbose_name = _("Fees and payments")
    # What this app's dashboard panel reads (applicants/dashboard.py).
    dashboard_sources = {
        "payments.Invoice": "payer_id",
        "payments.MembershipPeriod": "user_id",
    }

    def ready(self) -> None:
        from payments.services.proposals import proposal_actions_register

        proposal_actions_register()
        import payments.selectors  # noqa: F401  (its reference data listens for changes in every process)

    def dashboard_panels(self, request) -> list:
        """Open invoices (up to five) and the membership line: two queries whatever the numbers."""
        from applicants.dashboard import DashboardPanel
        from payments.models import InvoiceStatus
        from payments.selectors import invoices_of, membership_active

        open_invoices = list(invoices_of(user=request.user).filter(status=InvoiceStatus.OPEN)[:5])
        return [
            DashboardPanel(
                template="payments/dashboard_panel.html",
                context={"open_invoices": open_invoices, "membership": membership_active(user=request.user)},
            )
        ]

    def personal_data(self, user) -> dict:
        """What the payments app keeps about ``user``, for their data copy (applicants.personal_data)."""
        from payments.personal_data import data

        return data(user)

    def personal_data_erase_blockers(self, user) -> list[str]:
        from payments.personal_data import erase_blockers

        return erase_blockers(user)
