"""How much each person stores, and the limit (``settings.UPLOAD_QUOTA_BYTES_PER_PERSON``).

Every app whose model holds documents a person uploads registers it once, in its AppConfig.ready():

    documents.quota.register(Profile, owner="user", file="education_proof")

The quota is checked by ``DocumentField`` before anything is stored. The person is the one the
form names (``field.owner = user``), else the signed-in person of the current request, which
``UploaderMiddleware`` makes known; several files in one request count together.
"""

import contextvars
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class StoredDocuments:
    model: type
    owner: str  # lookup from the model to the person, e.g. "user" or "application__applicant"
    file: str
    size: str | None = None  # a column with the size in bytes, if the model keeps one


_registry: dict[tuple[type, str], StoredDocuments] = {}


def register(model, *, owner: str, file: str, size: str | None = None) -> None:
    """Count ``model.<file>`` (owned through ``owner``) toward the owner's quota."""
    _registry[(model, file)] = StoredDocuments(model, owner, file, size)


def registered() -> list[StoredDocuments]:
    return list(_registry.values())


def stored_bytes(person) -> int:
    """What ``person`` stores now, over every registered model."""
    total = 0
    for entry in _registry.values():
        rows = entry.model._default_manager.filter(**{entry.owner: person}).exclude(**{entry.file: ""})
        if entry.size:
            total += rows.aggregate(total=Sum(entry.size))["total"] or 0
            continue
        for field_file in (getattr(row, entry.file) for row in rows.only("pk", entry.file)):
            try:
                total += field_file.size
            except (OSError, ValueError):  # a file gone from the disk takes no room
                continue
    return total


@dataclass
class _Upload:
    person: object
    pending: int = 0


_upload: contextvars.ContextVar[_Upload | None] = contextvars.ContextVar("document_upload", default=None)


def quota_check(*, person, incoming: int, replaced: int = 0) -> None:
    """Refuse ``incoming`` bytes more when ``person`` would pass the quota (``replaced`` bytes go away)."""
    limit = settings.UPLOAD_QUOTA_BYTES_PER_PERSON
    if not limit or person is None or not getattr(person, "is_authenticated", False):
        return
    current = _upload.get()
    pending = current.pending if current and current.person == person else 0
    used = stored_bytes(person) - replaced + pending
    if used + incoming > limit:
        raise ValidationError(
            _("This file does not fit in your storage: you keep %(used)s of at most %(limit)s. "
              "Remove documents you no longer need, or ask the committee.")
            % {"used": filesizeformat(max(used, 0)), "limit": filesizeformat(limit)},
            code="quota",
        )
    if current and current.person == person:
        current.pending += incoming


def current_uploader():
    current = _upload.get()
    return current.person if current else None


class UploaderMiddleware:
    """Make the signed-in person known to ``DocumentField`` for the quota (after AuthenticationMiddleware)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        token = _upload.set(_Upload(person=user) if request.method == "POST" and request.FILES else None)
        try:
            return self.get_response(request)
        finally:
            _upload.reset(token)
