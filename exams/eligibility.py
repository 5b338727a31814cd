"""Who may book which level's exam: accreditation's accepted application (or a completed fast track
for Senior Mentor), the attempts used and the eligibility window."""

from dataclasses import dataclass
from datetime import datetime

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from accreditation.selectors import application_accepted_for_exam
from exams.models import ATTEMPT_STATUSES, Booking, ExamSession, FeeKind
from fasttrack.selectors import fasttrack_exam_ready


@dataclass(frozen=True)
class Eligibility:
    level: object
    eligible: bool
    reason: str
    application: object = None
    window_ends_at: datetime | None = None
    attempts_used: int = 0
    passed: bool = False

    @property
    def next_attempt(self) -> int:
        return self.attempts_used + 1

    @property
    def fee_kind(self) -> str:
        return FeeKind.EXAM if self.next_attempt == 1 else FeeKind.RETAKE

    def check_new_attempt(self) -> None:
        if not self.eligible:
            raise ValidationError(self.reason, code="not_eligible")

    def check_session(self, session: ExamSession) -> None:
        """The sitting must fall inside the eligibility window."""
        if self.window_ends_at and session.starts_at > self.window_ends_at:
            raise ValidationError(
                _("This session is after your eligibility window closes on %(date)s; choose an earlier one.")
                % {"date": formats.date_format(self.window_ends_at, "DATE_FORMAT")},
                code="outside_window",
            )


def attempt_facts(*, user, level, since: datetime | None) -> tuple[int, bool]:
    """The sittings that used an attempt (attended, no-show, or still booked: a booking reserves one) and
    whether one was passed, since ``since``: one query over the candidate's bookings of the level."""
    bookings = Booking.objects.filter(candidate=user, level=level)
    if since is not None:
        bookings = bookings.filter(booked_at__gte=since)
    facts = bookings.aggregate(used=Count("pk", filter=Q(status__in=ATTEMPT_STATUSES)),
                               passed=Count("pk", filter=Q(result__passed=True)))
    return facts["used"], facts["passed"] > 0


def exam_eligibility(*, user, level) -> Eligibility:
    """May ``user`` book (another) sitting of ``level``'s exam now, and with which fee?"""
    name = level.name
    application = (application_accepted_for_exam(user=user, level_code=level.code)
                   if user.is_authenticated else None)
    via_fasttrack = level.code == "SM" and user.is_authenticated and fasttrack_exam_ready(user=user)
    if application is None and not via_fasttrack:
        return Eligibility(level, False, _("Your application for %(level)s has not been accepted for the exam.")
                           % {"level": name})
    accepted_at = getattr(application, "accepted_at", None)
    window_ends_at = accepted_at + relativedelta(months=settings.EXAM_ELIGIBILITY_MONTHS) if accepted_at else None
    used, has_passed = attempt_facts(user=user, level=level, since=accepted_at)
    refusal = ""
    if has_passed:
        refusal = _("You have already passed the %(level)s exam.") % {"level": name}
    elif used >= settings.EXAM_ATTEMPT_LIMIT:
        refusal = _("You have used all %(limit)s attempts at the %(level)s exam that this application allows.") % {
            "limit": settings.EXAM_ATTEMPT_LIMIT, "level": name}
    elif window_ends_at and timezone.now() > window_ends_at:
        refusal = _("Your eligibility window for the %(level)s exam ended on %(date)s.") % {
            "level": name, "date": formats.date_format(window_ends_at, "DATE_FORMAT")}
    return Eligibility(level, not refusal, refusal, application, window_ends_at, used, has_passed)
