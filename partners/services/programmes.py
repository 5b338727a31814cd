"""A QTSP's training programmes and their cohorts (dates, place, number of places)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from partners.models import (
    FASTTRACK_IN_PERSON_DAYS,
    FASTTRACK_LEVEL_CODE,
    FASTTRACK_ONLINE_HOURS,
    QTSP,
    Cohort,
    ProgrammeStatus,
    TrainingFormat,
    TrainingProgramme,
)
from partners.services.qtsps import qtsp_require_active


def _programme_check(programme: TrainingProgramme) -> None:
    qtsp = programme.qtsp
    if not qtsp.levels.filter(pk=programme.level_id).exists():
        raise ValidationError(
            {"level": _("%(qtsp)s is approved to train %(levels)s only.")
             % {"qtsp": qtsp.name, "levels": ", ".join(qtsp.levels.values_list("code", flat=True)) or "—"}}
        )
    if programme.format not in qtsp.formats:
        raise ValidationError({"format": _("%(qtsp)s is approved for other training formats.") % {"qtsp": qtsp.name}})
    _hours_check(programme)
    if programme.is_fasttrack:
        errors = {}
        if programme.level.code != FASTTRACK_LEVEL_CODE:
            errors["level"] = _("The fast track leads to the Senior Mentor level.")
        if programme.required_days < FASTTRACK_IN_PERSON_DAYS:
            errors["required_days"] = _("The fast track has at least %(days)s in-person days.") % {
                "days": FASTTRACK_IN_PERSON_DAYS}
        if programme.hours_online < FASTTRACK_ONLINE_HOURS:
            errors["required_hours"] = _("The fast track has at least %(hours)s online hours.") % {
                "hours": FASTTRACK_ONLINE_HOURS}
        if errors:
            raise ValidationError(errors)


def _hours_check(programme: TrainingProgramme) -> None:
    """The split of the hours must match the format: online has none in person, in person has all."""
    total, in_person = programme.required_hours or 0, programme.hours_in_person or 0
    if in_person > total:
        raise ValidationError({"hours_in_person": _("The hours in person cannot exceed the total hours.")})
    if programme.format == TrainingFormat.ONLINE and in_person:
        raise ValidationError({"hours_in_person": _("An online programme has no hours in person.")})
    if programme.format == TrainingFormat.IN_PERSON and in_person != total:
        raise ValidationError({"hours_in_person": _("All the hours of an in-person programme are in person.")})
    if programme.format == TrainingFormat.BLENDED and (in_person >= total or not (in_person or programme.required_days)):
        raise ValidationError({"hours_in_person": _("A blended programme has hours online and time in person.")})


PROGRAMME_FIELDS = ("title", "level", "format", "required_hours", "hours_in_person", "required_days", "language",
                    "is_fasttrack", "description", "is_active")
# What the committee reviewed cannot change once approved; a new programme is submitted instead.
APPROVED_EDITABLE_FIELDS = frozenset({"title", "description", "is_active"})


@transaction.atomic
def programme_save(*, qtsp: QTSP, actor, programme: TrainingProgramme | None = None, **fields) -> TrainingProgramme:
    """Create a programme for ``qtsp``, or change ``programme``."""
    qtsp_require_active(qtsp)
    # Re-read: a bound ModelForm has already written the new values onto the caller's instance.
    programme = (TrainingProgramme.objects.select_for_update().get(pk=programme.pk) if programme and programme.pk
                 else TrainingProgramme(qtsp=qtsp))
    if programme.qtsp_id != qtsp.pk:
        raise ValidationError(_("This programme belongs to another QTSP."))
    for name, value in fields.items():
        if name not in PROGRAMME_FIELDS:
            raise TypeError(name)
        if programme.pk and getattr(programme, name) != value and not _editable(programme, name):
            raise ValidationError(
                _("The programme is %(status)s: its %(field)s cannot be changed.")
                % {"status": programme.get_status_display().lower(),
                   "field": TrainingProgramme._meta.get_field(name).verbose_name}
            )
        setattr(programme, name, value)
    programme.full_clean()
    _programme_check(programme)
    programme.save()
    return programme


def _editable(programme: TrainingProgramme, name: str) -> bool:
    if programme.status in (ProgrammeStatus.DRAFT, ProgrammeStatus.CHANGES_REQUESTED):
        return True
    return programme.status == ProgrammeStatus.APPROVED and name in APPROVED_EDITABLE_FIELDS


COHORT_FIELDS = ("name", "starts_on", "ends_on", "is_online", "venue", "capacity", "price", "currency")


@transaction.atomic
def cohort_save(*, programme: TrainingProgramme, actor, cohort: Cohort | None = None, **fields) -> Cohort:
    """Create a cohort of ``programme``, or change ``cohort``; places never go below those taken."""
    qtsp_require_active(programme.qtsp)
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
    if cohort.currency:
        cohort.currency = cohort.currency.strip().upper()
        if len(cohort.currency) != 3 or not cohort.currency.isalpha():
            raise ValidationError({"currency": _("Give the three-letter currency code, e.g. USD, EUR, SGD.")})
    cohort.full_clean()
    cohort.save()
    return cohort
