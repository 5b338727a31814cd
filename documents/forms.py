from django import forms

from documents.validators import DEFAULT_KINDS, KIND_EXTENSIONS, validate_upload


class DocumentField(forms.FileField):
    """A file field that accepts only the given kinds, checked by content, up to ``max_bytes``.

    After cleaning, the uploaded file carries ``document_kind`` (e.g. "pdf"). The widget is a plain
    file input: private documents have no URL for the usual "Currently: <link>" to show; pages link
    the current document through their permission-checked download view instead.
    """

    widget = forms.FileInput

    def __init__(self, *, kinds=DEFAULT_KINDS, max_bytes: int | None = None, **kwargs):
        self.kinds = tuple(kinds)
        self.max_bytes = max_bytes
        super().__init__(**kwargs)
        accept = sorted({ext for kind in self.kinds for ext in KIND_EXTENSIONS[kind]})
        self.widget.attrs.setdefault("accept", ",".join(accept))

    def clean(self, data, initial=None):
        file = super().clean(data, initial)
        if file and file is not initial and hasattr(file, "size"):
            file.document_kind = validate_upload(file, kinds=self.kinds, max_bytes=self.max_bytes)
        return file


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
