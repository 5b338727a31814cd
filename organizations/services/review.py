"""The committee's side: reviewers take an application, score it blind, and the committee decides."""

from __future__ import annotations

from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from certificates.services import certificate_issue_programme
from organizations.conflicts import application_people
from organizations.models import (
    SCORE_MAX,
    ApplicationKind,
    ApplicationStatus,
    Condition,
    Criterion,
    EventAction,
    ProgrammeApplication,
    Review,
    Score,
)
from organizations.services.access import application_locked, require_no_conflict, require_permission
from organizations.services.mail import mail_committee, mail_staff
from workflows.conflicts import decision_conflicts
from workflows.services import event_record, transition

# ---- reviews ----------------------------------------------------------------------------------------------


@transaction.atomic
def review_assign(*, application: ProgrammeApplication, reviewer, actor) -> Review:
    """Give the application to ``reviewer`` with one empty score per standard in use."""
    require_permission(actor, "assign_programmereviewer")
    application = application_locked(application)
    require_no_conflict(actor, application)
    if application.status != ApplicationStatus.UNDER_REVIEW:
        raise ValidationError(_("%(number)s is not under review.") % {"number": application.number}, "not_under_review")
    if not (reviewer.is_staff and reviewer.has_perm("organizations.change_review")):
        raise ValidationError(_("%(person)s is not a committee reviewer.") % {"person": reviewer}, "not_a_reviewer")
    conflict = decision_conflicts(decider=reviewer, people=application_people(application))
    if conflict:
        raise ValidationError(_("%(person)s cannot review %(number)s: conflict of interest (%(reason)s).")
                              % {"person": reviewer, "number": application.number, "reason": conflict},
                              "conflict_of_interest")
    if application.reviews.filter(reviewer=reviewer).exists():
        raise ValidationError(_("%(person)s already reviews %(number)s.") % {"person": reviewer, "number": application.number},
                     "already_reviewing")
    if application.reviews.count() >= application.reviews_required:
        raise ValidationError(_("%(number)s already has its %(count)s reviewers.")
                     % {"number": application.number, "count": application.reviews_required}, "reviewers_full")
    try:
        with transaction.atomic():
            review = Review.objects.create(application=application, reviewer=reviewer)
    except IntegrityError:
        raise ValidationError(_("%(person)s already reviews %(number)s.")
                     % {"person": reviewer, "number": application.number}, "already_reviewing") from None
    Score.objects.bulk_create(Score(review=review, criterion=criterion) for criterion in Criterion.objects.active())
    note = str(reviewer) if reviewer == actor else _("%(person)s, by %(actor)s") % {"person": reviewer, "actor": actor}
    event_record(application, action=EventAction.REVIEWER_ASSIGNED, actor=actor, note=note)
    return review


@transaction.atomic
def review_save(
    *, review: Review, actor, scores: dict[int, tuple[int | None, str]], summary: str = "", submit: bool = False,
) -> Review:
    """Save the reviewer's scores (criterion id -> (0-4 or None, comment)); ``submit`` makes them final.

    The last required review to be submitted opens all reviews of the application to every reviewer.
    """
    application = application_locked(review.application)  # the application first, then the review: one lock order
    require_no_conflict(actor, application)
    review = Review.objects.select_for_update().get(pk=review.pk)
    if review.reviewer_id != getattr(actor, "pk", None):
        raise ValidationError(_("Only the assigned reviewer can score this review."), "not_your_review")
    if review.is_submitted:
        raise ValidationError(_("This review was submitted and can no longer be changed."), "review_submitted")
    if application.status != ApplicationStatus.UNDER_REVIEW:
        raise ValidationError(_("%(number)s is no longer under review.") % {"number": application.number}, "not_under_review")
    rows = {score.criterion_id: score for score in review.scores.select_for_update()}
    for criterion_id, (value, comment) in scores.items():
        if criterion_id not in rows:
            raise ValidationError(_("That standard is not part of this review."))
        if value is not None and not 0 <= int(value) <= SCORE_MAX:
            raise ValidationError(_("Scores go from 0 to %(max)s.") % {"max": SCORE_MAX}, "score_range")
        rows[criterion_id].score = None if value is None else int(value)
        rows[criterion_id].comment = (comment or "").strip()
    Score.objects.bulk_update(rows.values(), ["score", "comment"])
    review.summary = summary.strip()
    fields = ["summary"]
    if submit:
        unscored = [str(row.criterion) for row in rows.values() if row.score is None]
        if unscored:
            raise ValidationError(_("Score every standard before submitting: %(missing)s.") % {"missing": ", ".join(unscored)},
                         "unscored")
        review.submitted_at = timezone.now()
        fields.append("submitted_at")
    review.save(update_fields=fields)
    if submit:
        event_record(application, action=EventAction.REVIEW_SUBMITTED, actor=actor)
        submitted = application.reviews.submitted().count()
        if submitted >= application.reviews_required and application.reviews_completed_at is None:
            application.reviews_completed_at = timezone.now()
            application.save(update_fields=["reviews_completed_at"])
            mail_committee(application, "reviews_complete", key=f"organizations:reviews-complete:{application.pk}")
    return review


# ---- the decision -----------------------------------------------------------------------------------------


def _certificate_issue(application: ProgrammeApplication, *, actor) -> bool:
    """Issue the programme certificate in this transaction."""
    organization = application.programme.organization
    certificate = certificate_issue_programme(
        organization_id=organization.pk, organization_name=organization.legal_name,
        programme_name=application.programme.name, actor=actor,
    )
    # The register's dates are what verification shows; keep the accreditation's period the same.
    application.certificate_number = certificate.number
    application.valid_from = certificate.valid_from
    application.valid_until = certificate.expires_on - timedelta(days=1)
    application.save(update_fields=["certificate_number", "valid_from", "valid_until"])
    event_record(application, action=EventAction.CERTIFICATE_ISSUED, actor=actor, note=certificate.number)
    return True


@transaction.atomic
def application_decide(
    *, application: ProgrammeApplication, actor, decision: str, reasons: str,
    conditions: list[tuple[str, date]] = (), today: date | None = None,
) -> ProgrammeApplication:
    """The committee's decision: accredited, accredited with conditions (each with a due date), or rejected."""
    require_permission(actor, "decide_programmeapplication")
    application = application_locked(application)
    require_no_conflict(actor, application)
    today = today or timezone.localdate()
    reasons = reasons.strip()
    conditions = [(text.strip(), due_on) for text, due_on in conditions if text and text.strip()]
    if application.status != ApplicationStatus.UNDER_REVIEW:
        raise ValidationError(_("%(number)s is not under review.") % {"number": application.number}, "not_under_review")
    if application.reviews_completed_at is None:
        raise ValidationError(_("Wait for all %(count)s reviews before deciding.") % {"count": application.reviews_required},
                     "reviews_incomplete")
    if decision not in (ApplicationStatus.ACCREDITED, ApplicationStatus.CONDITIONAL, ApplicationStatus.REJECTED):
        raise ValidationError(_("Choose accredited, accredited with conditions, or rejected."))
    if decision in (ApplicationStatus.REJECTED, ApplicationStatus.CONDITIONAL) and not reasons:
        raise ValidationError(_("Give the reasons for this decision; the organization reads them."), "reasons_required")
    if decision == ApplicationStatus.CONDITIONAL and not conditions:
        raise ValidationError(_("List at least one condition with its due date."), "conditions_required")
    if decision != ApplicationStatus.CONDITIONAL and conditions:
        raise ValidationError(_("Conditions belong to an accreditation with conditions."), "conditions_not_allowed")
    if any(due_on is None or due_on <= today for _text, due_on in conditions):
        raise ValidationError(_("Every condition needs a due date after today."), "condition_due_date")

    application.decision_reasons, application.decided_by, application.decided_at = reasons, actor, timezone.now()
    fields = ["decision_reasons", "decided_by", "decided_at"]
    if decision == ApplicationStatus.REJECTED:
        application.ended_at = application.decided_at
        transition(application, decision, actor=actor, action=EventAction.REJECTED, note=reasons,
                   update_fields=[*fields, "ended_at"])
        mail_staff(application, "application_rejected", key=f"organizations:decided:{application.pk}")
        return application

    # A renewal starts a new period on the day of the decision, as its new certificate does; the running
    # accreditation it replaces ends now (the certificate register supersedes the old certificate itself).
    # From the decision through the day before the same date N years later (28 February for 29 February).
    application.valid_from = today
    application.valid_until = (
        today + relativedelta(years=settings.ORGANIZATIONS_ACCREDITATION_VALIDITY_YEARS) - timedelta(days=1))
    previous = application.previous if application.kind == ApplicationKind.RENEWAL else None
    if previous is not None and previous.status in (ApplicationStatus.ACCREDITED, ApplicationStatus.CONDITIONAL):
        previous = application_locked(previous)
        previous.ended_at = application.decided_at
        transition(previous, ApplicationStatus.SUPERSEDED, actor=actor, action=EventAction.SUPERSEDED,
                   note=application.number, update_fields=["ended_at"])
    action = EventAction.ACCREDITED if decision == ApplicationStatus.ACCREDITED else EventAction.CONDITIONAL
    transition(application, decision, actor=actor, action=action, note=reasons,
               update_fields=[*fields, "valid_from", "valid_until"])
    Condition.objects.bulk_create(
        Condition(application=application, text=text, due_on=due_on) for text, due_on in conditions
    )
    _certificate_issue(application, actor=actor)
    mail_staff(application, "application_accredited", key=f"organizations:decided:{application.pk}",
               context={"conditions": list(application.conditions.all())})
    return application
