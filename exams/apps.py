from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExamsConfig(AppConfig):
    name = "exams"
    verbose_name = _("Exams")
    # What this app's dashboard panel reads (applicants/dashboard.py); sessions, windows and centres are everyone's.
    dashboard_sources = {
        "exams.Booking": "candidate_id",
        "exams.WaitlistEntry": "candidate_id",
        "exams.ExamResult": "booking.candidate_id",
        "exams.SpecialArrangement": "booking.candidate_id",
        "exams.ExamSession": None,
        "exams.ExamWindow": None,
        "exams.TestCentre": None,
    }

    def ready(self) -> None:
        from accreditation.signals import eligibility_facts_requested, exam_window_closing
        from exams.receivers import (
            eligibility_facts_received,
            exam_window_closing_received,
            invoice_paid_received,
        )
        from payments.signals import invoice_paid

        invoice_paid.connect(invoice_paid_received, dispatch_uid="exams.invoice_paid")
        exam_window_closing.connect(exam_window_closing_received, dispatch_uid="exams.exam_window_closing")
        eligibility_facts_requested.connect(eligibility_facts_received, dispatch_uid="exams.eligibility_facts")

        from exams.services import RESULT_CORRECT, result_correct
        from workflows.proposals import ProposalAction, proposal_action_register

        proposal_action_register(ProposalAction(
            name=RESULT_CORRECT, label=_("Correct an exam result"), execute=result_correct,
            person=lambda result: result.booking.candidate, permission="exams.add_examresult",
        ))

        import exams.selectors  # noqa: F401  (its reference data listens for changes in every process)

    def dashboard_panels(self, request) -> list:
        """The candidate's bookings, waiting-list places and results (two queries)."""
        if not request.user.is_authenticated:
            return []
        from applicants.dashboard import DashboardPanel
        from exams.selectors import candidate_exams

        exams = candidate_exams(request.user)
        if request.user.is_staff and not any(exams.values()):
            return []  # committee staff work in the admin; they see the panel only if they sat exams themselves
        return [DashboardPanel("exams/dashboard_panel.html", exams)]

    def personal_data(self, user) -> dict:
        """What the exams app keeps about ``user``, for their data copy (applicants.personal_data)."""
        from exams.personal_data import data

        return data(user)

    def personal_data_erase_blockers(self, user) -> list[str]:
        from exams.personal_data import erase_blockers

        return erase_blockers(user)

    def personal_data_erase(self, user) -> None:
        from exams.personal_data import erase

        erase(user)
