"""One appeal per rejection, within the appeal period, decided by a reviewer other than the one who rejected."""

from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from accreditation.models import Appeal, AppealDecision, ApplicationStatus, EventAction, LevelApplication
from accreditation.selectors import rejected_by, reviewer_choices
from accreditation.services.workflow import (
    application_transition,
    locked,
    notify,
    require_owner,
    require_reviewer,
    require_text,
)
from applicants.models import User
from workflows.services import event_record

S = ApplicationStatus


def appeal_deadline(application: LevelApplication) -> datetime | None:
    if application.status != S.REJECTED or application.decided_at is None:
        return None
    return application.decided_at + timedelta(days=settings.ACCREDITATION_APPEAL_DAYS)


def appeal_open(application: LevelApplication) -> bool:
    """May the applicant still appeal? (rejected, within the period, not appealed before)"""
    deadline = appeal_deadline(application)
    return deadline is not None and timezone.now() <= deadline and not Appeal.objects.filter(
        application=application).exists()


@transaction.atomic
def appeal_file(*, application: LevelApplication, actor: User, statement: str) -> Appeal:
    """File the one appeal against a rejection; a reviewer other than the one who rejected decides it."""
    application = locked(application)
    require_owner(application, actor)
    statement = require_text(statement, _("Explain why the decision should change."))
    deadline = appeal_deadline(application)
    if deadline is None:
        raise ValidationError(_("Only a rejected application can be appealed."), code="not_rejected")
    if timezone.now() > deadline:
        raise ValidationError(
            _("The appeal period ended on %(date)s.") % {"date": formats.date_format(timezone.localtime(deadline), "DATE_FORMAT")}, code="too_late"
        )
    rejecter = rejected_by(application)
    candidates = [r for r in reviewer_choices(application) if rejecter is None or r.pk != rejecter.pk]
    try:
        with transaction.atomic():
            appeal = Appeal.objects.create(
                application=application, statement=statement, rejected_by=rejecter,
                reviewer=candidates[0] if candidates else None,
            )
    except IntegrityError as error:
        raise ValidationError(_("This rejection has already been appealed; an appeal is possible once."),
                              code="appealed") from error
    event = event_record(application, action=EventAction.APPEAL_FILED, actor=actor, note=statement)
    notify(application, event, "appeal_filed", appeal=appeal)
    if appeal.reviewer:
        notify(application, event, "appeal_assigned", to=appeal.reviewer, appeal=appeal)
    return appeal


@transaction.atomic
def appeal_decide(*, appeal: Appeal, actor: User, grant: bool, reason: str) -> Appeal:
    """Grant (the application is reviewed again, by the deciding reviewer) or dismiss (the rejection stands)."""
    appeal = Appeal.objects.select_for_update().select_related("application").get(pk=appeal.pk)
    application = locked(appeal.application_id)
    require_reviewer(application, actor)
    if actor is None or (appeal.rejected_by_id and appeal.rejected_by_id == actor.pk):
        raise ValidationError(_("An appeal is decided by a reviewer other than the one who rejected the application."),
                              code="same_reviewer")
    if appeal.decision != AppealDecision.PENDING:
        raise ValidationError(_("This appeal has already been decided."), code="decided")
    reason = require_text(reason, _("Give the reasons for the decision on the appeal."))
    appeal.decision = AppealDecision.GRANTED if grant else AppealDecision.DISMISSED
    appeal.decision_reason, appeal.decided_by, appeal.decided_at = reason, actor, timezone.now()
    appeal.save(update_fields=["decision", "decision_reason", "decided_by", "decided_at"])
    if grant:
        application.reviewer, application.decided_at, application.closed_at = actor, None, None
        try:
            with transaction.atomic():
                event = application_transition(application, S.UNDER_REVIEW, actor=actor, action=EventAction.APPEAL_GRANTED, note=reason,
                             fields=("reviewer", "decided_at", "closed_at"))
        except IntegrityError as error:
            raise ValidationError(
                _("The applicant has opened another application for this level since; it must be withdrawn before "
                  "this one can be reviewed again."), code="one_open_per_level",
            ) from error
    else:
        event = event_record(application, action=EventAction.APPEAL_DISMISSED, actor=actor, note=reason)
    notify(application, event, "appeal_decided", appeal=appeal)
    return appeal
