"""Exams: pass rates per level and centre, scores per topic against weights, seat use, no-shows."""

from django.db.models import Avg, Count, F, Q, Sum
from django.utils.translation import gettext as _

from exams.models import Booking, BookingStatus, ExamResult, ExamSession, TopicScore
from insights.figures.base import Chart, Filters, Table, rate, rounded
from insights.labels import quarter_label


def _results(filters: Filters):
    queryset = ExamResult.objects.filter(
        booking__session__starts_at__gte=filters.since, booking__session__starts_at__lt=filters.until)
    if filters.level:
        queryset = queryset.filter(booking__level__code=filters.level)
    if filters.country:
        queryset = queryset.filter(booking__session__centre__country=filters.country)
    return queryset


PASSES = {"sat": Count("pk"), "passed": Count("pk", filter=Q(passed=True))}


def pass_rate_by_level(filters: Filters) -> Table:
    rows = _results(filters).values(code=F("booking__level__code"), rank=F("booking__level__rank")).annotate(
        **PASSES).order_by("rank")
    return Table(
        "pass_rate_by_level", _("Pass rate by level"),
        _("Exam results recorded for sessions in the period per level: candidates who sat, passed, and the pass rate."),
        [_("Level"), _("Sat"), _("Passed"), _("Pass rate (%)")],
        [(row["code"], row["sat"], row["passed"], rate(row["passed"], row["sat"])) for row in rows],
        Chart(values=(3,), maximum=100),
    )


def pass_rate_by_centre(filters: Filters) -> Table:
    rows = _results(filters).values(
        centre=F("booking__session__centre__name"), city=F("booking__session__centre__city"),
    ).annotate(**PASSES).order_by("centre", "city")
    return Table(
        "pass_rate_by_centre", _("Pass rate by test centre"),
        _("Exam results recorded for sessions in the period per test centre, and the pass rate."),
        [_("Test centre"), _("City"), _("Sat"), _("Passed"), _("Pass rate (%)")],
        [(row["centre"], row["city"], row["sat"], row["passed"], rate(row["passed"], row["sat"])) for row in rows],
        Chart(values=(4,), maximum=100),
    )


def score_by_topic(filters: Filters) -> Table:
    queryset = TopicScore.objects.filter(result__in=_results(filters))
    rows = queryset.values(name=F("topic__name"), position=F("topic__position")).annotate(
        scores=Count("pk"), average=Avg("score"), weight=Avg("weight")).order_by("position")
    return Table(
        "score_by_topic", _("Average score per curriculum topic"),
        _("The average score (%) candidates reached in each curriculum topic, against the topic's average weight "
          "(%) in the exams they sat."),
        [_("Topic"), _("Scores"), _("Average score (%)"), _("Weight (%)")],
        [(row["name"], row["scores"], rounded(row["average"]), rounded(row["weight"])) for row in rows],
        Chart(values=(2, 3), maximum=100),
    )


def seat_use(filters: Filters) -> Table:
    queryset = ExamSession.objects.filter(starts_at__gte=filters.since, starts_at__lt=filters.until)
    if filters.level:
        queryset = queryset.filter(levels__code=filters.level)
    if filters.country:
        queryset = queryset.filter(centre__country=filters.country)
    rows = queryset.values(
        centre_name=F("centre__name"), year=F("window__year"), quarter=F("window__quarter"),
    ).annotate(sessions=Count("pk", distinct=True), seats=Sum("capacity"), taken=Sum("seats_taken")).order_by(
        "centre_name", "year", "quarter")
    return Table(
        "seat_use", _("Seat use per centre and quarter"),
        _("Seats offered and taken in the sessions of each test centre per quarter, and the share taken."),
        [_("Test centre"), _("Quarter"), _("Sessions"), _("Seats"), _("Taken"), _("Use (%)")],
        [(row["centre_name"], quarter_label(row["year"], row["quarter"]), row["sessions"], row["seats"], row["taken"],
          rate(row["taken"], row["seats"])) for row in rows],
        Chart(values=(5,), label=(0, 1), maximum=100),
    )


def no_shows(filters: Filters) -> Table:
    queryset = Booking.objects.filter(session__starts_at__gte=filters.since, session__starts_at__lt=filters.until,
                                      status__in=[BookingStatus.ATTENDED, BookingStatus.NO_SHOW])
    if filters.level:
        queryset = queryset.filter(level__code=filters.level)
    if filters.country:
        queryset = queryset.filter(session__centre__country=filters.country)
    rows = queryset.values(code=F("level__code"), rank=F("level__rank")).annotate(
        expected=Count("pk"), absent=Count("pk", filter=Q(status=BookingStatus.NO_SHOW))).order_by("rank")
    return Table(
        "no_shows", _("No-shows"),
        _("Bookings for sessions held in the period per level: candidates expected, absent, and the no-show rate."),
        [_("Level"), _("Expected"), _("No-shows"), _("No-show rate (%)")],
        [(row["code"], row["expected"], row["absent"], rate(row["absent"], row["expected"])) for row in rows],
        Chart(values=(3,), maximum=100),
    )


FIGURES = [pass_rate_by_level, pass_rate_by_centre, score_by_topic, seat_use, no_shows]
