"""What every service of this app shares: locking, numbering, transitions with their event, and mail."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from notifications.services import outbox_enqueue_template
from organizations import selectors
from organizations.models import ApplicationEvent, ProgrammeApplication


def locked(application: ProgrammeApplication) -> ProgrammeApplication:
    """The application re-read under a row lock: every change of one application is serialised on it."""
    return ProgrammeApplication.objects.select_for_update().select_related("programme__organization").get(
        pk=application.pk
    )


def application_number() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval('organizations_application_number_seq')")
        (sequence,) = cursor.fetchone()
    return f"PA{timezone.now():%Y}-{sequence:06d}"


def transition(
    application: ProgrammeApplication, to_status: str, *, actor, action: str, note: str = "", fields=()
) -> ApplicationEvent:
    """Move along an edge of TRANSITIONS (else InvalidTransition), save the changed fields, write the event."""
    application.check_transition(to_status)
    from_status = application.status
    application.status = to_status
    application.save(update_fields=["status", *fields])
    return ApplicationEvent.objects.create(
        application=application, action=action, from_status=from_status, to_status=to_status, actor=actor, note=note
    )


def record(application: ProgrammeApplication, action: str, *, actor, note: str = "") -> ApplicationEvent:
    """An event that does not change the status (a review submitted, a condition answered, ...)."""
    return ApplicationEvent.objects.create(
        application=application, action=action, from_status=application.status, to_status=application.status,
        actor=actor, note=note,
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


def add_years(day: date, years: int) -> date:
    """The same calendar day ``years`` later (28 February for 29 February in a common year)."""
    year = day.year + years
    return day.replace(year=year, day=min(day.day, calendar.monthrange(year, day.month)[1]))


def validity(start: date, *, years: int) -> tuple[date, date]:
    """An accreditation period: from ``start`` through the day before the same date ``years`` later."""
    return start, add_years(start, years) - timedelta(days=1)


def mail_staff(application: ProgrammeApplication, template: str, *, key: str, context: dict | None = None) -> None:
    recipients = selectors.staff_emails(organization_id=application.programme.organization_id)
    if recipients:
        outbox_enqueue_template(
            key=key, to=recipients, template=f"organizations/email/{template}",
            context={"application": application, "programme": application.programme,
                     "organization": application.programme.organization, **(context or {})},
        )


def mail_committee(application: ProgrammeApplication, template: str, *, key: str, context: dict | None = None) -> None:
    recipients = selectors.committee_emails()
    if recipients:
        outbox_enqueue_template(
            key=key, to=recipients, template=f"organizations/email/{template}",
            context={"application": application, "programme": application.programme,
                     "organization": application.programme.organization, **(context or {})},
        )


def refuse(message: str, code: str = "invalid") -> ValidationError:
    return ValidationError(message, code=code)
