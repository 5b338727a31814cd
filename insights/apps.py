from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightsConfig(AppConfig):
    """Views of the whole: the committee's figures, the public numbers, the applicant's step tracker."""

    name = "insights"
    verbose_name = _("Insights")

    def dashboard_panels(self, request) -> list:
        """Where the person stands on the way to their next level (a fixed number of queries)."""
        if not request.user.is_authenticated:
            return []
        from applicants.dashboard import DashboardPanel
        from insights.tracker import tracker_for

        tracker = tracker_for(user=request.user)
        return [] if tracker is None else [DashboardPanel("insights/dashboard_panel.html", {"tracker": tracker})]
