"""The applicant dashboard is assembled from panels that each app contributes.

An app's ``AppConfig`` may define ``dashboard_panels(request) -> list[DashboardPanel]``, each panel's
template named ``<app>/dashboard_panel.html``; the dashboard renders them in INSTALLED_APPS order. This keeps the applicants app from reaching into
the others and lets each app choose its own (constant) queries.
"""

from dataclasses import dataclass, field

from django.apps import apps


@dataclass(frozen=True)
class DashboardPanel:
    template: str
    context: dict = field(default_factory=dict)


def dashboard_panels(request) -> list[DashboardPanel]:
    panels: list[DashboardPanel] = []
    for config in apps.get_app_configs():
        provider = getattr(config, "dashboard_panels", None)
        if provider is not None:
            panels.extend(provider(request))
    return panels
