"""Who may change what: the organization's own staff and owners, and the committee's permissions."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from organizations import selectors
from organizations.conflicts import application_people
from organizations.models import ProgrammeApplication
from workflows.conflicts import decision_conflict_check


def application_locked(application: ProgrammeApplication) -> ProgrammeApplication:
    """The application re-read under a row lock: every change of one application is serialised on it."""
    return ProgrammeApplication.objects.select_for_update().select_related("programme__organization").get(
        pk=application.pk
    )


def require_staff(actor, organization) -> str:
    role = selectors.staff_role(user=actor, organization=organization) if actor is not None else None
    if role is None:
        raise PermissionDenied(_("Only the organization's staff can do this."))
    return role


def require_owner(actor, organization) -> None:
    if require_staff(actor, organization) != selectors.OWNER:
        raise PermissionDenied(_("Only an owner of the organization can do this."))


def require_permission(actor, codename: str) -> None:
    if actor is None or not actor.is_staff or not actor.has_perm(f"organizations.{codename}"):
        raise PermissionDenied(_("You do not have the committee permission for this."))


def require_no_conflict(actor, application: ProgrammeApplication) -> None:
    """The conflict-of-interest policy: nobody decides about their own organization's programme."""
    decision_conflict_check(decider=actor, person=None, people=application_people(application))
