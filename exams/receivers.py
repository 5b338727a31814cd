"""What exams does when other apps announce something (connected in ExamsConfig.ready)."""

import logging

from exams.models import Booking, BookingStatus, FeeKind
from exams.services import booking_mark_paid

logger = logging.getLogger(__name__)


def invoice_paid_received(sender, invoice, **kwargs) -> None:
    """payments.signals.invoice_paid: an exam or retake fee paid marks its booking paid."""
    if invoice.kind not in (FeeKind.EXAM, FeeKind.RETAKE):
        return
    prefix, _sep, booking_id = invoice.reference.partition(":")
    if prefix != "booking" or not booking_id.isdigit():
        logger.warning("An exam invoice with reference %r names no booking", invoice.reference)
        return
    booking_mark_paid(booking_id=int(booking_id))


def exam_window_closing_received(sender, *, application, **kwargs) -> bool:
    """accreditation.signals.exam_window_closing: True (wait, do not lapse yet) while the candidate
    holds a seat for a session that has not happened, or sat one and has no result yet."""
    sittings = Booking.objects.filter(candidate_id=application.applicant_id, level_id=application.level_id)
    if application.accepted_at is not None:
        sittings = sittings.filter(booked_at__gte=application.accepted_at)
    # BOOKED: the session is ahead, or it has started and attendance is not recorded yet.
    return (sittings.filter(status=BookingStatus.BOOKED).exists()
            or sittings.filter(status=BookingStatus.ATTENDED, result__isnull=True).exists())


def eligibility_facts_received(sender, *, user, level_code: str, **kwargs) -> dict[str, bool]:
    """accreditation.signals.eligibility_facts_requested: whether the candidate passed the level's exam."""
    from exams.selectors import exam_passed, exam_passed_levels
    from ipma_portal.page_memo import memo_active, memoized

    if memo_active() and getattr(user, "is_authenticated", False):
        # A page that asks for every level (the dashboard) reads the passed levels once.
        passed = memoized(("exams:passed-levels", user.pk), lambda: exam_passed_levels(user=user))
        return {"exam_passed": level_code in passed}
    return {"exam_passed": exam_passed(user=user, level_code=level_code)}
