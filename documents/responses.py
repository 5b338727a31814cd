import mimetypes

from django.http import FileResponse, Http404
from django.utils.translation import gettext as _


def private_file_response(field_file, *, download_name: str, inline: bool = False) -> FileResponse:
    """Stream a private file; call only after the caller's permission check has passed.

    A row without a file (a PDU credited from an attended event has no evidence) or whose file is gone from the
    storage answers 404, not an error."""
    if not field_file:
        raise Http404(_("There is no file here."))
    try:
        opened = field_file.open("rb")
    except FileNotFoundError:
        raise Http404(_("There is no file here.")) from None
    content_type = mimetypes.guess_type(field_file.name)[0] or "application/octet-stream"
    response = FileResponse(opened, as_attachment=not inline, filename=download_name, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
