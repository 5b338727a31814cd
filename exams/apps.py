from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExamsConfig(AppConfig):
    name = "exams"
    verbose_name = _("Exams")

    def ready(self) -> None:
        try:
            from payments.signals import invoice_paid
        except ImportError:  # payments has not shipped its signal yet: bookings stay unpaid
            return
        from exams.receivers import invoice_paid_received

        invoice_paid.connect(invoice_paid_received, dispatch_uid="exams.invoice_paid")

    def dashboard_panels(self, request) -> list:
        """The candidate's bookings, waiting-list places and results (two queries)."""
        if not request.user.is_authenticated:
            return []
        from applicants.dashboard import DashboardPanel
        from exams.selectors import candidate_exams

        exams = candidate_exams(request.user)
        if request.user.is_staff and not any(exams.values()):
            return []  # committee staff work in the admin; they see the panel only if they sat exams themselves
        return [DashboardPanel("exams/booking_panel.html", exams)]
