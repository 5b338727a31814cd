from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")

    def personal_data(self, user) -> dict:
        """What the notifications app keeps about ``user``, for their data copy (applicants.personal_data)."""
        from notifications.personal_data import data

        return data(user)

    def personal_data_erase(self, user) -> None:
        from notifications.personal_data import erase

        erase(user)
