"""A session's roster as CSV (which doubles as the results sheet a test centre fills in) and as a
printable attendance sheet (PDF, WeasyPrint)."""

import io

from django.template.loader import render_to_string
from django.utils import timezone

from documents.csv import SafeCsvWriter
from documents.pdf import html_to_pdf
from exams.models import ExamSession, Topic
from exams.selectors import session_roster

ROSTER_COLUMNS = ["booking", "name", "email", "level", "status", "special_arrangements", "absent"]


def _text(value: str) -> str:
    """Text a candidate typed on one line (the writer then keeps a formula start from running)."""
    return " ".join(str(value).split())


def roster_csv(session: ExamSession) -> str:
    topics = list(Topic.objects.values_list("code", flat=True))
    out = io.StringIO()
    writer = SafeCsvWriter(out)
    writer.writerow(ROSTER_COLUMNS + topics)
    for booking in session_roster(session):
        arrangement = getattr(booking, "arrangement", None)
        arrangements = f"{arrangement.get_status_display()}: {_text(arrangement.needs)}" if arrangement else ""
        scores = {}
        if hasattr(booking, "result"):
            scores = {score.topic.code: score.score for score in booking.result.scores.all()}
        writer.writerow([
            booking.pk, _text(booking.candidate.full_name), _text(booking.candidate.email), booking.level.code,
            booking.status, arrangements,
            "yes" if booking.status == "no_show" else "",
            *[scores.get(code, "") for code in topics],
        ])
    return out.getvalue()


def roster_filename(session: ExamSession, extension: str) -> str:
    local = timezone.localtime(session.starts_at, session.centre.zone)
    city = "".join(ch if ch.isalnum() else "-" for ch in session.centre.city.lower())
    return f"roster-{city}-{local:%Y%m%d-%H%M}-{session.pk}.{extension}"


def attendance_sheet_pdf(session: ExamSession, *, base_url: str | None = None) -> bytes:
    html = render_to_string("exams/session_attendance_sheet.html", {
        "session": session, "centre": session.centre, "bookings": list(session_roster(session)),
    })
    return html_to_pdf(html, base_url=base_url)
