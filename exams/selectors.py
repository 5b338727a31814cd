"""Reads for views, the admin, the dashboard and other apps (constant queries per page)."""

from django.db.models import F, Prefetch
from django.utils import timezone, translation

from accreditation.models import Level
from accreditation.selectors import levels_in_order
from exams.models import (
    Booking,
    BookingStatus,
    ExamResult,
    ExamSession,
    TestCentre,
    Topic,
    TopicScore,
    TopicWeight,
    WaitlistEntry,
    WaitlistStatus,
)
from ipma_portal.reference_cache import ReferenceData


def exam_passed(*, user, level_code: str) -> bool:
    """Has the candidate passed the level's exam? (read by accreditation's eligibility rules)"""
    if not getattr(user, "is_authenticated", False):
        return False
    return ExamResult.objects.filter(booking__candidate=user, booking__level__code=level_code, passed=True).exists()


def _curriculum_table() -> tuple[list[Level], list[tuple[Topic, list[int | None]]]]:
    levels = list(Level.objects.order_by("rank"))
    weights = {(topic_id, level_id): weight for topic_id, level_id, weight in
               TopicWeight.objects.values_list("topic_id", "blueprint__level_id", "weight")}
    rows = [(topic, [weights.get((topic.pk, level.pk)) for level in levels]) for topic in Topic.objects.all()]
    return levels, rows


CURRICULUM = ReferenceData(
    "curriculum", models=["accreditation.Level", "exams.Topic", "exams.ExamBlueprint", "exams.TopicWeight"],
    build=_curriculum_table,
)


def exam_passed_levels(*, user) -> frozenset[str]:
    """The codes of the levels whose exam the candidate passed: one query."""
    return frozenset(ExamResult.objects.filter(booking__candidate=user, passed=True)
                     .values_list("booking__level__code", flat=True))


def curriculum_table() -> tuple[list[Level], list[tuple[Topic, list[int | None]]]]:
    """The levels (columns) and, per topic, its weight at each level (three queries), kept until one changes."""
    return CURRICULUM.get()


def _calendar_choices(day_and_language) -> dict[str, list[tuple[str, str]]]:
    from exams.filters import calendar_choices

    return calendar_choices(calendar_sessions())


# The lists of quarters, countries and cities the calendar offers: kept per day and language (the names of
# the countries) until a session, window or centre changes.
CALENDAR_CHOICES = ReferenceData(
    "calendar-choices", models=["exams.ExamSession", "exams.ExamWindow", "exams.TestCentre"],
    build=_calendar_choices,
)


def calendar_filter_choices() -> dict[str, list[tuple[str, str]]]:
    return CALENDAR_CHOICES.get((timezone.localdate(), translation.get_language()))


def _centre_countries(language) -> list[tuple[str, str]]:
    from django_countries import countries

    codes = TestCentre.objects.order_by().values_list("country", flat=True).distinct()
    return sorted(((code, countries.name(code)) for code in codes if code), key=lambda pair: pair[1])


# The countries that have a test centre (a dozen), named in each language: the committee's booking list
# filters by them; listing every country in the world cost a link each on every view of the list.
CENTRE_COUNTRIES = ReferenceData("centre-countries", models=["exams.TestCentre"], build=_centre_countries)


def centre_countries() -> list[tuple[str, str]]:
    """(code, name) of the countries with a test centre, by name in the current language."""
    return CENTRE_COUNTRIES.get(translation.get_language())


def calendar_sessions():
    """Upcoming sessions for the public calendar, with what the listing shows."""
    return ExamSession.objects.upcoming().filter(centre__is_active=True).for_listing()


def bookable_sessions():
    """The sessions a booking page opens (those of the calendar), each with its centre and window and the ids of
    its levels read in the same query (``level_ids``, for ``offered_levels``): one query where a prefetch asks two."""
    return ExamSession.objects.upcoming().filter(centre__is_active=True).with_level_ids()


def offered_levels(session: ExamSession) -> list[Level]:
    """A session of ``bookable_sessions`` its levels by rank, from the levels kept in memory (no query)."""
    ids = set(session.level_ids)
    return [level for level in levels_in_order() if level.pk in ids]


# Candidates see only their own bookings, waiting-list entries and results: every view that shows
# one goes through these.
def bookings_visible_to(user):
    if not getattr(user, "is_authenticated", False):
        return Booking.objects.none()
    return Booking.objects.filter(candidate=user)


def results_visible_to(user):
    if not getattr(user, "is_authenticated", False):
        return ExamResult.objects.none()
    return ExamResult.objects.filter(booking__candidate=user)


def waitlist_visible_to(user):
    if not getattr(user, "is_authenticated", False):
        return WaitlistEntry.objects.none()
    return WaitlistEntry.objects.filter(candidate=user)


def candidate_exams(user) -> dict:
    """A candidate's bookings (with results) and open waiting-list entries: two queries."""
    bookings = list(bookings_visible_to(user).for_candidate_list().order_by("-session__starts_at", "-pk"))
    waiting = list(waitlist_visible_to(user).filter(
        status__in=[WaitlistStatus.WAITING, WaitlistStatus.OFFERED], session__starts_at__gt=timezone.now())
        .select_related("session__centre", "level").order_by("session__starts_at"))
    return {
        "upcoming": [b for b in bookings if b.status == BookingStatus.BOOKED],
        "past": [b for b in bookings if b.status != BookingStatus.BOOKED],
        "results": [b.result for b in bookings if hasattr(b, "result")],
        "waiting": waiting,
    }


def result_with_scores(user, pk: int) -> ExamResult:
    return results_visible_to(user).select_related("booking__session__centre", "booking__level").prefetch_related(
        Prefetch("scores", queryset=TopicScore.objects.select_related("topic").order_by("topic__position"))
    ).get(pk=pk)


def reschedule_options(booking: Booking):
    """Other upcoming sessions offering the booking's level, with a free seat."""
    return (ExamSession.objects.upcoming().offering(booking.level).filter(centre__is_active=True)
            .exclude(pk=booking.session_id).filter(seats_taken__lt=F("capacity")).for_listing())


def session_roster(session: ExamSession):
    """Who is expected (or was) at the session: booked, attended and no-show, by name."""
    return (session.bookings.exclude(status=BookingStatus.CANCELLED)
            .select_related("candidate", "level", "arrangement", "result")
            .prefetch_related("result__scores__topic")
            .order_by("candidate__full_name", "candidate__email"))
