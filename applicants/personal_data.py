"""A person's own data: the copy they download and the erasure they ask for.

Each app that keeps something about a person contributes it through its ``AppConfig``, as it does
dashboard panels, so that no app reaches into another:

- ``personal_data(user) -> dict``: the person's records, JSON-serialisable with DjangoJSONEncoder;
- ``personal_files(user) -> iterable of (name, FieldFile)``: the private files they uploaded or that
  were made for them (certificates, evidence);
- ``personal_data_erase_blockers(user) -> list[str]``: why the account cannot be erased yet (an open
  invoice, an application under review), in words meant for the person;
- ``personal_data_erase(user) -> None``: erase or anonymise the app's records, in the caller's
  transaction; stored files are removed after commit (``documents.storage.file_delete_on_commit``).

The download is built on request, in a temporary file (in memory up to a few MB, then on disk), and
streamed back: a person's files are bounded by UPLOAD_QUOTA_BYTES_PER_PERSON, so it never needs a
background job, and no copy of it is left behind or sent as a link that someone else could open.
"""

import json
import tempfile
import zipfile
from pathlib import PurePosixPath

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from applicants.models import User
from documents.storage import file_delete_on_commit

SPOOL_BYTES = 8 * 1024 * 1024


def rows(queryset, *fields: str) -> list[dict]:
    """The rows of ``queryset`` as plain dicts of ``fields`` (for an app's ``personal_data``)."""
    return list(queryset.values(*fields))


def _providers(hook: str):
    for config in apps.get_app_configs():
        provider = getattr(config, hook, None)
        if provider is not None:
            yield config, provider


def personal_data_collect(user: User) -> dict:
    """Every app's records about ``user``, keyed by app label."""
    data = {"exported_at": timezone.now()}
    for config, provider in _providers("personal_data"):
        if part := provider(user):
            data[config.label] = part
    return data


def personal_files_collect(user: User) -> list[tuple[str, object]]:
    """Every app's private files of ``user`` as (path in the archive, FieldFile)."""
    files, taken = [], set()
    for config, provider in _providers("personal_files"):
        for name, field_file in provider(user):
            if not field_file:
                continue
            name = PurePosixPath(str(name).replace("\\", "/")).name or "file"  # a typed name never leaves its folder
            path = f"documents/{config.label}/{name}"
            counter = 1
            while path in taken:
                counter += 1
                path = f"documents/{config.label}/{counter}-{name}"
            taken.add(path)
            files.append((path, field_file))
    return files


def personal_data_archive(user: User):
    """A zip of ``user``'s data (``data.json``) and documents, as an open file positioned at its start."""
    archive = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 - the response closes it
    missing = []
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zipped:
        for path, field_file in personal_files_collect(user):
            try:
                with field_file.open("rb") as source, zipped.open(path, "w", force_zip64=True) as target:
                    for chunk in iter(lambda s=source: s.read(1024 * 1024), b""):
                        target.write(chunk)
            except (OSError, ValueError):  # a file gone from the disk is named, not fatal
                missing.append(path)
        data = personal_data_collect(user)
        if missing:
            data["documents_missing"] = missing
        zipped.writestr("data.json", json.dumps(data, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False))
    archive.seek(0)
    return archive


def account_erase_blockers(user: User) -> list[str]:
    """What stops ``user``'s account from being erased now (empty: it can be)."""
    reasons: list[str] = []
    for _config, provider in _providers("personal_data_erase_blockers"):
        reasons.extend(provider(user))
    return reasons


@transaction.atomic
def account_erase(*, user: User) -> None:
    """Erase or anonymise everything the portal holds about ``user`` and close the account.

    Refused (ValidationError listing the reasons) while something is still open. Apps erase in the
    reverse order of INSTALLED_APPS, the journeys before the base they stand on; the account row stays,
    anonymised, because the public register and the workflow histories point to it.
    """
    user = User.objects.select_for_update().get(pk=user.pk)
    if reasons := account_erase_blockers(user):
        raise ValidationError(reasons)
    for _config, provider in reversed(list(_providers("personal_data_erase"))):
        provider(user)
    EmailAddress.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()
    user.groups.clear()
    user.user_permissions.clear()
    user.email = f"erased-{user.pk}@erased.invalid"
    user.full_name = ""
    user.preferred_language = ""
    user.time_zone = "UTC"
    user.is_active = user.is_staff = user.is_superuser = False
    user.set_unusable_password()  # also ends every session: their hash no longer matches
    user.save()



# The applicants app's own part (ApplicantsConfig hooks) ------------------------------------------


def account_data(user: User) -> dict:
    from applicants.models import EthicsAdoption, HoursEntry, Profile

    return {
        "account": rows(User.objects.filter(pk=user.pk), "email", "full_name", "time_zone", "preferred_language",
                        "date_joined", "last_login"),
        "email_addresses": rows(EmailAddress.objects.filter(user=user), "email", "verified", "primary"),
        "profile": rows(Profile.objects.filter(user=user), "legal_name", "country", "city", "languages",
                        "highest_education", "education_proof_name", "mentoring_since", "background", "updated_at"),
        "mentoring_hours": rows(HoursEntry.objects.filter(user=user).order_by("started_on", "pk"), "mentee",
                                "started_on", "ended_on", "hours", "format", "notes", "created_at",
                                "confirmer_email", "status"),
        "ethics_adoptions": rows(EthicsAdoption.objects.filter(user=user), "code__version", "adopted_at"),
    }


def account_files(user: User) -> list:
    from applicants.models import Profile

    profile = Profile.objects.filter(user=user).first()
    return [(profile.education_proof_name or "education-proof", profile.education_proof)] if profile else []


def account_erase_blockers_staff(user: User) -> list[str]:
    if user.is_staff or user.is_superuser:
        return [_("Your account has committee or staff rights: ask an administrator to remove them first.")]
    return []


def account_records_erase(user: User) -> None:
    from applicants.models import EthicsAdoption, HoursEntry, Profile

    for profile in Profile.objects.filter(user=user):
        file_delete_on_commit(profile.education_proof)
    Profile.objects.filter(user=user).delete()
    HoursEntry.objects.filter(user=user).delete()
    EthicsAdoption.objects.filter(user=user).delete()
