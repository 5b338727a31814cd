from django import forms

from documents.quota import current_uploader, quota_check
from documents.validators import DEFAULT_KINDS, KIND_EXTENSIONS, validate_upload


class DocumentField(forms.FileField):
    """A file field that accepts only the given kinds, checked by content, up to ``max_bytes``.

    After cleaning, the uploaded file carries ``document_kind`` (e.g. "pdf"). The widget is a plain
    file input: private documents have no URL for the usual "Currently: <link>" to show; pages link
    the current document through their permission-checked download view instead.

    The upload counts toward the storage quota of ``owner`` (set by the form; else the signed-in
    person); ``replaces`` is the stored file this upload will replace, which frees its room.
    """

    widget = forms.FileInput

    def __init__(self, *, kinds=DEFAULT_KINDS, max_bytes: int | None = None, **kwargs):
        self.kinds = tuple(kinds)
        self.max_bytes = max_bytes
        self.owner = None
        self.replaces = None
        super().__init__(**kwargs)
        accept = sorted({ext for kind in self.kinds for ext in KIND_EXTENSIONS[kind]})
        self.widget.attrs.setdefault("accept", ",".join(accept))

    def clean(self, data, initial=None):
        file = super().clean(data, initial)
        if file and file is not initial and hasattr(file, "size"):
            file.document_kind = validate_upload(file, kinds=self.kinds, max_bytes=self.max_bytes)
            quota_check(person=self.owner or current_uploader(), incoming=file.size, replaced=self._replaced_bytes())
        return file

    def _replaced_bytes(self) -> int:
        try:
            return self.replaces.size if self.replaces else 0
        except (OSError, ValueError):
            return 0


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleDocumentField(DocumentField):
    """Several documents in one field, each checked like a single ``DocumentField``; cleans to a list."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        files = [item for item in (data if isinstance(data, list | tuple) else [data]) if item]
        if not files:
            if self.required:
                raise forms.ValidationError(self.error_messages["required"], code="required")
            return []
        return [super(MultipleDocumentField, self).clean(item, initial) for item in files]
