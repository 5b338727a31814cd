from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkflowsConfig(AppConfig):
    name = "workflows"
    verbose_name = _("Workflows")

    def ready(self):
        from ipma_portal import table_versions

        # Every write marks its table changed, for the committee lists kept until then (LargeChangelistMixin).
        table_versions.connect()
