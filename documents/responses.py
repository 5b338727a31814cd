import mimetypes

from django.http import FileResponse


def private_file_response(field_file, *, download_name: str, inline: bool = False) -> FileResponse:
    """Stream a private file; call only after the caller's permission check has passed."""
    content_type = mimetypes.guess_type(field_file.name)[0] or "application/octet-stream"
    response = FileResponse(
        field_file.open("rb"), as_attachment=not inline, filename=download_name, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
