from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("Events")
    # What this app's dashboard panel reads (applicants/dashboard.py).
    dashboard_sources = {
        "events.Event": None,
        "events.Registration": "person_id",
        "events.PDUCredit": "registration.person_id",
    }

    def ready(self) -> None:
        from events import receivers, roles

        receivers.connect()
        roles.grant()

    def dashboard_panels(self, request) -> list:
        """The person's registrations, upcoming joins and PDUs earned from events (two queries)."""
        if not request.user.is_authenticated:
            return []
        from applicants.dashboard import DashboardPanel
        from events.selectors import registrations_panel

        panel = registrations_panel(request.user)
        if not panel["registrations"]:
            return []
        return [DashboardPanel("events/dashboard_panel.html", panel)]
