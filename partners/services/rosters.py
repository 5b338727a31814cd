"""A cohort's roster: trainees added by email, withdrawn, their attendance and completion, the CSV export."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from documents.csv import SafeCsvWriter
from notifications.services import outbox_enqueue_template
from partners.models import Cohort, Enrolment
from partners.services.qtsps import qtsp_require_active


def seats_take(cohort: Cohort, count: int) -> None:
    """Take ``count`` places in one conditional UPDATE; the CHECK constraint backs it under any race."""
    taken = Cohort.objects.filter(pk=cohort.pk, seats_taken__lte=F("capacity") - count).update(
        seats_taken=F("seats_taken") + count
    )
    if not taken:
        left = Cohort.objects.values_list("capacity", "seats_taken").get(pk=cohort.pk)
        raise ValidationError(
            ngettext(
                "No places left: the cohort has %(left)s place left.",
                "No places left: the cohort has %(left)s places left.",
                left[0] - left[1],
            ) % {"left": left[0] - left[1]}
        )


def enrolment_create(*, cohort: Cohort, email: str, full_name: str, actor) -> Enrolment:
    """One roster line and its invitation mail, once the caller has taken its place (``seats_take``).

    Nothing about an account with that address is looked up or shown: the person accepts from their
    dashboard, signed in with the address, and only then is the record theirs.
    """
    try:
        with transaction.atomic():
            enrolment = Enrolment.objects.create(cohort=cohort, email=email, full_name=full_name, added_by=actor)
    except IntegrityError as exc:
        raise ValidationError(_("%(email)s is already on this roster.") % {"email": email}) from exc
    outbox_enqueue_template(
        key=f"enrolment-added:{enrolment.pk}",
        to=email,
        sensitive=True,  # an invitation: staff have no business reading who was invited where
        template="partners/email/trainee_added",
        context={
            "enrolment": enrolment, "cohort": cohort, "programme": cohort.programme, "qtsp": cohort.programme.qtsp,
            "dashboard_url": reverse("applicants:dashboard"), "signup_url": reverse("account_signup"),
        },
    )
    return enrolment


@transaction.atomic
def enrolment_add(*, cohort: Cohort, email: str, actor, full_name: str = "") -> Enrolment:
    """Invite a trainee to the roster by email; the record is theirs once they accept (``enrolment_accept``)."""
    qtsp_require_active(cohort.programme.qtsp)
    email = email.strip().lower()
    validate_email(email)
    if cohort.enrolments.exclude(status=Enrolment.Status.WITHDRAWN).filter(email__iexact=email).exists():
        raise ValidationError(_("%(email)s is already on this roster.") % {"email": email})
    seats_take(cohort, 1)
    return enrolment_create(cohort=cohort, email=email, full_name=full_name.strip(), actor=actor)


@transaction.atomic
def enrolment_withdraw(*, enrolment: Enrolment, actor) -> Enrolment:
    """Take a trainee off the roster and give the place back."""
    enrolment = Enrolment.objects.select_for_update(of=("self",)).select_related("cohort__programme__qtsp").get(pk=enrolment.pk)
    qtsp_require_active(enrolment.cohort.programme.qtsp)
    if enrolment.status != Enrolment.Status.ENROLLED:
        raise ValidationError(_("Only a trainee still in training can be withdrawn."))
    enrolment.status = Enrolment.Status.WITHDRAWN
    enrolment._change_reason = "withdrawn"
    enrolment.save(update_fields=["status"])
    Cohort.objects.filter(pk=enrolment.cohort_id).update(seats_taken=F("seats_taken") - 1)
    return enrolment


class Outcome:
    IN_TRAINING = "in_training"
    PASSED = "passed"
    FAILED = "failed"


@transaction.atomic
def enrolment_record(
    *, enrolment: Enrolment, actor, attended_hours: Decimal, attended_days: int, outcome: str,
    completed_on: date | None = None,
) -> Enrolment:
    """Record a trainee's attendance and, when ``outcome`` is passed or failed, the completion.

    A pass needs the programme's hours and in-person days; it then counts for the trainee's eligibility.
    """
    enrolment = Enrolment.objects.select_for_update(of=("self",)).select_related("cohort__programme__qtsp", "trainee").get(
        pk=enrolment.pk
    )
    programme = enrolment.cohort.programme
    qtsp_require_active(programme.qtsp)
    if _is_own_record(enrolment, actor):
        raise ValidationError(_("You cannot record your own training: another member of staff has to."))
    if enrolment.status == Enrolment.Status.WITHDRAWN:
        raise ValidationError(_("This trainee was withdrawn from the cohort."))
    if attended_hours is None or attended_hours < 0 or attended_days is None or attended_days < 0:
        raise ValidationError(_("Attended hours and days cannot be negative."))
    if outcome == Outcome.PASSED and (attended_hours < programme.required_hours or attended_days < programme.required_days):
        raise ValidationError(
            _("A pass needs %(hours)s hours and %(days)s in-person days of attendance; %(name)s has %(has_hours)s "
              "hours and %(has_days)s days.")
            % {"hours": programme.required_hours, "days": programme.required_days, "name": enrolment.display_name,
               "has_hours": attended_hours, "has_days": attended_days}
        )
    was_completed = (enrolment.status, enrolment.passed, enrolment.completed_on)
    enrolment.attended_hours, enrolment.attended_days = attended_hours, attended_days
    if outcome == Outcome.IN_TRAINING:
        enrolment.status, enrolment.passed, enrolment.completed_on = Enrolment.Status.ENROLLED, None, None
    elif outcome in (Outcome.PASSED, Outcome.FAILED):
        finished = completed_on or enrolment.completed_on or timezone.localdate()
        if finished > timezone.localdate():
            raise ValidationError(_("The completion date cannot be in the future."))
        if completed_on is not None and completed_on < enrolment.cohort.starts_on:
            raise ValidationError(_("The training cannot be completed before the cohort starts on %(date)s.")
                                  % {"date": formats.date_format(enrolment.cohort.starts_on, "DATE_FORMAT")})
        enrolment.status = Enrolment.Status.COMPLETED
        enrolment.passed = outcome == Outcome.PASSED
        enrolment.completed_on = finished
    else:
        raise ValidationError(_("Choose in training, passed or failed."))
    enrolment.save(update_fields=["attended_hours", "attended_days", "status", "passed", "completed_on"])
    now_completed = (enrolment.status, enrolment.passed, enrolment.completed_on)
    if enrolment.status == Enrolment.Status.COMPLETED and now_completed != was_completed:
        outbox_enqueue_template(
            key=f"enrolment-completed:{enrolment.pk}:{enrolment.passed}:{enrolment.completed_on.isoformat()}",
            to=enrolment.trainee.email if enrolment.trainee_id else enrolment.email,
            template="partners/email/trainee_completed",
            context={"enrolment": enrolment, "programme": programme, "qtsp": programme.qtsp,
                     "dashboard_url": reverse("applicants:dashboard")},
        )
    return enrolment


def _is_own_record(enrolment: Enrolment, actor) -> bool:
    """The actor is the trainee: by account, or by any of their addresses (before the invitation is accepted)."""
    if actor is None:
        return False
    if enrolment.trainee_id == actor.pk:
        return True
    return EmailAddress.objects.filter(user=actor, email__iexact=enrolment.email).exists() or (
        actor.email.lower() == enrolment.email.lower()
    )


@transaction.atomic
def enrolment_accept(*, enrolment: Enrolment, user) -> Enrolment:
    """The invited person accepts: the record becomes theirs and, once passed, counts for their eligibility."""
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    if enrolment.is_accepted or enrolment.status == Enrolment.Status.WITHDRAWN:
        raise ValidationError(_("This training invitation is no longer open."))
    if not EmailAddress.objects.filter(user=user, email__iexact=enrolment.email, verified=True).exists():
        raise ValidationError(_("This invitation was sent to another address. Sign in with that address (or add "
                                "and confirm it in your account) to accept it."))
    enrolment.trainee, enrolment.accepted_at = user, timezone.now()
    enrolment._change_reason = "accepted by the trainee"
    enrolment.save(update_fields=["trainee", "accepted_at"])
    return enrolment


@transaction.atomic
def enrolments_link(*, user, email: str) -> int:
    """Give a newly verified address its roster entries accepted before invitations existed (migrated ones).

    Entries invited since then wait for the person's own acceptance instead.
    """
    linked = 0
    for enrolment in Enrolment.objects.select_for_update().filter(
        trainee__isnull=True, accepted_at__isnull=False, email__iexact=email
    ):
        enrolment.trainee = user
        enrolment._change_reason = "linked on sign-up"
        enrolment.save(update_fields=["trainee"])
        linked += 1
    return linked


ROSTER_EXPORT_COLUMNS = ("email", "full_name", "status", "attended_hours", "attended_days", "passed", "completed_on",
                         "accepted")


def roster_csv(*, cohort: Cohort) -> str:
    """The roster as CSV text (one row per trainee, withdrawn ones included with their status)."""
    buffer = io.StringIO()
    writer = SafeCsvWriter(buffer)
    writer.writerow(ROSTER_EXPORT_COLUMNS)
    for enrolment in cohort.enrolments.select_related("trainee").order_by("full_name", "email"):
        writer.writerow([
            enrolment.email, enrolment.display_name if enrolment.is_accepted else enrolment.full_name,
            enrolment.status, enrolment.attended_hours, enrolment.attended_days,
            "" if enrolment.passed is None else ("yes" if enrolment.passed else "no"),
            enrolment.completed_on.isoformat() if enrolment.completed_on else "",
            "yes" if enrolment.is_accepted else "no",
        ])
    return buffer.getvalue()
