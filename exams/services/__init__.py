"""Every change to exams data goes through these functions (the admin, views and tasks call them)."""

from exams.services.bookings import (
    arrangement_decide,
    arrangement_request,
    booking_attendance_set,
    booking_cancel,
    booking_create,
    booking_mark_paid,
    booking_release_unpaid,
    booking_reminders_send,
    booking_reschedule,
    bookings_release_unpaid,
)
from exams.services.curriculum import blueprint_weights_set
from exams.services.results import (
    RESULT_CORRECT,
    ResultRow,
    pass_mark_for,
    result_correct,
    result_correction_propose,
    result_weighted_total,
    results_import_csv,
    results_record,
)
from exams.services.sessions import SessionsCreated, sessions_create_for_centres, window_for_quarter
from exams.services.waitlist import (
    waitlist_join,
    waitlist_leave,
    waitlist_offer_accept,
    waitlist_offers_process,
)

__all__ = [
    "RESULT_CORRECT", "ResultRow", "result_correct", "result_correction_propose", "SessionsCreated", "arrangement_decide", "arrangement_request", "blueprint_weights_set",
    "booking_attendance_set", "booking_cancel", "booking_create", "booking_mark_paid", "booking_release_unpaid",
    "booking_reminders_send", "booking_reschedule", "bookings_release_unpaid", "pass_mark_for", "result_weighted_total",
    "results_import_csv", "results_record", "sessions_create_for_centres", "waitlist_join", "waitlist_leave",
    "waitlist_offer_accept", "waitlist_offers_process", "window_for_quarter",
]
