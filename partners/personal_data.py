"""Training records and QTSP staff roles in the person's data copy and their erasure (PartnersConfig hooks)."""

from django.db.models import Q
from django.utils.translation import gettext as _

from applicants.personal_data import rows
from partners.models import Enrolment, QTSPStaff


def _enrolments_of(user):
    # Entries not linked yet (added by address before the person signed up) are about them too.
    return Enrolment.objects.filter(Q(trainee=user) | Q(trainee__isnull=True, email__iexact=user.email))


def data(user) -> dict:
    return {
        "training_records": rows(_enrolments_of(user).order_by("created_at"), "cohort__programme__qtsp__name",
                                 "cohort__programme__title", "cohort__starts_on", "email", "full_name", "status",
                                 "attended_hours", "attended_days", "passed", "completed_on"),
        "qtsp_staff": rows(QTSPStaff.objects.filter(user=user), "organisation__name", "role", "created_at"),
    }


def erase_blockers(user) -> list[str]:
    return [_("You are on the staff of %(qtsp)s: ask a colleague there to remove you first.")
            % {"qtsp": membership.organisation.name}
            for membership in QTSPStaff.objects.filter(user=user).select_related("organisation")]


def erase(user) -> None:
    """Completions still count for the record (eligibility was decided on them); who they were goes."""
    anonymous = {"email": f"erased-{user.pk}@erased.invalid", "full_name": ""}
    enrolments = _enrolments_of(user)
    Enrolment.history.filter(id__in=enrolments.values("pk")).update(**anonymous)
    enrolments.update(**anonymous)
