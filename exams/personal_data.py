"""The candidate's bookings and results in their data copy and their erasure (ExamsConfig hooks)."""

from django.utils import timezone
from django.utils.translation import gettext as _

from applicants.personal_data import rows
from exams.models import Booking, BookingStatus, ExamResult, SpecialArrangement, WaitlistEntry, WaitlistStatus


def data(user) -> dict:
    return {
        "bookings": rows(Booking.objects.filter(candidate=user).order_by("booked_at"), "pk", "level__code",
                         "session__starts_at", "session__centre__city", "status", "attempt_number", "booked_at",
                         "paid_at", "cancelled_at"),
        "results": rows(ExamResult.objects.filter(booking__candidate=user), "booking", "total_score", "pass_mark",
                        "passed", "recorded_at"),
        "special_arrangements": rows(SpecialArrangement.objects.filter(booking__candidate=user), "booking", "needs",
                                     "status", "requested_at", "decided_at"),
        "waitlist": rows(WaitlistEntry.objects.filter(candidate=user), "session__starts_at", "level__code", "status",
                         "created_at"),
    }


def erase_blockers(user) -> list[str]:
    upcoming = Booking.objects.filter(candidate=user, status=BookingStatus.BOOKED, session__starts_at__gte=timezone.now())
    return [_("You are booked for the exam of %(date)s: cancel the booking first.")
            % {"date": timezone.localdate(booking.session.starts_at).isoformat()}
            for booking in upcoming.select_related("session")]


def erase(user) -> None:
    """Results stay (the certificate rests on them); what the candidate told about their needs goes."""
    SpecialArrangement.objects.filter(booking__candidate=user).update(needs="")
    WaitlistEntry.objects.filter(candidate=user).exclude(status=WaitlistStatus.ACCEPTED).delete()
