from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccreditationConfig(AppConfig):
    name = "accreditation"
    verbose_name = _("Accreditation")
    # What this app's dashboard panel and a person's application pages read (applicants/dashboard.py).
    dashboard_sources = {
        "accreditation.Level": None,
        "accreditation.LevelApplication": "applicant_id",
        "accreditation.ApplicationDocument": "application.applicant_id",
        "accreditation.ApplicationEvent": "application.applicant_id",
        "accreditation.Appeal": "application.applicant_id",
    }

    def ready(self) -> None:
        from accreditation.models import ApplicationDocument
        from accreditation.receivers import receivers_connect
        from documents import quota

        receivers_connect()
        import accreditation.selectors  # noqa: F401  (its reference data listens for changes in every process)
        quota.register(ApplicationDocument, owner="application__applicant", file="file", size="size")

    def dashboard_panels(self, request) -> list:
        """Where the applicant stands for each level (a fixed number of queries per level, four levels)."""
        from accreditation.selectors import eligibility_by_level
        from applicants.dashboard import DashboardPanel

        return [DashboardPanel("accreditation/dashboard_panel.html", {"rows": eligibility_by_level(request.user)})]

    def personal_data(self, user) -> dict:
        """What the accreditation app keeps about ``user``, for their data copy (applicants.personal_data)."""
        from accreditation.personal_data import data

        return data(user)

    def personal_files(self, user) -> list:
        from accreditation.personal_data import files

        return files(user)

    def personal_data_erase_blockers(self, user) -> list[str]:
        from accreditation.personal_data import erase_blockers

        return erase_blockers(user)

    def personal_data_erase(self, user) -> None:
        from accreditation.personal_data import erase

        erase(user)
