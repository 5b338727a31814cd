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
from modeltranslation.utils import build_localized_fieldname

from applicants.confirmations import (
    CONFIRMED_FIELDS,
    confirmation_quota_check,
    hours_confirmation_request,
    hours_confirmation_reset,
)
from applicants.models import (
    ConfirmationStatus,
    EthicsAdoption,
    EthicsCode,
    HoursEntry,
    MentoringFormat,
    Profile,
    User,
)
from applicants.resources import CONFIRMER_COLUMN, HOURS_COLUMNS, HoursEntryResource
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


HOURS_ENTRY_FIELDS = ["mentee", "started_on", "ended_on", "hours", "format", "notes", "confirmer_email"]


@transaction.atomic
def hours_entry_create(
    *, user: User, mentee: str, started_on: date, ended_on: date, hours: Decimal, format: str, notes: str = "",
    confirmer_email: str = "",
) -> HoursEntry:
    """Log mentoring hours; with ``confirmer_email``, that person is asked once to confirm them."""
    entry = HoursEntry(
        user=user, mentee=mentee, started_on=started_on, ended_on=ended_on, hours=hours, format=format, notes=notes,
        confirmer_email=confirmer_email.strip().lower(),
    )
    entry.full_clean()
    entry.save()
    if entry.confirmer_email:
        hours_confirmation_request(entry=entry, actor=user)
    return entry


@transaction.atomic
def hours_entry_update(*, entry: HoursEntry, actor: User, **values) -> HoursEntry:
    """Change an entry that no approved application has counted yet.

    Changing what the mentee confirms (dates, hours, format, the address) resets the confirmation and,
    with an address, asks again; a disputed or rejected entry stays as the committee sees it.
    """
    entry = _editable_entry(entry, actor)
    if entry.is_under_dispute:
        raise ValidationError(_("The mentee disputed this entry: it stays as it is while the committee decides."))
    if "confirmer_email" in values:
        values["confirmer_email"] = (values["confirmer_email"] or "").strip().lower()
    before = {name: getattr(entry, name) for name in CONFIRMED_FIELDS}
    for name in HOURS_ENTRY_FIELDS:
        if name in values:
            setattr(entry, name, values[name])
    entry.full_clean()
    entry.save(update_fields=[name for name in HOURS_ENTRY_FIELDS if name in values])
    changed = any(getattr(entry, name) != value for name, value in before.items())
    if changed and entry.status != ConfirmationStatus.UNCONFIRMED:
        hours_confirmation_reset(entry=entry, actor=actor)
    if entry.status == ConfirmationStatus.UNCONFIRMED and entry.confirmer_email and (
        changed or not entry.events.filter(to_status=ConfirmationStatus.REQUESTED).exists()
    ):
        hours_confirmation_request(entry=entry, actor=actor)
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
    del dataset[CONFIRMER_COLUMN]
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
    if sorted(set(headers) - {CONFIRMER_COLUMN}) != sorted(HOURS_COLUMNS) or len(set(headers)) != len(headers):
        raise ValidationError(
            _("The first row must name exactly these columns: %(columns)s (and, if you wish, %(optional)s).")
            % {"columns": ", ".join(HOURS_COLUMNS), "optional": CONFIRMER_COLUMN}
        )
    dataset.headers = headers
    if CONFIRMER_COLUMN not in headers:
        dataset.append_col([""] * len(dataset), header=CONFIRMER_COLUMN)
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
        if name not in HOURS_COLUMNS and name != CONFIRMER_COLUMN:
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


def _import_confirmations_request(user: User, result) -> None:
    """Ask the confirmations the imported rows name; an address refused fails the whole import (rolled back)."""
    ids = [row.object_id for row in result.rows if row.import_type == row.IMPORT_TYPE_NEW and row.object_id]
    for entry in HoursEntry.objects.filter(pk__in=ids).exclude(confirmer_email="").order_by("pk"):
        try:
            hours_confirmation_request(entry=entry, actor=user)
        except ValidationError as error:
            raise ValidationError(_("Row with %(mentee)s: %(error)s") % {
                "mentee": entry.mentee, "error": " ".join(error.messages)}) from error


def hours_import_csv(*, user: User, upload) -> HoursImportReport:
    """Import a CSV of entries: all of them, or, when any row is wrong, none, with every row's errors."""
    report = HoursImportReport()
    try:
        dataset = _read_csv(upload)
    except ValidationError as error:
        report.problem = error.messages[0]
        return report
    wanted = sum(1 for value in dataset[CONFIRMER_COLUMN] if (value or "").strip())
    try:
        with transaction.atomic():
            # One import at a time per person, so the duplicate check sees the other import's rows.
            User.objects.select_for_update().filter(pk=user.pk).first()
            confirmation_quota_check(user=user, wanted=wanted)
            result = HoursEntryResource(user=user).import_data(
                dataset, dry_run=False, use_transactions=True, rollback_on_validation_errors=True, raise_errors=False
            )
            if not result.has_validation_errors() and not result.has_errors():
                _import_confirmations_request(user, result)
    except ValidationError as error:
        report.problem = " ".join(error.messages)
        return report
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
def ethics_code_publish(*, text: str, actor: User, title: str = "", published_at=None,
                        languages: dict[str, dict[str, str]] | None = None) -> EthicsCode:
    """Publish the next version of the code; applicants must adopt it again before their next submission.

    ``text`` and ``title`` are in the active language; ``languages`` gives them per language instead
    (``{"en": {"title": ..., "text": ...}, "zh-hans": {...}}``, as the admin's form has them)."""
    next_version = (EthicsCode.objects.select_for_update().aggregate(v=Max("version"))["v"] or 0) + 1
    code = EthicsCode(version=next_version, text=text, created_by=actor, published_at=published_at or timezone.now())
    if title:
        code.title = title
    for language, values in (languages or {}).items():
        for name in ("title", "text"):
            if values.get(name):
                setattr(code, build_localized_fieldname(name, language), values[name])
    code.full_clean()
    code.save()
    return code


@transaction.atomic
def ethics_adopt(*, user: User, code: EthicsCode | None = None) -> EthicsAdoption:
    """Record that the user adopts the current version (adopting again keeps the first time)."""
    current = ethics_current(fresh=True)
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

