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
    qtsp_require_active(qtsp)
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
    cohort.full_clean()
    cohort.save()
    return cohort
