"""What every application service shares beyond the engine: the lock, the timestamps a status sets, checks, mail.

Moves and history lines go through ``workflows.services`` (``transition`` / ``event_record``).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from accreditation.eligibility import Requirement
from accreditation.models import ApplicationEvent, ApplicationStatus, LevelApplication
from accreditation.selectors import REVIEW_PERMISSION, is_reviewer
from applicants.models import User
from notifications.services import outbox_enqueue_template
from workflows.conflicts import decision_conflict_check
from workflows.services import transition

S = ApplicationStatus

# Which timestamp a status sets when an application enters it.
ENTERED_AT = {
    S.SUBMITTED: "submitted_at",
    S.UNDER_REVIEW: "review_started_at",
    S.ACCEPTED_FOR_EXAM: "accepted_at",
    S.APPROVED: "decided_at",
    S.REJECTED: "decided_at",
}
CLOSING = {S.APPROVED, S.REJECTED, S.WITHDRAWN, S.LAPSED}


def locked(application_or_id) -> LevelApplication:
    """Re-read the application under a row lock: every transition starts here."""
    pk = getattr(application_or_id, "pk", application_or_id)
    return LevelApplication.objects.select_for_update(of=("self",)).select_related("level", "applicant").get(pk=pk)


def application_transition(application: LevelApplication, to: str, *, actor: User | None, action: str,
                           note: str = "", fields: tuple[str, ...] = ()) -> ApplicationEvent:
    """``workflows.services.transition`` plus the timestamp the new status sets (and ``closed_at``)."""
    application.check_transition(to)
    changed = list(fields)
    now = timezone.now()
    if stamp := ENTERED_AT.get(to):
        setattr(application, stamp, now)
        changed.append(stamp)
    if to in CLOSING:
        application.closed_at = now
        changed.append("closed_at")
    return transition(application, to, actor=actor, note=note, update_fields=changed, action=action)


def require_owner(application: LevelApplication, actor: User) -> None:
    if actor is None or application.applicant_id != actor.pk:
        raise PermissionDenied("only the applicant can do this")


def require_reviewer(application: LevelApplication, actor: User | None) -> None:
    """A committee reviewer with the review permission and no conflict of interest; None is the portal itself."""
    if actor is None:
        return
    if not (is_reviewer(actor) and actor.has_perm(REVIEW_PERMISSION)):
        raise PermissionDenied("only committee reviewers decide applications")
    decision_conflict_check(decider=actor, person=application.applicant)


def require_text(value: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError(message, code="required")
    return value


def blockers_error(intro: str, blockers: list[Requirement]) -> ValidationError:
    lines = "; ".join(f"{requirement.label}: {requirement.reason}" for requirement in blockers)
    return ValidationError(f"{intro} {lines}.", code="requirements")


def _context(application: LevelApplication, **extra) -> dict:
    from django.conf import settings

    return {
        "application": application,
        "applicant": application.applicant,
        "level": application.level,
        "application_url": settings.SITE_URL + reverse("accreditation:application_detail", args=[application.pk]),
        "admin_url": settings.SITE_URL + reverse("admin:accreditation_levelapplication_change", args=[application.pk]),
        **extra,
    }


def notify(application: LevelApplication, event: ApplicationEvent, template: str, *, to: User | None = None,
           **extra) -> None:
    """Queue the email for this event in the current transaction (once per event, whatever retries)."""
    recipient = to or application.applicant
    outbox_enqueue_template(
        key=f"application-{template}:{application.pk}:{event.pk}:{recipient.pk}",
        to=recipient.email,
        template=f"accreditation/email/{template}",
        context=_context(application, event=event, recipient=recipient, **extra),
        language=recipient.preferred_language or None,
    )
