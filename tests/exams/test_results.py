from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError

from exams.models import Booking, BookingStatus, ExamResult, TopicScore
from exams.selectors import exam_passed
from exams.services import (
    ResultRow,
    booking_create,
    pass_mark_for,
    result_weighted_total,
    results_import_csv,
    results_record,
)
from exams.services.results import level_weights
from notifications.models import OutboxMessage
from tests.factories import ApplicantFactory

pytestmark = pytest.mark.django_db

TOPICS = ["coaching-skills", "mentoring-skills", "supervision-skills", "knowledge-management",
          "tacit-knowledge-management", "business-skills", "tools-methodologies", "ethics"]
# One candidate's topic scores, in the order above.
SCORES = dict(zip(TOPICS, map(Decimal, ["80", "60", "90", "50", "70", "40", "100", "75"]), strict=True))


def weights(code: str) -> dict[str, int]:
    from accreditation.models import Level

    return level_weights([Level.objects.get(code=code).pk])[Level.objects.get(code=code).pk]


# Worked by hand from DESIGN.md's weights (score x weight / 100, summed):
# AM/PM 30/35/5/5/5/5/5/10: 24 + 21 + 4.5 + 2.5 + 3.5 + 2 + 5 + 7.5 = 70.00
# SM 20/25/10/5/10/10/10/10: 16 + 15 + 9 + 2.5 + 7 + 4 + 10 + 7.5 = 71.00
# MM 10/20/10/5/15/15/15/10: 8 + 12 + 9 + 2.5 + 10.5 + 6 + 15 + 7.5 = 70.50
@pytest.mark.parametrize(("level", "expected"), [("AM", "70.00"), ("PM", "70.00"), ("SM", "71.00"),
                                                 ("MM", "70.50")])
def test_weighted_total_by_hand_for_every_level(level, expected):
    assert result_weighted_total(weights=weights(level), scores=SCORES) == Decimal(expected)


# Fractions round half up to the cent: AM with all 66.66 except ethics 66.67 -> 66.661 -> 66.66;
# MM with coaching 33.33 and the rest 0 -> 3.333 -> 3.33; SM with ethics 0.05 -> 0.005 -> 0.01.
@pytest.mark.parametrize(("level", "scores", "expected"), [
    ("AM", {**dict.fromkeys(TOPICS, Decimal("66.66")), "ethics": Decimal("66.67")}, "66.66"),
    ("MM", {**dict.fromkeys(TOPICS, Decimal(0)), "coaching-skills": Decimal("33.33")}, "3.33"),
    ("SM", {**dict.fromkeys(TOPICS, Decimal(0)), "ethics": Decimal("0.05")}, "0.01"),
    ("PM", dict.fromkeys(TOPICS, Decimal(100)), "100.00"),
])
def test_weighted_total_rounds_half_up_to_the_cent(level, scores, expected):
    assert result_weighted_total(weights=weights(level), scores=scores) == Decimal(expected)


def test_pass_mark_defaults_to_70_and_follows_the_setting(settings):
    assert pass_mark_for("SM") == Decimal("70.00")
    settings.EXAM_PASS_MARKS = {**settings.EXAM_PASS_MARKS, "MM": 75}
    assert pass_mark_for("MM") == Decimal("75.00")


@pytest.fixture
def sat(candidate, session, level_am):
    """A booking whose session has started."""
    booking = booking_create(candidate=candidate, session=session, level=level_am)
    traveller = time_machine.travel(session.starts_at + timedelta(hours=4))
    traveller.start()
    yield booking
    traveller.stop()


def test_result_at_the_pass_mark_passes_and_tells_accreditation_after_commit(sat, acceptances,
                                                                            django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        results_record(session=sat.session, rows=[ResultRow(booking_id=sat.pk, scores=SCORES)], actor=None)
        assert acceptances(user=sat.candidate, level_code="AM").exam_passed_at is None  # not before the commit
    for callback in callbacks:
        callback()

    result = ExamResult.objects.get(booking=sat)
    assert (result.total_score, result.pass_mark, result.passed) == (Decimal("70.00"), Decimal("70.00"), True)
    assert Booking.objects.get(pk=sat.pk).status == BookingStatus.ATTENDED
    application = acceptances(user=sat.candidate, level_code="AM")
    assert application.exam_passed_at is not None and application.status != "accepted_for_exam"
    assert exam_passed(user=sat.candidate, level_code="AM") is True
    assert exam_passed(user=sat.candidate, level_code="PM") is False
    scores = {score.topic.code: (score.score, score.weight) for score in TopicScore.objects.filter(result=result)}
    assert scores["mentoring-skills"] == (Decimal("60.00"), 35)
    assert OutboxMessage.objects.filter(key=f"exam-result:{sat.pk}").exists()


def test_result_below_the_pass_mark_fails(sat, settings):
    settings.EXAM_PASS_MARKS = {**settings.EXAM_PASS_MARKS, "AM": 71}

    results_record(session=sat.session, rows=[ResultRow(booking_id=sat.pk, scores=SCORES)], actor=None)

    result = ExamResult.objects.get(booking=sat)
    assert (result.total_score, result.pass_mark, result.passed) == (Decimal("70.00"), Decimal("71.00"), False)
    assert exam_passed(user=sat.candidate, level_code="AM") is False


def test_absent_candidate_is_a_no_show(sat):
    results_record(session=sat.session, rows=[ResultRow(booking_id=sat.pk, absent=True)], actor=None)

    assert Booking.objects.get(pk=sat.pk).status == BookingStatus.NO_SHOW
    assert not ExamResult.objects.exists()


def test_results_refused_before_the_session(candidate, session, level_am):
    booking = booking_create(candidate=candidate, session=session, level=level_am)

    with pytest.raises(ValidationError, match="once the session has started"):
        results_record(session=session, rows=[ResultRow(booking_id=booking.pk, scores=SCORES)], actor=None)


def test_every_problem_is_listed_and_nothing_is_saved(sat, acceptances, level_am):
    other = ApplicantFactory()
    acceptances.accept(other, "AM")
    with time_machine.travel(sat.session.starts_at - timedelta(days=20)):
        second = booking_create(candidate=other, session=sat.session, level=level_am)
    rows = [
        ResultRow(booking_id=sat.pk, scores=SCORES, label="Line 2"),
        ResultRow(booking_id=second.pk, scores={**SCORES, "ethics": Decimal("101")}, label="Line 3"),
        ResultRow(booking_id=999999, scores=SCORES, label="Line 4"),
        ResultRow(booking_id=sat.pk, absent=True, label="Line 5"),
    ]

    with pytest.raises(ValidationError) as refused:
        results_record(session=sat.session, rows=rows, actor=None)

    assert refused.value.messages == [
        "Line 3: the score for Code of ethics & conducts must be between 0 and 100.",
        "Line 4: booking 999999 is not in this session.",
        f"Line 5: booking {sat.pk} appears twice.",
    ]
    assert not ExamResult.objects.exists()
    assert Booking.objects.get(pk=sat.pk).status == BookingStatus.BOOKED


def test_missing_topic_scores_are_refused(sat):
    partial = {code: score for code, score in SCORES.items() if code != "ethics"}

    with pytest.raises(ValidationError, match="scores missing for Code of ethics & conducts"):
        results_record(session=sat.session, rows=[ResultRow(booking_id=sat.pk, scores=partial)], actor=None)


def test_a_result_is_given_once(sat):
    results_record(session=sat.session, rows=[ResultRow(booking_id=sat.pk, scores=SCORES)], actor=None)

    with pytest.raises(ValidationError, match="already has a result"):
        results_record(session=sat.session, rows=[ResultRow(booking_id=sat.pk, scores=SCORES)], actor=None)


def csv_sheet(*lines: str) -> bytes:
    return ("\n".join(["booking,name,email,level,status,special_arrangements,absent," + ",".join(TOPICS), *lines])
            + "\n").encode()


def test_csv_import_records_scores_and_absences(sat, acceptances, level_am):
    other = ApplicantFactory()
    acceptances.accept(other, "AM")
    with time_machine.travel(sat.session.starts_at - timedelta(days=20)):
        absent = booking_create(candidate=other, session=sat.session, level=level_am)
    data = csv_sheet(
        f"{sat.pk},A,a@example.org,AM,booked,,,80,60,90,50,70,40,100,75",
        f"{absent.pk},B,b@example.org,AM,booked,,yes,,,,,,,,",
    )

    recorded = results_import_csv(session=sat.session, data=data, actor=None)

    assert len(recorded) == 2
    assert ExamResult.objects.get(booking=sat).total_score == Decimal("70.00")
    assert Booking.objects.get(pk=absent.pk).status == BookingStatus.NO_SHOW


def test_csv_import_reads_semicolons_and_decimal_commas(sat):
    data = ("booking;absent;" + ";".join(TOPICS) + "\n" + f"{sat.pk};no;80,5;60;90;50;70;40;100;75\n").encode()

    results_import_csv(session=sat.session, data=data, actor=None)

    assert ExamResult.objects.get(booking=sat).scores.get(topic__code="coaching-skills").score == Decimal("80.50")


def test_csv_import_with_a_bad_row_saves_nothing(sat, acceptances, level_am):
    other = ApplicantFactory()
    acceptances.accept(other, "AM")
    with time_machine.travel(sat.session.starts_at - timedelta(days=20)):
        second = booking_create(candidate=other, session=sat.session, level=level_am)
    data = csv_sheet(
        f"{sat.pk},A,a@example.org,AM,booked,,,80,60,90,50,70,40,100,75",
        f"{second.pk},B,b@example.org,AM,booked,,maybe,80,60,90,50,70,40,100,75",
        "abc,C,c@example.org,AM,booked,,,80,60,90,50,70,40,100,75",
        f"{second.pk},B,b@example.org,AM,booked,,,80,sixty,90,50,70,40,100,75",
    )

    with pytest.raises(ValidationError) as refused:
        results_import_csv(session=sat.session, data=data, actor=None)

    assert refused.value.messages == [
        "Line 3: absent must be yes or no, not 'maybe'.",
        "Line 4: the booking number is missing or not a number.",
        "Line 5: not a number for mentoring-skills.",
    ]
    assert not ExamResult.objects.exists()
    assert Booking.objects.get(pk=sat.pk).status == BookingStatus.BOOKED


@pytest.mark.parametrize("value", ["NaN", "nan", "Infinity", "-inf", "sNaN"])
def test_csv_import_refuses_a_score_that_is_not_a_finite_number(sat, value):
    data = csv_sheet(f"{sat.pk},A,a@example.org,AM,booked,,,{value},60,90,50,70,40,100,75")

    with pytest.raises(ValidationError) as refused:
        results_import_csv(session=sat.session, data=data, actor=None)

    assert refused.value.messages == ["Line 2: not a number for coaching-skills."]
    assert not ExamResult.objects.exists()


def test_csv_without_a_booking_column_is_refused(sat):
    with pytest.raises(ValidationError, match="needs a 'booking' column"):
        results_import_csv(session=sat.session, data=b"email,ethics\na@example.org,50\n", actor=None)


def test_failing_the_last_attempt_lapses_the_application(sat, settings, lapses, acceptances,
                                                        django_capture_on_commit_callbacks):
    settings.EXAM_ATTEMPT_LIMIT = 1
    low = dict.fromkeys(TOPICS, Decimal(10))

    with django_capture_on_commit_callbacks(execute=True):
        results_record(session=sat.session, rows=[ResultRow(booking_id=sat.pk, scores=low)], actor=None)

    assert [call[0] for call in lapses()] == [acceptances(user=sat.candidate, level_code="AM").pk]


def test_failing_with_attempts_left_does_not_lapse(sat, lapses, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        results_record(session=sat.session, rows=[ResultRow(booking_id=sat.pk, scores=dict.fromkeys(TOPICS, 0))],
                       actor=None)

    assert lapses() == []
