"""Mail about an application, to the organization's staff or to the committee, through the outbox."""

from __future__ import annotations

from notifications.services import outbox_enqueue_template
from organizations import selectors
from organizations.models import ProgrammeApplication


def _context(application: ProgrammeApplication, extra: dict | None) -> dict:
    return {"application": application, "programme": application.programme,
            "organization": application.programme.organization, **(extra or {})}


def mail_staff(application: ProgrammeApplication, template: str, *, key: str, context: dict | None = None) -> None:
    recipients = selectors.staff_emails(organization_id=application.programme.organization_id)
    if recipients:
        outbox_enqueue_template(key=key, to=recipients, template=f"organizations/email/{template}",
                                context=_context(application, context))


def mail_committee(application: ProgrammeApplication, template: str, *, key: str, context: dict | None = None) -> None:
    recipients = selectors.committee_emails()
    if recipients:
        outbox_enqueue_template(key=key, to=recipients, template=f"organizations/email/{template}",
                                context=_context(application, context))
