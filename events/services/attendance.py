"""Attendance: recorded by staff one by one or in bulk, or imported from the webinar platform's CSV."""

import csv
import io
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from events.models import Event, Registration, RegistrationStatus
from events.pdus import pdu_credit_sync
from workflows.conflicts import decision_conflict_check
from workflows.services import event_record

MAX_IMPORT_BYTES = 2 * 1024 * 1024


def counts(event: Event, minutes: int) -> bool:
    """Attending at least ``EVENTS_ATTENDANCE_SHARE`` of the event's length counts."""
    return minutes >= settings.EVENTS_ATTENDANCE_SHARE * event.duration_minutes


def _record(registration: Registration, *, actor, attended: bool, minutes: int | None) -> Registration:
    """Set attendance on a locked registration and bring its PDU credit in line."""
    if registration.status != RegistrationStatus.CONFIRMED:
        raise ValidationError(
            _("%(person)s has no confirmed place at this event, so no attendance can be recorded.")
            % {"person": registration.person.email}, code="not_confirmed")
    if registration.event.starts_at > timezone.now():
        raise ValidationError(_("Attendance can be recorded only once the event has started."), code="not_started")
    if actor is not None:
        decision_conflict_check(decider=actor, person=registration.person)
    if registration.attended != attended or registration.minutes_attended != minutes:
        registration.attended, registration.minutes_attended = attended, minutes
        registration.save(update_fields=["attended", "minutes_attended"])
        note = (_("Attendance recorded: attended.") if attended else _("Attendance recorded: did not attend."))
        if minutes is not None:
            note += " " + _("%(minutes)s minutes.") % {"minutes": minutes}
        event_record(registration, actor=actor, note=note)
    pdu_credit_sync(registration=registration, actor=actor)
    return registration


def _locked(pk: int) -> Registration:
    return Registration.objects.select_for_update(of=("self",)).select_related("event", "person").get(pk=pk)


@transaction.atomic
def attendance_record(*, registration: Registration, actor, attended: bool,
                      minutes: int | None = None) -> Registration:
    """Staff say whether a person attended (PDUs are credited or withdrawn to match)."""
    return _record(_locked(registration.pk), actor=actor, attended=attended, minutes=minutes)


@dataclass
class ImportReport:
    rows: int = 0
    recorded: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _parse(data: bytes) -> tuple[list[tuple[int, str, int]], list[str]]:
    errors: list[str] = []
    if len(data) > MAX_IMPORT_BYTES:
        return [], [_("The file is larger than 2 MB.")]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return [], [_("The file is not UTF-8 text. Export it from the webinar platform as CSV (UTF-8).")]
    reader = csv.DictReader(io.StringIO(text))
    headers = {h.strip().lower(): h for h in (reader.fieldnames or [])}
    if "email" not in headers or "minutes" not in headers:
        return [], [_("The file needs the columns “email” and “minutes”.")]
    rows = []
    for line, row in enumerate(reader, start=2):
        email = (row.get(headers["email"]) or "").strip().lower()
        raw = (row.get(headers["minutes"]) or "").strip()
        if not email:
            errors.append(_("Line %(line)s: the email is empty.") % {"line": line})
            continue
        try:
            minutes = int(float(raw))
            if minutes < 0:
                raise ValueError
        except ValueError:
            errors.append(_("Line %(line)s: “%(value)s” is not a number of minutes.") % {"line": line, "value": raw})
            continue
        rows.append((line, email, minutes))
    return rows, errors


def attendance_import(*, event: Event, data: bytes, actor) -> ImportReport:
    """Import (email, minutes attended) rows: all or nothing, with an error per bad row.

    The same person twice keeps the longest time (platforms list each reconnection).
    """
    rows, errors = _parse(data)
    report = ImportReport(rows=len(rows) + len(errors), errors=errors)
    if errors or not rows:
        if not rows and not errors:
            report.errors.append(_("The file has no attendance rows."))
        return report
    best: dict[str, tuple[int, int]] = {}
    for line, email, minutes in rows:
        if email not in best or minutes > best[email][1]:
            best[email] = (line, minutes)
    registrations = {
        r.person.email.lower(): r for r in Registration.objects.filter(
            event=event, status=RegistrationStatus.CONFIRMED).select_related("person")
    }
    for email, (line, _minutes) in sorted(best.items(), key=lambda item: item[1][0]):
        if email not in registrations:
            report.errors.append(_("Line %(line)s: %(email)s has no confirmed place at this event.")
                                 % {"line": line, "email": email})
    if report.errors:
        return report
    try:
        with transaction.atomic():
            for email, (line, minutes) in sorted(best.items(), key=lambda item: registrations[item[0]].pk):
                try:
                    _record(_locked(registrations[email].pk), actor=actor, attended=counts(event, minutes),
                            minutes=minutes)
                except ValidationError as error:
                    report.errors.append(_("Line %(line)s: %(error)s") % {"line": line, "error": " ".join(
                        error.messages)})
            if report.errors:
                raise _Rollback
    except _Rollback:
        return report
    report.recorded = len(best)
    return report


class _Rollback(Exception):
    """Undo a partly applied import: it applies all rows or none."""
