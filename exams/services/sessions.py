"""Exam windows and sessions, including a quarter's sessions at many centres at once."""

from dataclasses import dataclass
from datetime import date, datetime, time

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from exams.models import ExamSession, ExamWindow, quarter_bounds


def window_for_quarter(*, year: int, quarter: int) -> ExamWindow:
    """The quarter's window, created spanning the whole quarter if it does not exist yet."""
    opens_on, closes_on = quarter_bounds(year, quarter)
    window, _created = ExamWindow.objects.get_or_create(
        year=year, quarter=quarter, defaults={"opens_on": opens_on, "closes_on": closes_on})
    return window


@dataclass(frozen=True)
class SessionsCreated:
    created: list[ExamSession]
    existing: int


@transaction.atomic
def sessions_create_for_centres(
    *, window: ExamWindow, centres, days: list[date], start: time, duration_minutes: int, levels,
    capacity: int | None = None, actor=None,
) -> SessionsCreated:
    """One session per centre and day at ``start`` in each centre's own time zone.

    Sessions that already exist (same centre and start) are left alone, so the action can be run
    again after adding centres. Capacity defaults to each centre's seats.
    """
    outside = [day for day in days if not (window.opens_on <= day <= window.closes_on)]
    if outside:
        raise ValidationError(_("These days are outside %(window)s: %(days)s.") % {
            "window": window, "days": ", ".join(str(day) for day in outside)})
    levels = list(levels)
    if not levels:
        raise ValidationError(_("Choose at least one level."))
    created, existing = [], 0
    for centre in sorted(centres, key=lambda c: c.pk):
        for day in sorted(set(days)):
            starts_at = centre.local_datetime(datetime.combine(day, start))
            session, was_created = ExamSession.objects.get_or_create(
                centre=centre, starts_at=starts_at,
                defaults={"window": window, "duration_minutes": duration_minutes,
                          "capacity": capacity or centre.seats},
            )
            if was_created:
                session.levels.set(levels)
                created.append(session)
            else:
                existing += 1
    return SessionsCreated(created, existing)
