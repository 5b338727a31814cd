"""Private files live outside MEDIA_ROOT under names nobody can guess, and have no URL."""

import os
import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import transaction
from django.utils import timezone
from django.utils.deconstruct import deconstructible


@deconstructible(path="documents.storage.PrivateStorage")
class PrivateStorage(FileSystemStorage):
    """FileSystemStorage under ``settings.PRIVATE_MEDIA_ROOT`` (read on each use, so tests may move it).

    ``url()`` raises: a private file is only ever served by a view that checks the permission.
    """

    def __init__(self):
        super().__init__(base_url=None)

    @property
    def base_location(self):
        return str(settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("Private documents have no URL; serve them through a permission-checked view.")


private_storage = PrivateStorage()


@deconstructible(path="documents.storage.private_upload_to")
class private_upload_to:
    """``upload_to=private_upload_to("cv")`` names files ``cv/<yyyy>/<uuid4 hex><ext>``.

    A class rather than a closure so migrations can serialize it; keep the original name in a field.
    """

    def __init__(self, prefix: str):
        self.prefix = prefix.strip("/")

    def __call__(self, instance, filename: str) -> str:
        extension = PurePath(filename).suffix.lower()
        if not (extension[1:].isalnum() and len(extension) <= 6):
            extension = ""
        return f"{self.prefix}/{timezone.now():%Y}/{uuid.uuid4().hex}{extension}"

    def __eq__(self, other):
        return isinstance(other, private_upload_to) and other.prefix == self.prefix


def file_delete_on_commit(field_file) -> None:
    """Remove a stored file once the transaction that forgot it commits; a rollback keeps it."""
    if not field_file:
        return
    storage, name = field_file.storage, field_file.name
    transaction.on_commit(lambda: storage.delete(name))
