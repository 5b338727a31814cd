from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FasttrackConfig(AppConfig):
    name = "fasttrack"
    verbose_name = _("Senior Mentor fast track")
