"""Exam results: entered in the admin or imported from a test centre's CSV, all or nothing."""

import csv
import io
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accreditation.services import application_exam_passed
from exams.models import Booking, BookingStatus, ExamResult, ExamSession, Topic, TopicScore, TopicWeight
from exams.services import mail
from exams.services.bookings import booking_move, lapse_if_exhausted
from workflows.conflicts import decision_conflict
from workflows.proposals import proposal_create
from workflows.services import event_record

CENT = Decimal("0.01")
TRUE_WORDS = {"1", "yes", "y", "true", "x", "absent"}
FALSE_WORDS = {"", "0", "no", "n", "false"}


def pass_mark_for(level_code: str) -> Decimal:
    """The level's pass mark from the EXAM_PASS_MARKS setting (70 unless configured)."""
    return Decimal(settings.EXAM_PASS_MARKS.get(level_code, 70)).quantize(CENT)


def result_weighted_total(*, weights: dict[str, int], scores: dict[str, Decimal]) -> Decimal:
    """Sum of each topic's score (percent) times its weight (percent), rounded half up to 0.01."""
    total = sum((Decimal(scores[code]) * weight for code, weight in weights.items()), Decimal(0)) / 100
    return total.quantize(CENT, rounding=ROUND_HALF_UP)


def level_weights(level_ids) -> dict[int, dict[str, int]]:
    """Level id -> {topic code: weight} for the given levels, in one query."""
    weights: dict[int, dict[str, int]] = {}
    for level_id, code, weight in TopicWeight.objects.filter(blueprint__level_id__in=level_ids).values_list(
            "blueprint__level_id", "topic__code", "weight"):
        weights.setdefault(level_id, {})[code] = weight
    return weights


@dataclass
class ResultRow:
    """One candidate's line: absent, or a score (0-100) for every topic of the level."""

    booking_id: int
    absent: bool = False
    scores: dict[str, Decimal] = field(default_factory=dict)
    label: str = ""  # where the row came from, for error messages ("Line 4")


def _row_errors(row: ResultRow, booking: Booking | None, weights: dict[str, int], topic_names) -> list[str]:
    if booking is None:
        return [_("booking %(id)s is not in this session.") % {"id": row.booking_id}]
    if hasattr(booking, "result"):
        return [_("%(candidate)s already has a result.") % {"candidate": booking.candidate}]
    if booking.status not in (BookingStatus.BOOKED, BookingStatus.ATTENDED):
        return [_("%(candidate)s's booking is %(status)s.") % {
            "candidate": booking.candidate, "status": booking.get_status_display().lower()}]
    if row.absent:
        if booking.status == BookingStatus.ATTENDED:
            return [_("%(candidate)s is recorded as attended, not absent.") % {"candidate": booking.candidate}]
        if row.scores:
            return [_("a candidate marked absent cannot have scores.")]
        return []
    errors = []
    missing = [topic_names[code] for code in weights if code not in row.scores]
    if missing:
        errors.append(_("scores missing for %(topics)s.") % {"topics": ", ".join(missing)})
    for code, score in row.scores.items():
        if code not in weights:
            errors.append(_("%(topic)s is not part of the %(level)s exam.") % {
                "topic": topic_names.get(code, code), "level": booking.level.code})
        elif not (0 <= score <= 100):
            errors.append(_("the score for %(topic)s must be between 0 and 100.") % {"topic": topic_names[code]})
    return errors


@transaction.atomic
def results_record(*, session: ExamSession, rows: list[ResultRow], actor) -> list[Booking]:
    """Record a session's results: scores make a result (and the booking attended), absent makes a
    no-show. Every row is checked first; any error refuses the whole set (ValidationError listing
    every row's problems), so a file is never half imported."""
    session = ExamSession.objects.select_related("centre").get(pk=session.pk)
    if not session.has_started:
        raise ValidationError(_("Results can be entered once the session has started."), code="not_started")
    booking_ids = [row.booking_id for row in rows]
    bookings = {
        booking.pk: booking for booking in
        Booking.objects.select_for_update(of=("self",)).filter(session=session, pk__in=booking_ids)
        .select_related("candidate", "level", "session__centre", "result").order_by("pk")
    }
    weights = level_weights({booking.level_id for booking in bookings.values()})
    topic_names = dict(Topic.objects.values_list("code", "name"))
    errors, seen = [], set()
    for row in rows:
        booking = bookings.get(row.booking_id)
        problems = _row_errors(row, booking, weights.get(booking.level_id, {}) if booking else {}, topic_names)
        conflict = decision_conflict(decider=actor, person=booking.candidate) if booking else None
        if conflict:
            problems.insert(0, _("you cannot record the result of %(candidate)s: conflict of interest (%(reason)s); "
                                 "another staff member must.") % {"candidate": booking.candidate, "reason": conflict})
        if row.booking_id in seen:
            problems.insert(0, _("booking %(id)s appears twice.") % {"id": row.booking_id})
        seen.add(row.booking_id)
        errors += [f"{row.label or _('Booking %(id)s') % {'id': row.booking_id}}: {problem}" for problem in problems]
    if errors:
        raise ValidationError(errors, code="rows")

    topics = {topic.code: topic for topic in Topic.objects.all()}
    recorded = []
    for row in rows:
        booking = bookings[row.booking_id]
        if row.absent:
            booking_move(booking, BookingStatus.NO_SHOW, actor=actor, note=_("Absent on the results sheet."))
            lapse_if_exhausted(candidate=booking.candidate, level=booking.level)
        else:
            _result_create(booking=booking, scores=row.scores, weights=weights[booking.level_id], topics=topics,
                           actor=actor)
        recorded.append(booking)
    return recorded


def _result_create(*, booking: Booking, scores, weights, topics, actor) -> ExamResult:
    if booking.status == BookingStatus.BOOKED:
        booking_move(booking, BookingStatus.ATTENDED, actor=actor)
    total = result_weighted_total(weights=weights, scores=scores)
    pass_mark = pass_mark_for(booking.level.code)
    result = ExamResult.objects.create(booking=booking, total_score=total, pass_mark=pass_mark,
                                       passed=total >= pass_mark, recorded_by=actor)
    TopicScore.objects.bulk_create(
        TopicScore(result=result, topic=topics[code], weight=weight, score=Decimal(scores[code]).quantize(CENT))
        for code, weight in weights.items()
    )
    booking.result = result
    mail.result_recorded(booking)
    _result_consequences(booking, result)
    return result


def _result_consequences(booking: Booking, result: ExamResult) -> None:
    if result.passed:
        candidate, level_code = booking.candidate, booking.level.code
        # accreditation moves the application on (approves it, or hands it back to the reviewer).
        transaction.on_commit(lambda: application_exam_passed(candidate=candidate, level_code=level_code))
    else:
        lapse_if_exhausted(candidate=booking.candidate, level=booking.level)


# ---- correcting a recorded result: proposed by one staff member, approved by another --------------------

RESULT_CORRECT = "exams.result_correct"


def _correction_scores(result: ExamResult, scores: dict) -> dict[str, Decimal]:
    """The new score of every topic of ``result`` as Decimals, or ValidationError naming what is wrong."""
    codes = list(result.scores.values_list("topic__code", flat=True))
    try:
        parsed = {code: _finite(Decimal(str(scores[code]))).quantize(CENT) for code in codes}
    except (KeyError, InvalidOperation):
        raise ValidationError(_("Give a score for every topic of the exam."), code="scores_missing") from None
    if any(not (0 <= score <= 100) for score in parsed.values()):
        raise ValidationError(_("Every score must be between 0 and 100."), code="score_range")
    return parsed


def result_correction_propose(*, result: ExamResult, scores: dict, reason: str, actor):
    """Propose new topic scores for a recorded result; they count once a second staff member approves."""
    parsed = _correction_scores(result, scores)
    return proposal_create(
        action=RESULT_CORRECT, target=result, payload={"scores": {code: str(score) for code, score in parsed.items()}},
        actor=actor, reason=reason,
        summary=_("Correct the exam result of %(candidate)s (%(level)s)") % {
            "candidate": result.booking.candidate, "level": result.booking.level.code},
    )


def result_correct(result: ExamResult, payload: dict, actor) -> ExamResult:
    """The approved correction: new scores, the total recomputed with the weights and pass mark copied in
    when the result was recorded, and the consequences of the new outcome as for a recorded result."""
    result = ExamResult.objects.select_for_update().select_related("booking__candidate", "booking__level").get(pk=result.pk)
    booking = result.booking
    parsed = _correction_scores(result, payload.get("scores", {}))
    rows = list(result.scores.select_related("topic"))
    for row in rows:
        row.score = parsed[row.topic.code]
    TopicScore.objects.bulk_update(rows, ["score"])
    before = result.total_score
    result.total_score = result_weighted_total(weights={row.topic.code: row.weight for row in rows}, scores=parsed)
    result.passed = result.total_score >= result.pass_mark
    result.save(update_fields=["total_score", "passed"])
    event = event_record(booking, actor=actor, session_id=booking.session_id, note=_("Result corrected: %(before)s → %(after)s.") % {
        "before": before, "after": result.total_score})
    booking.result = result
    mail.result_corrected(booking, event_id=event.pk)
    _result_consequences(booking, result)
    return result


def _parse_score(value: str) -> Decimal:
    return _finite(Decimal(value.strip().replace(",", ".")))


def _finite(score: Decimal) -> Decimal:
    """``score``, or InvalidOperation for "NaN" and "Infinity": Decimal reads them, then refuses to compare them."""
    if not score.is_finite():
        raise InvalidOperation(str(score))
    return score


def results_import_csv(*, session: ExamSession, data: bytes, actor) -> list[Booking]:
    """Import a results sheet (the roster CSV filled in): column ``booking``, optionally ``absent``,
    and one column per topic code. Comma, semicolon or tab separated; UTF-8."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError(_("The file is not UTF-8 text; export it as CSV (UTF-8).")) from None
    try:
        dialect = csv.Sniffer().sniff(text.split("\n", 1)[0], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    headers = {(name or "").strip().lower() for name in reader.fieldnames or []}
    if "booking" not in headers:
        raise ValidationError(_("The file needs a 'booking' column (download the roster CSV as a template)."))
    topic_codes = set(Topic.objects.values_list("code", flat=True))
    rows, errors = [], []
    for line, raw in enumerate(reader, start=2):
        record = {(key or "").strip().lower(): (value or "").strip() for key, value in raw.items()
                  if not isinstance(value, list)}
        label = _("Line %(line)s") % {"line": line}
        if not any(record.values()):
            continue
        try:
            booking_id = int(record.get("booking", ""))
        except ValueError:
            errors.append(_("%(label)s: the booking number is missing or not a number.") % {"label": label})
            continue
        absent_word = record.get("absent", "").lower()
        if absent_word not in TRUE_WORDS | FALSE_WORDS:
            errors.append(_("%(label)s: absent must be yes or no, not %(value)r.") % {"label": label,
                                                                                  "value": absent_word})
            continue
        scores, bad = {}, []
        for code in topic_codes & record.keys():
            if record[code] == "":
                continue
            try:
                scores[code] = _parse_score(record[code])
            except InvalidOperation:
                bad.append(code)
        if bad:
            errors.append(_("%(label)s: not a number for %(topics)s.") % {"label": label, "topics": ", ".join(bad)})
            continue
        rows.append(ResultRow(booking_id=booking_id, absent=absent_word in TRUE_WORDS, scores=scores, label=label))
    if errors:
        raise ValidationError(errors, code="rows")
    if not rows:
        raise ValidationError(_("The file has no result rows."))
    return results_record(session=session, rows=rows, actor=actor)
