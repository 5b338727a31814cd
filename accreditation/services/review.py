"""What the committee (and the portal on its behalf) does: assign, ask, accept, approve, reject, lapse."""

import dataclasses
import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accreditation.eligibility import approval_blockers, evaluate, exam_acceptance_blockers
from accreditation.models import ApplicationStatus, EventAction, LevelApplication
from accreditation.selectors import facts_for, is_reviewer, reviewer_choices
from accreditation.services.workflow import (
    application_transition,
    blockers_error,
    locked,
    notify,
    require_reviewer,
    require_text,
)
from applicants.models import User
from applicants.services import hours_entries_lock
from certificates.services import certificate_issue
from workflows.conflicts import decision_conflict
from workflows.services import event_record

logger = logging.getLogger(__name__)
S = ApplicationStatus


def _requirements(application: LevelApplication, **overrides):
    facts = facts_for(user=application.applicant, level=application.level, application=application)
    if overrides:
        facts = dataclasses.replace(facts, **overrides)
    return evaluate(application.level.rules(), facts)


def _assign(application: LevelApplication, reviewer: User, *, actor: User | None, note: str = "") -> None:
    application.reviewer = reviewer
    application.save(update_fields=["reviewer"])
    event = event_record(application, action=EventAction.REVIEWER_ASSIGNED, actor=actor,
                   note=note or _("Assigned to %(reviewer)s.") % {"reviewer": reviewer})
    notify(application, event, "application_reviewer_assigned", to=reviewer)


def reviewer_auto_assign(application: LevelApplication) -> User | None:
    """Give a new submission to the reviewer with the fewest open reviews, never to a conflicted one."""
    candidates = reviewer_choices(application)
    if not candidates:
        event_record(application, action=EventAction.REVIEWER_ASSIGNED, actor=None,
               note=_("No reviewer without a conflict of interest is available; assign one in the admin."))
        return None
    _assign(application, candidates[0], actor=None,
            note=_("Assigned automatically to %(reviewer)s (fewest open reviews).") % {"reviewer": candidates[0]})
    return candidates[0]


@transaction.atomic
def application_assign_reviewer(*, application: LevelApplication, reviewer: User, actor: User) -> LevelApplication:
    """Reassign a submitted application to another reviewer (never their own, never a QTSP conflict)."""
    application = locked(application)
    require_reviewer(application, actor)
    if not application.is_open or application.is_draft:
        raise ValidationError(_("%(number)s is not in review.") % {"number": application.number})
    if not is_reviewer(reviewer):
        raise ValidationError(_("%(person)s is not a committee reviewer.") % {"person": reviewer})
    conflict = decision_conflict(decider=reviewer, person=application.applicant)
    if conflict:
        raise ValidationError(
            _("%(person)s cannot review %(number)s: conflict of interest (%(reason)s).")
            % {"person": reviewer, "number": application.number, "reason": conflict},
            code="conflict_of_interest",
        )
    if application.reviewer_id != reviewer.pk:
        _assign(application, reviewer, actor=actor)
    return application


@transaction.atomic
def application_review_start(*, application: LevelApplication | int, actor: User | None = None,
                             note: str = "") -> LevelApplication:
    """Start the review of a submitted application (the fee is paid); a repeat call changes nothing."""
    application = locked(application)
    if application.status != S.SUBMITTED:
        return application
    event = application_transition(application, S.UNDER_REVIEW, actor=actor, action=EventAction.REVIEW_STARTED, note=note)
    notify(application, event, "application_review_started")
    return application


def application_payment_received(*, reference: str) -> LevelApplication | None:
    """The accreditation fee for ``application:<pk>`` is paid: start its review (idempotent)."""
    prefix, _sep, pk = reference.partition(":")
    if prefix != "application" or not pk.isdigit():
        return None
    if not LevelApplication.objects.filter(pk=int(pk)).exists():
        logger.warning("Paid accreditation invoice names no application: %s", reference)
        return None
    return application_review_start(application=int(pk), actor=None, note=_("The accreditation fee was paid."))


@transaction.atomic
def application_request_information(*, application: LevelApplication, actor: User, message: str) -> LevelApplication:
    """Ask the applicant for more; they answer and the application comes back under review."""
    application = locked(application)
    require_reviewer(application, actor)
    message = require_text(message, _("Say what information the applicant should provide."))
    event = application_transition(application, S.INFORMATION_REQUESTED, actor=actor, action=EventAction.INFORMATION_REQUESTED,
                 note=message)
    notify(application, event, "application_information_requested", message=message)
    return application


@transaction.atomic
def application_accept_for_exam(*, application: LevelApplication, actor: User, note: str = "") -> LevelApplication:
    """Every requirement but the exam is met (or judged by the reviewer): the eligibility window opens."""
    application = locked(application)
    require_reviewer(application, actor)
    application.check_transition(S.ACCEPTED_FOR_EXAM)
    if blockers := exam_acceptance_blockers(_requirements(application)):
        raise blockers_error(
            _("%(number)s cannot be accepted for the exam yet:") % {"number": application.number}, blockers
        )
    event = application_transition(application, S.ACCEPTED_FOR_EXAM, actor=actor, action=EventAction.ACCEPTED_FOR_EXAM,
                 note=(note or "").strip())
    notify(application, event, "application_accepted_for_exam")
    return application


@transaction.atomic
def application_approve(*, application: LevelApplication, actor: User | None, note: str = "") -> LevelApplication:
    """Approve: every requirement, the exam included, is met or judged. The hours it counted are locked.

    This is the hand-over to certificate issuing: a later ``certificate_issue`` runs inside this same
    transaction, so an approval without its certificate cannot commit.
    """
    application = locked(application)
    require_reviewer(application, actor)
    application.check_transition(S.APPROVED)
    if blockers := approval_blockers(_requirements(application)):
        raise blockers_error(_("%(number)s cannot be approved yet:") % {"number": application.number}, blockers)
    return _approve(application, actor=actor, note=note)


def _approve(application: LevelApplication, *, actor: User | None, note: str) -> LevelApplication:
    event = application_transition(application, S.APPROVED, actor=actor, action=EventAction.APPROVED, note=(note or "").strip())
    counted = [entry["id"] for entry in application.snapshot.get("hours_entries", [])]
    hours_entries_lock(user=application.applicant, entry_ids=counted)
    notify(application, event, "application_approved")
    # The certificate is issued in the approval's transaction (its PDF is rendered after commit).
    certificate_issue(
        user=application.applicant,
        level_code=application.level.code,
        legal_name=application.snapshot.get("profile", {}).get("legal_name") or application.applicant.get_full_name(),
        actor=actor,
        source=f"application:{application.pk}",
    )
    return application


@transaction.atomic
def application_reject(*, application: LevelApplication, actor: User, reason: str) -> LevelApplication:
    """Reject with the reasons the applicant reads; they may appeal once within the appeal period."""
    application = locked(application)
    require_reviewer(application, actor)
    reason = require_text(reason, _("Give the reasons for the rejection; the applicant reads them."))
    application.rejection_reason = reason
    event = application_transition(application, S.REJECTED, actor=actor, action=EventAction.REJECTED, note=reason,
                 fields=("rejection_reason",))
    from accreditation.services.appeals import appeal_deadline

    notify(application, event, "application_rejected", reason=reason, appeal_until=appeal_deadline(application))
    return application


@transaction.atomic
def application_lapse(*, application_id: int, actor: User | None, reason: str) -> LevelApplication:
    """The eligibility window or the attempts ran out without a pass (called by the exams app)."""
    application = locked(application_id)
    if application.status == S.LAPSED:
        return application
    event = application_transition(application, S.LAPSED, actor=actor, action=EventAction.LAPSED, note=(reason or "").strip())
    notify(application, event, "application_lapsed", reason=reason)
    return application


@transaction.atomic
def application_exam_passed(*, candidate: User, level_code: str) -> LevelApplication | None:
    """The exams app reports a pass: approve when nothing else is open, else hand back to the reviewer."""
    application = (
        LevelApplication.objects.select_for_update(of=("self",)).select_related("level", "applicant")
        .filter(applicant=candidate, level__code=level_code, status=S.ACCEPTED_FOR_EXAM).first()
    )
    if application is None:
        logger.info("Exam pass of user %s at %s matches no application accepted for the exam", candidate.pk,
                    level_code)
        return None
    application.exam_passed_at = timezone.now()
    application.save(update_fields=["exam_passed_at"])
    blockers = approval_blockers(_requirements(application, exam_passed=True))
    if not blockers:
        event_record(application, action=EventAction.EXAM_PASSED, actor=None)
        return _approve(application, actor=None, note=_("Exam passed; every other requirement was met."))
    note = _("Exam passed, but still open: %(open)s. The reviewer makes the final decision.") % {
        "open": "; ".join(f"{r.label}: {r.reason}" for r in blockers)}
    event = application_transition(application, S.UNDER_REVIEW, actor=None, action=EventAction.EXAM_PASSED, note=note)
    notify(application, event, "application_exam_passed")
    if application.reviewer_id:
        notify(application, event, "application_final_decision", to=application.reviewer, blockers=blockers)
    return application
