from exams.models.bookings import (
    ATTEMPT_STATUSES,
    ArrangementStatus,
    Booking,
    BookingEvent,
    BookingStatus,
    FeeKind,
    SpecialArrangement,
    WaitlistEntry,
    WaitlistStatus,
)
from exams.models.centres import ExamSession, ExamWindow, TestCentre, quarter_bounds
from exams.models.curriculum import WEIGHTS_TOTAL, ExamBlueprint, Topic, TopicWeight, weights_total_check
from exams.models.results import ExamResult, TopicScore

__all__ = [
    "ATTEMPT_STATUSES", "WEIGHTS_TOTAL", "ArrangementStatus", "Booking", "BookingEvent",
    "BookingStatus", "ExamBlueprint", "ExamResult", "ExamSession", "ExamWindow", "FeeKind", "SpecialArrangement",
    "TestCentre", "Topic", "TopicScore", "TopicWeight", "WaitlistEntry", "WaitlistStatus", "quarter_bounds",
    "weights_total_check",
]
