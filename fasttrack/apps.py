from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FasttrackConfig(AppConfig):
    name = "fasttrack"
    verbose_name = _("Senior Mentor fast track")
    # What this app's dashboard panel reads (applicants/dashboard.py).
    dashboard_sources = {
        "fasttrack.FastTrackApplication": "applicant_id",
        "fasttrack.Referral": "application.applicant_id",
    }

    def ready(self) -> None:
        from accreditation.signals import eligibility_facts_requested
        from fasttrack.receivers import eligibility_facts_received

        eligibility_facts_requested.connect(eligibility_facts_received, dispatch_uid="fasttrack.eligibility_facts")

        from documents import quota
        from fasttrack.models import FastTrackApplication, ProofDocument

        quota.register(FastTrackApplication, owner="applicant", file="cv")
        quota.register(ProofDocument, owner="claim__application__applicant", file="file")

    def dashboard_panels(self, request) -> list:
        """The applicant's fast-track application, its provider and whether the SM exam is open (constant queries)."""
        from applicants.dashboard import DashboardPanel
        from fasttrack import selectors

        application = selectors.application_current(user=request.user)
        if application is None:
            return []
        return [DashboardPanel("fasttrack/dashboard_panel.html", {
            "application": application,
            "referral": selectors.live_referral(application),
            "exam_ready": selectors.fasttrack_exam_ready(user=request.user),
        })]

    def personal_data(self, user) -> dict:
        """What the fasttrack app keeps about ``user``, for their data copy (applicants.personal_data)."""
        from fasttrack.personal_data import data

        return data(user)

    def personal_files(self, user) -> list:
        from fasttrack.personal_data import files

        return files(user)

    def personal_data_erase_blockers(self, user) -> list[str]:
        from fasttrack.personal_data import erase_blockers

        return erase_blockers(user)

    def personal_data_erase(self, user) -> None:
        from fasttrack.personal_data import erase

        erase(user)
