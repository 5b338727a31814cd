"""Uploads are judged by their content, not by the name or the type the browser claims."""

import unicodedata
import zipfile
from collections.abc import Iterable
from pathlib import PurePath

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

KIND_LABELS = {
    "pdf": gettext_lazy("PDF"),
    "jpeg": gettext_lazy("JPEG"),
    "png": gettext_lazy("PNG"),
    "docx": gettext_lazy("Word (DOCX)"),
}
KIND_EXTENSIONS = {"pdf": {".pdf"}, "jpeg": {".jpg", ".jpeg"}, "png": {".png"}, "docx": {".docx"}}
KIND_MIME_TYPES = {
    "pdf": "application/pdf",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
DEFAULT_KINDS = ("pdf", "jpeg", "png", "docx")
MAX_NAME_LENGTH = 200
_HEAD_BYTES = 8192
_ZIP_MAGIC = b"PK\x03\x04"


def _name_is_safe(name: str) -> bool:
    if not name or len(name) > MAX_NAME_LENGTH or name.strip() in {".", ".."}:
        return False
    if "/" in name or "\\" in name or ":" in name or name.startswith(".."):
        return False
    # Control and format characters (NUL, newlines, right-to-left overrides) hide the real name.
    return not any(unicodedata.category(char) in {"Cc", "Cf"} for char in name)


def _is_docx(file) -> bool:
    """A DOCX is a zip holding ``word/document.xml``; macro-enabled documents are refused."""
    file.seek(0)
    try:
        with zipfile.ZipFile(file) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    finally:
        file.seek(0)
    return "word/document.xml" in names and not any(n.lower().endswith("vbaproject.bin") for n in names)


def detect_kind(file) -> str | None:
    """The kind ("pdf", "jpeg", "png", "docx") the file's bytes show, or None."""
    file.seek(0)
    head = file.read(_HEAD_BYTES)
    file.seek(0)
    if head.startswith(_ZIP_MAGIC):
        return "docx" if _is_docx(file) else None
    guess = filetype.guess(head)
    if guess is None:
        return None
    return {"pdf": "pdf", "jpg": "jpeg", "png": "png"}.get(guess.extension)


def validate_upload(file, *, kinds: Iterable[str] = DEFAULT_KINDS, max_bytes: int | None = None) -> str:
    """Refuse an unsafe name, an empty or oversized file, or content not of ``kinds``; return the kind."""
    kinds = tuple(kinds)
    max_bytes = settings.DOCUMENT_MAX_BYTES if max_bytes is None else max_bytes
    allowed = get_text_list([str(KIND_LABELS[kind]) for kind in kinds], _("or"))
    name = getattr(file, "name", "") or ""
    if not _name_is_safe(name):
        raise ValidationError(
            _("This file name is not allowed. Rename the file to a plain name without folders, "
              "\"..\", colons or control characters, then upload it again."),
            code="unsafe_name",
        )
    size = file.size
    if not size:
        raise ValidationError(_("This file is empty."), code="empty")
    if size > max_bytes:
        raise ValidationError(
            _("This file is %(size)s; files may be at most %(limit)s.")
            % {"size": filesizeformat(size), "limit": filesizeformat(max_bytes)},
            code="too_big",
        )
    kind = detect_kind(file)
    if kind not in kinds:
        raise ValidationError(
            _("This file is not a %(allowed)s document. Its content was checked, not just its name.")
            % {"allowed": allowed},
            code="wrong_content",
        )
    extension = PurePath(name).suffix.lower()
    if extension not in KIND_EXTENSIONS[kind]:
        raise ValidationError(
            _("The file's name ends in \"%(extension)s\" but its content is %(kind)s. "
              "Rename it to end in %(expected)s.")
            % {"extension": extension or _("(nothing)"), "kind": KIND_LABELS[kind],
               "expected": sorted(KIND_EXTENSIONS[kind])[-1]},
            code="extension_mismatch",
        )
    return kind
