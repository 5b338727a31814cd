from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ApplicantsConfig(AppConfig):
    name = "applicants"
    verbose_name = _("Applicants and accounts")
    # What the dashboard's panels read, and whose dashboard a row concerns (applicants/dashboard.py); None: everyone's.
    dashboard_sources = {
        "applicants.User": "pk",
        "applicants.Profile": "user_id",
        "applicants.HoursEntry": "user_id",
        "applicants.EthicsCode": None,
        "applicants.EthicsAdoption": "user_id",
        "account.EmailAddress": "user_id",
    }

    def ready(self) -> None:
        from allauth.mfa.signals import authenticator_added
        from django.contrib.auth.signals import user_logged_in

        from applicants.dashboard import connect_dashboard_sources
        from applicants.models import Profile
        from applicants.roles import connect_groups_changed, roles_sync
        from applicants.staff_sessions import on_authenticator_added, on_user_logged_in
        from documents import quota

        post_migrate.connect(roles_sync, dispatch_uid="applicants.roles_sync")
        user_logged_in.connect(on_user_logged_in, dispatch_uid="applicants.staff_sessions.logged_in")
        authenticator_added.connect(on_authenticator_added, dispatch_uid="applicants.staff_sessions.mfa_added")
        quota.register(Profile, owner="user", file="education_proof")
        connect_dashboard_sources()
        connect_groups_changed()

    def dashboard_panels(self, request) -> list:
        """Profile, hours and ethics at a glance (three queries)."""
        from applicants.dashboard import DashboardPanel
        from applicants.selectors import ethics_adoption_current, hours_totals, profile_of

        user = request.user
        code, adoption = ethics_adoption_current(user)
        return [DashboardPanel("applicants/dashboard_panel.html", {
            "profile": profile_of(user), "totals": hours_totals(user), "ethics_code": code, "ethics_adoption": adoption,
        })]

    def personal_data(self, user) -> dict:
        """The account, profile, hours and ethics, for the person's data copy (applicants.personal_data)."""
        from applicants.personal_data import account_data

        return account_data(user)

    def personal_files(self, user) -> list:
        from applicants.personal_data import account_files

        return account_files(user)

    def personal_data_erase_blockers(self, user) -> list[str]:
        from applicants.personal_data import account_erase_blockers_staff

        return account_erase_blockers_staff(user)

    def personal_data_erase(self, user) -> None:
        from applicants.personal_data import account_records_erase

        account_records_erase(user)
