"""Every change to level applications: one function per business action (see each module)."""

from accreditation.services.appeals import appeal_deadline, appeal_decide, appeal_file, appeal_open
from accreditation.services.applications import (
    application_create,
    application_respond,
    application_submit,
    application_update,
    application_withdraw,
    document_add,
    document_remove,
)
from accreditation.services.review import (
    application_accept_for_exam,
    application_approve,
    application_assign_reviewer,
    application_exam_passed,
    application_lapse,
    application_payment_received,
    application_reject,
    application_request_information,
    application_review_start,
    reviewer_auto_assign,
)
from accreditation.services.windows import exam_window_ends_at, exam_windows_lapse

__all__ = [
    "appeal_deadline", "appeal_decide", "appeal_file", "appeal_open",
    "application_accept_for_exam", "application_approve", "application_assign_reviewer", "application_create",
    "application_exam_passed", "application_lapse", "application_payment_received", "application_reject",
    "application_request_information", "application_respond", "application_review_start", "application_submit",
    "application_update", "application_withdraw", "document_add", "document_remove", "exam_window_ends_at",
    "exam_windows_lapse", "reviewer_auto_assign",
]
