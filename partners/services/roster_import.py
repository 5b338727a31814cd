"""Adding a whole roster from a CSV file: every row, or none when any row is wrong."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from partners.models import Cohort, Enrolment
from partners.services.qtsps import qtsp_require_active
from partners.services.rosters import enrolment_create, seats_take

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
    qtsp_require_active(cohort.programme.qtsp)
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
    seats_take(cohort, len(rows))
    added = [
        enrolment_create(cohort=cohort, email=row["email"].lower(), full_name=row["full_name"], actor=actor)
        for _number, row in rows
    ]
    return RosterImport(added=added)
