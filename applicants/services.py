import csv
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import tablib
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from applicants.models import EthicsAdoption, EthicsCode, HoursEntry, MentoringFormat, Profile, User
from applicants.resources import HOURS_COLUMNS, HoursEntryResource
from applicants.selectors import ethics_current, hours_entries_of
from documents.csv import SafeCSV

HOURS_IMPORT_MAX_BYTES = 1024 * 1024
HOURS_IMPORT_MAX_ROWS = 2000


@transaction.atomic
def user_preferences_update(*, user: User, full_name: str, time_zone: str, preferred_language: str) -> User:
    """Save how the person wants to be addressed and see dates and pages."""
    user.full_name = full_name
    user.time_zone = time_zone
    user.preferred_language = preferred_language
    user.save(update_fields=["full_name", "time_zone", "preferred_language"])
    return user


PROFILE_FIELDS = ["legal_name", "country", "city", "languages", "highest_education", "mentoring_since", "background"]


@transaction.atomic
def profile_update(*, user: User, time_zone: str, education_proof=None, **values) -> Profile:
    """Save the applicant's profile; a new proof of education replaces the old file (removed after commit)."""
    unknown = set(values) - set(PROFILE_FIELDS)
    if unknown:
        raise TypeError(f"unknown profile fields: {sorted(unknown)}")
    profile, _created = Profile.objects.select_for_update().get_or_create(user=user)
    for name, value in values.items():
        setattr(profile, name, value)
    if education_proof is not None:
        old = profile.education_proof.name
        profile.education_proof_name = education_proof.name
        profile.education_proof.save(education_proof.name, education_proof, save=False)
        if old:
            storage = profile.education_proof.storage
            transaction.on_commit(lambda: storage.delete(old))
    profile.full_clean(exclude=["user", "education_proof"])
    profile.save()
    changed = []
    if user.time_zone != time_zone:
        user.time_zone = time_zone
        changed.append("time_zone")
    if not user.full_name and profile.legal_name:
        # Accounts made before sign-up asked a name: greet them by the name they have now given.
        user.full_name = profile.legal_name
        changed.append("full_name")
    if changed:
        user.save(update_fields=changed)
    return profile


def _editable_entry(entry: HoursEntry, actor: User) -> HoursEntry:
    entry = HoursEntry.objects.select_for_update().get(pk=entry.pk)
    if entry.user_id != actor.pk:
        raise PermissionError("only the mentor edits their own log")
    if entry.is_locked:
        raise ValidationError(
            _("This entry was counted in an approved application and can no longer be changed or deleted.")
        )
    return entry


HOURS_ENTRY_FIELDS = ["mentee", "started_on", "ended_on", "hours", "format", "notes"]


@transaction.atomic
def hours_entry_create(
    *, user: User, mentee: str, started_on: date, ended_on: date, hours: Decimal, format: str, notes: str = ""
) -> HoursEntry:
    """Log mentoring hours."""
    entry = HoursEntry(
        user=user, mentee=mentee, started_on=started_on, ended_on=ended_on, hours=hours, format=format, notes=notes
    )
    entry.full_clean()
    entry.save()
    return entry


@transaction.atomic
def hours_entry_update(*, entry: HoursEntry, actor: User, **values) -> HoursEntry:
    """Change an entry that no approved application has counted yet."""
    entry = _editable_entry(entry, actor)
    for name in HOURS_ENTRY_FIELDS:
        if name in values:
            setattr(entry, name, values[name])
    entry.full_clean()
    entry.save(update_fields=[name for name in HOURS_ENTRY_FIELDS if name in values])
    return entry


@transaction.atomic
def hours_entry_delete(*, entry: HoursEntry, actor: User) -> None:
    """Delete an entry that no approved application has counted yet."""
    _editable_entry(entry, actor).delete()


def hours_entries_lock(*, user: User, entry_ids) -> int:
    """Freeze the entries an approved application counted (call inside the approval's transaction)."""
    return HoursEntry.objects.filter(user=user, pk__in=list(entry_ids), locked_at__isnull=True).update(
        locked_at=timezone.now()
    )


def hours_export_csv(*, user: User) -> str:
    """The user's log as CSV, in the columns the import accepts; typed text is kept from running as a formula."""
    dataset = HoursEntryResource(user=user).export(queryset=hours_entries_of(user).order_by("started_on", "pk"))
    return SafeCSV().export_data(dataset)


@dataclass
class HoursImportReport:
    imported: int = 0
    # (row number as people count it, counting the header as row 1; the row's messages)
    errors: list[tuple[int, list[str]]] = field(default_factory=list)
    problem: str = ""

    @property
    def ok(self) -> bool:
        return not self.errors and not self.problem


def _read_csv(upload) -> tablib.Dataset:
    if upload.size > HOURS_IMPORT_MAX_BYTES:
        raise ValidationError(_("The file is larger than 1 MB; split it into smaller files."))
    try:
        text = upload.read().decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ValidationError(_("The file is not UTF-8 text. Save it as \"CSV UTF-8\" and try again.")) from error
    try:
        dialect = csv.Sniffer().sniff(text.splitlines()[0] if text else "", delimiters=",;\t")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    dataset = tablib.Dataset()
    try:
        dataset.load(text, format="csv", delimiter=delimiter)
    except Exception as error:  # tablib raises several kinds of parse errors
        raise ValidationError(_("The file could not be read as CSV.")) from error
    headers = [(header or "").strip().lower() for header in dataset.headers or []]
    if sorted(headers) != sorted(HOURS_COLUMNS):
        raise ValidationError(
            _("The first row must name exactly these columns: %(columns)s.") % {"columns": ", ".join(HOURS_COLUMNS)}
        )
    dataset.headers = headers
    if not len(dataset):
        raise ValidationError(_("The file has no rows below the header."))
    if len(dataset) > HOURS_IMPORT_MAX_ROWS:
        raise ValidationError(_("The file has more than %(count)s rows.") % {"count": HOURS_IMPORT_MAX_ROWS})
    return dataset


def _is_iso_date(text) -> bool:
    try:
        date.fromisoformat(str(text).strip())
    except ValueError:
        return False
    return True


def _row_messages(error: ValidationError, row: dict) -> list[str]:
    """A row's errors in the words of the form: its labels, and the formats a person may write."""
    if not hasattr(error, "error_dict"):
        return list(error.messages)
    messages = []
    for name, errors in error.error_dict.items():
        if name == NON_FIELD_ERRORS:
            messages.extend(message for e in errors for message in e.messages)
            continue
        if name not in HOURS_COLUMNS:
            continue  # set by the import itself (the mentor), never by the file: only a follow-on of another error
        label = capfirst(HoursEntry._meta.get_field(name).verbose_name)
        for e in errors:
            if name in ("started_on", "ended_on") and not _is_iso_date(row.get(name, "")):
                text = _("write the date as YYYY-MM-DD, e.g. 2025-01-31")
            elif e.code == "invalid_choice" and name == "format":
                choices = ", ".join(f"{value} ({shown})" for value, shown in MentoringFormat.choices)
                value = (e.params or {}).get("value")
                text = _("“%(value)s” is not one of %(choices)s") % {"value": value, "choices": choices}
            else:
                text = " ".join(e.messages)
            messages.append(f"{label}: {text}")
    return messages


def hours_import_csv(*, user: User, upload) -> HoursImportReport:
    """Import a CSV of entries: all of them, or, when any row is wrong, none, with every row's errors."""
    report = HoursImportReport()
    try:
        dataset = _read_csv(upload)
    except ValidationError as error:
        report.problem = error.messages[0]
        return report
    with transaction.atomic():
        # One import at a time per person, so the duplicate check sees the other import's rows.
        User.objects.select_for_update().filter(pk=user.pk).first()
        result = HoursEntryResource(user=user).import_data(
            dataset, dry_run=False, use_transactions=True, rollback_on_validation_errors=True, raise_errors=False
        )
    for invalid in result.invalid_rows:
        row = dict(zip(dataset.headers, invalid.values, strict=False))
        report.errors.append((invalid.number + 1, _row_messages(invalid.error, row)))
    for number, errors in result.row_errors():
        messages = [_("this row could not be read (%(error)s)") % {"error": e.error} for e in errors]
        report.errors.append((number + 1, messages))
    report.errors.sort()
    if report.ok:
        report.imported = result.totals["new"]
    return report


@transaction.atomic
def ethics_code_publish(*, text: str, actor: User, title: str = "", published_at=None) -> EthicsCode:
    """Publish the next version of the code; applicants must adopt it again before their next submission."""
    next_version = (EthicsCode.objects.select_for_update().aggregate(v=Max("version"))["v"] or 0) + 1
    code = EthicsCode(version=next_version, text=text, created_by=actor, published_at=published_at or timezone.now())
    if title:
        code.title = title
    code.full_clean()
    code.save()
    return code


@transaction.atomic
def ethics_adopt(*, user: User, code: EthicsCode | None = None) -> EthicsAdoption:
    """Record that the user adopts the current version (adopting again keeps the first time)."""
    current = ethics_current()
    if current is None:
        raise ValidationError(_("No code of ethics has been published yet."))
    if code is not None and code.pk != current.pk:
        raise ValidationError(
            _("A newer version of the code (version %(version)s) has been published; read and adopt that one.")
            % {"version": current.version}
        )
    try:
        with transaction.atomic():
            adoption, _created = EthicsAdoption.objects.get_or_create(user=user, code=current)
    except IntegrityError:
        adoption = EthicsAdoption.objects.get(user=user, code=current)
    return adoption

