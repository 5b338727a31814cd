"""The committee's screens for exams: curriculum, centres, windows, sessions, bookings and results."""

from exams.admin import bookings, centres, curriculum, sessions  # noqa: F401  (registers the admins)
