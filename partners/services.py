"""Every change in the partners app: one function per business action, each in one transaction.

Staff changes (invite, accept, remove) are the shared mechanism's services: ``partners.staff.qtsp_staff``.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from notifications.services import outbox_enqueue_template
from partners.models import (
    FASTTRACK_IN_PERSON_DAYS,
    FASTTRACK_LEVEL_CODE,
    FASTTRACK_ONLINE_HOURS,
    QTSP,
    Cohort,
    Enrolment,
    QTSPDocument,
    QTSPEvent,
    TrainingProgramme,
)
from partners.staff import qtsp_staff
from staff.models import StaffRole

# ---- the QTSP application and its decisions -------------------------------------------------------


@transaction.atomic
def qtsp_apply(*, actor, levels, documents=(), **fields) -> QTSP:
    """An organization applies to become a QTSP; the committee decides in the admin."""
    qtsp = QTSP(applied_by=actor, status=QTSP.Status.SUBMITTED, submitted_at=timezone.now(), **fields)
    qtsp.full_clean(exclude=["levels"])
    qtsp.save()
    qtsp.levels.set(levels)
    for upload in documents:
        QTSPDocument.objects.create(qtsp=qtsp, file=upload, original_name=upload.name)
    QTSPEvent.objects.create(qtsp=qtsp, actor=actor, from_status="", to_status=qtsp.status)
    outbox_enqueue_template(
        key=f"qtsp-submitted:{qtsp.pk}",
        to=_recipients(qtsp, actor),
        template="partners/email/qtsp_submitted",
        context={"qtsp": qtsp},
    )
    return qtsp


def _recipients(qtsp: QTSP, actor=None) -> list[str]:
    emails = [qtsp.contact_email.lower()]
    if actor is not None and actor.is_authenticated and actor.email.lower() not in emails:
        emails.append(actor.email.lower())
    return emails


@transaction.atomic
def qtsp_transition(*, qtsp: QTSP, to_status: str, actor, note: str = "") -> QTSP:
    """Move a QTSP along its workflow; refuses a move the table does not allow; records the event."""
    qtsp = QTSP.objects.select_for_update().get(pk=qtsp.pk)
    if not qtsp.can_become(to_status):
        raise ValidationError(
            _("A %(from)s QTSP cannot become %(to)s.")
            % {"from": qtsp.get_status_display().lower(), "to": QTSP.Status(to_status).label.lower()}
        )
    if to_status in {QTSP.Status.REJECTED, QTSP.Status.SUSPENDED} and not note.strip():
        raise ValidationError(_("Give the reasons; they are sent to the organization."))
    from_status = qtsp.status
    qtsp.status = to_status
    fields = ["status"]
    first_approval = to_status == QTSP.Status.APPROVED and qtsp.approved_at is None
    if first_approval:
        qtsp.approved_at = timezone.now()
        fields.append("approved_at")
    qtsp.save(update_fields=fields)
    event = QTSPEvent.objects.create(qtsp=qtsp, actor=actor, from_status=from_status, to_status=to_status, note=note)
    outbox_enqueue_template(
        key=f"qtsp-status:{qtsp.pk}:{event.pk}",
        to=_recipients(qtsp, qtsp.applied_by),
        template=f"partners/email/qtsp_{to_status}",
        context={"qtsp": qtsp, "note": note, "reinstated": from_status == QTSP.Status.SUSPENDED},
    )
    if first_approval:
        # The contact becomes the first owner by accepting (or by signing up with that address).
        qtsp_staff.invite(organisation=qtsp, email=qtsp.contact_email, role=StaffRole.OWNER, actor=actor)
    return qtsp


def qtsp_approve(*, qtsp: QTSP, actor, note: str = "") -> QTSP:
    return qtsp_transition(qtsp=qtsp, to_status=QTSP.Status.APPROVED, actor=actor, note=note)


def qtsp_reject(*, qtsp: QTSP, actor, note: str) -> QTSP:
    return qtsp_transition(qtsp=qtsp, to_status=QTSP.Status.REJECTED, actor=actor, note=note)


def qtsp_suspend(*, qtsp: QTSP, actor, note: str) -> QTSP:
    return qtsp_transition(qtsp=qtsp, to_status=QTSP.Status.SUSPENDED, actor=actor, note=note)


def _require_active(qtsp: QTSP) -> None:
    """Refuse changes for a QTSP that is not approved (status read fresh: the caller's copy may be old)."""
    qtsp.status = QTSP.objects.values_list("status", flat=True).get(pk=qtsp.pk)
    if qtsp.status != QTSP.Status.APPROVED:
        raise ValidationError(
            _("%(qtsp)s is %(status)s: its programmes and rosters cannot be changed until the committee "
              "reinstates it.") % {"qtsp": qtsp.name, "status": qtsp.get_status_display().lower()}
        )


# ---- programmes and cohorts --------------------------------------------------------------------------


def _programme_check(programme: TrainingProgramme) -> None:
    qtsp = programme.qtsp
    if not qtsp.levels.filter(pk=programme.level_id).exists():
        raise ValidationError(
            {"level": _("%(qtsp)s is approved to train %(levels)s only.")
             % {"qtsp": qtsp.name, "levels": ", ".join(qtsp.levels.values_list("code", flat=True)) or "—"}}
        )
    if programme.format not in qtsp.formats:
        raise ValidationError({"format": _("%(qtsp)s is approved for other training formats.") % {"qtsp": qtsp.name}})
    if programme.is_fasttrack:
        errors = {}
        if programme.level.code != FASTTRACK_LEVEL_CODE:
            errors["level"] = _("The fast track leads to the Senior Mentor level.")
        if programme.required_days < FASTTRACK_IN_PERSON_DAYS:
            errors["required_days"] = _("The fast track has at least %(days)s in-person days.") % {
                "days": FASTTRACK_IN_PERSON_DAYS}
        if programme.required_hours < FASTTRACK_ONLINE_HOURS:
            errors["required_hours"] = _("The fast track has at least %(hours)s online hours.") % {
                "hours": FASTTRACK_ONLINE_HOURS}
        if errors:
            raise ValidationError(errors)


PROGRAMME_FIELDS = ("title", "level", "format", "required_hours", "required_days", "is_fasttrack", "description",
                    "is_active")


@transaction.atomic
def programme_save(*, qtsp: QTSP, actor, programme: TrainingProgramme | None = None, **fields) -> TrainingProgramme:
    """Create a programme for ``qtsp``, or change ``programme``."""
    _require_active(qtsp)
    programme = programme or TrainingProgramme(qtsp=qtsp)
    if programme.qtsp_id != qtsp.pk:
        raise ValidationError(_("This programme belongs to another QTSP."))
    for name, value in fields.items():
        if name not in PROGRAMME_FIELDS:
            raise TypeError(name)
        setattr(programme, name, value)
    programme.full_clean()
    _programme_check(programme)
    programme.save()
    return programme


COHORT_FIELDS = ("name", "starts_on", "ends_on", "is_online", "venue", "capacity")


@transaction.atomic
def cohort_save(*, programme: TrainingProgramme, actor, cohort: Cohort | None = None, **fields) -> Cohort:
    """Create a cohort of ``programme``, or change ``cohort``; places never go below those taken."""
    _require_active(programme.qtsp)
    if cohort is not None:
        cohort = Cohort.objects.select_for_update().get(pk=cohort.pk)
    else:
        cohort = Cohort(programme=programme)
    if cohort.programme_id != programme.pk:
        raise ValidationError(_("This cohort belongs to another programme."))
    for name, value in fields.items():
        if name not in COHORT_FIELDS:
            raise TypeError(name)
        setattr(cohort, name, value)
    if cohort.ends_on and cohort.starts_on and cohort.ends_on < cohort.starts_on:
        raise ValidationError({"ends_on": _("A cohort cannot end before it starts.")})
    if not cohort.is_online and not cohort.venue.strip():
        raise ValidationError({"venue": _("Give the venue of the in-person days, or mark the cohort as online.")})
    if cohort.capacity is not None and cohort.capacity < cohort.seats_taken:
        raise ValidationError(
            {"capacity": _("%(taken)s trainees are already enrolled; the cohort needs at least that many places.")
             % {"taken": cohort.seats_taken}}
        )
    cohort.full_clean()
    cohort.save()
    return cohort


# ---- rosters ----------------------------------------------------------------------------------------


def _seats_take(cohort: Cohort, count: int) -> None:
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


def _account_for(email: str):
    address = EmailAddress.objects.filter(email__iexact=email, verified=True).select_related("user").first()
    return address.user if address else None


def _enrolment_create(*, cohort: Cohort, email: str, full_name: str, actor) -> Enrolment:
    trainee = _account_for(email)
    try:
        with transaction.atomic():
            enrolment = Enrolment.objects.create(
                cohort=cohort, email=email, full_name=full_name or (trainee.full_name if trainee else ""),
                trainee=trainee, added_by=actor,
            )
    except IntegrityError as exc:
        raise ValidationError(_("%(email)s is already on this roster.") % {"email": email}) from exc
    outbox_enqueue_template(
        key=f"enrolment-added:{enrolment.pk}",
        to=email,
        template="partners/email/trainee_added",
        context={
            "enrolment": enrolment, "cohort": cohort, "programme": cohort.programme, "qtsp": cohort.programme.qtsp,
            "has_account": trainee is not None,
            "dashboard_url": reverse("applicants:dashboard"), "signup_url": reverse("account_signup"),
        },
    )
    return enrolment


@transaction.atomic
def enrolment_add(*, cohort: Cohort, email: str, actor, full_name: str = "") -> Enrolment:
    """Put a trainee on the roster by email: linked to their account, or invited to create one."""
    _require_active(cohort.programme.qtsp)
    email = email.strip().lower()
    validate_email(email)
    if cohort.enrolments.exclude(status=Enrolment.Status.WITHDRAWN).filter(email__iexact=email).exists():
        raise ValidationError(_("%(email)s is already on this roster.") % {"email": email})
    _seats_take(cohort, 1)
    return _enrolment_create(cohort=cohort, email=email, full_name=full_name.strip(), actor=actor)


@transaction.atomic
def enrolment_withdraw(*, enrolment: Enrolment, actor) -> Enrolment:
    """Take a trainee off the roster and give the place back."""
    enrolment = Enrolment.objects.select_for_update(of=("self",)).select_related("cohort__programme__qtsp").get(pk=enrolment.pk)
    _require_active(enrolment.cohort.programme.qtsp)
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
    _require_active(programme.qtsp)
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
        enrolment.status = Enrolment.Status.COMPLETED
        enrolment.passed = outcome == Outcome.PASSED
        enrolment.completed_on = completed_on or enrolment.completed_on or timezone.localdate()
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


@transaction.atomic
def enrolments_link(*, user, email: str) -> int:
    """Give a newly verified address's roster entries to its account; returns how many were linked."""
    linked = 0
    for enrolment in Enrolment.objects.select_for_update().filter(trainee__isnull=True, email__iexact=email):
        enrolment.trainee = user
        enrolment._change_reason = "linked on sign-up"
        enrolment.save(update_fields=["trainee"])
        linked += 1
    return linked


# ---- roster CSV import ------------------------------------------------------------------------------

ROSTER_COLUMNS = ("email", "full_name")
ROSTER_MAX_ROWS = 1000


@dataclass
class RosterImport:
    """What an import found: row errors (nothing imported), or the enrolments it added."""

    errors: list[tuple[int | None, str]] = field(default_factory=list)
    added: list[Enrolment] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _roster_rows(content: bytes) -> tuple[list[tuple[int, dict]], list[tuple[int | None, str]]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return [], [(None, _("The file is not UTF-8 text. Save it as “CSV UTF-8” and try again."))]
    reader = csv.DictReader(io.StringIO(text))
    headers = [(name or "").strip().lower().replace(" ", "_") for name in (reader.fieldnames or [])]
    if "email" not in headers:
        return [], [(None, _("The first line must name the columns, with at least “email” (and optionally "
                             "“full_name”)."))]
    reader.fieldnames = headers
    rows = []
    for number, row in enumerate(reader, start=2):
        if not any((value or "").strip() for value in row.values() if isinstance(value, str)):
            continue
        rows.append((number, {name: (row.get(name) or "").strip() for name in ROSTER_COLUMNS}))
    if not rows:
        return [], [(None, _("The file has no trainees in it."))]
    if len(rows) > ROSTER_MAX_ROWS:
        return [], [(None, _("A file may add at most %(max)s trainees.") % {"max": ROSTER_MAX_ROWS})]
    return rows, []


@transaction.atomic
def roster_import(*, cohort: Cohort, content: bytes, actor) -> RosterImport:
    """Add every trainee of a CSV file (columns email, full_name), or none: any bad row stops the import."""
    _require_active(cohort.programme.qtsp)
    rows, errors = _roster_rows(content)
    if errors:
        return RosterImport(errors=errors)
    on_roster = {
        email.lower()
        for email in cohort.enrolments.exclude(status=Enrolment.Status.WITHDRAWN).values_list("email", flat=True)
    }
    first_seen: dict[str, int] = {}
    for number, row in rows:
        email = row["email"].lower()
        if not email:
            errors.append((number, _("The email address is missing.")))
            continue
        try:
            validate_email(email)
        except ValidationError:
            errors.append((number, _("“%(email)s” is not a valid email address.") % {"email": row["email"]}))
            continue
        if email in first_seen:
            errors.append((number, _("%(email)s is also on row %(row)s.") % {"email": email, "row": first_seen[email]}))
            continue
        first_seen[email] = number
        if email in on_roster:
            errors.append((number, _("%(email)s is already on this roster.") % {"email": email}))
        if len(row["full_name"]) > 200:
            errors.append((number, _("The name is longer than 200 characters.")))
    cohort = Cohort.objects.get(pk=cohort.pk)
    if not errors and len(rows) > cohort.seats_left:
        errors.append((None, _("The file adds %(count)s trainees but the cohort has %(left)s places left.")
                       % {"count": len(rows), "left": cohort.seats_left}))
    if errors:
        return RosterImport(errors=errors)
    _seats_take(cohort, len(rows))
    added = [
        _enrolment_create(cohort=cohort, email=row["email"].lower(), full_name=row["full_name"], actor=actor)
        for _number, row in rows
    ]
    return RosterImport(added=added)


ROSTER_EXPORT_COLUMNS = ("email", "full_name", "status", "attended_hours", "attended_days", "passed", "completed_on",
                         "has_account")


def _cell(value) -> str:
    """Text a spreadsheet will not run as a formula (CSV injection)."""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def roster_csv(*, cohort: Cohort) -> str:
    """The roster as CSV text (one row per trainee, withdrawn ones included with their status)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(ROSTER_EXPORT_COLUMNS)
    for enrolment in cohort.enrolments.select_related("trainee").order_by("full_name", "email"):
        writer.writerow([
            _cell(enrolment.email), _cell(enrolment.trainee.full_name if enrolment.trainee_id and
                                          enrolment.trainee.full_name else enrolment.full_name),
            enrolment.status, enrolment.attended_hours, enrolment.attended_days,
            "" if enrolment.passed is None else ("yes" if enrolment.passed else "no"),
            enrolment.completed_on.isoformat() if enrolment.completed_on else "",
            "yes" if enrolment.trainee_id else "no",
        ])
    return buffer.getvalue()
