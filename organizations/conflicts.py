"""What an organization adds to the conflict-of-interest policy (``workflows.conflicts``): its staff."""

from django.dispatch import receiver
from django.utils.translation import gettext as _

from organizations.models import OrganizationStaff
from workflows.conflicts import conflict_relations


@receiver(conflict_relations, dispatch_uid="organizations.organization_conflict")
def organization_conflict(sender, *, decider, person, **kwargs) -> str | None:
    """Two people on the staff of the same organization never decide about each other."""
    shared = OrganizationStaff.objects.filter(
        user=decider, organisation__staff__user=person,
    )
    return _("staff of the same organization") if shared.exists() else None


def organization_people(organization) -> list:
    """Whom a decision about an organization's programme is about: everyone on its staff."""
    return [membership.user for membership in OrganizationStaff.objects.filter(organisation=organization).select_related("user")]


def application_people(application) -> list:
    """The organization's staff and whoever submitted the application."""
    people = organization_people(application.programme.organization)
    return [application.submitted_by, *people] if application.submitted_by_id else people
