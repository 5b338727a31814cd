"""Booking a seat and everything that changes a booking afterwards; only these functions set its status."""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from accreditation.services import application_lapse
from applicants.dashboard import pages_changed
from exams import eligibility
from exams.models import (
    ArrangementStatus,
    Booking,
    BookingEvent,
    BookingStatus,
    ExamSession,
    SpecialArrangement,
)
from exams.services import fees, mail
from exams.services.seats import candidate_lock, seat_release, seat_take, sessions_lock
from notifications.services import outbox_enqueue_many
from workflows.conflicts import decision_conflict_check
from workflows.services import event_record, transition

logger = logging.getLogger(__name__)

ONE_ACTIVE_BOOKING = "exams_booking_one_active_per_level_window"


def _refuse(message: str, code: str) -> None:
    raise ValidationError(message, code=code)


def booking_move(booking: Booking, to: str, *, actor, note: str = "") -> BookingEvent:
    """Move a (locked) booking along its transitions table; the event names the session it is on."""
    fields = []
    if to == BookingStatus.CANCELLED:
        booking.check_transition(to)
        booking.cancelled_at = timezone.now()
        fields.append("cancelled_at")
    return transition(booking, to, actor=actor, note=note, update_fields=fields, session_id=booking.session_id)


def _locked(booking_id: int) -> Booking:
    return Booking.objects.select_for_update(of=("self",)).select_related(
        "session__centre", "session__window", "level", "candidate").get(pk=booking_id)


def _no_active_booking_in_window(*, candidate, level, window, exclude_id=None) -> None:
    others = Booking.objects.active().filter(candidate=candidate, level=level, window=window)
    if exclude_id:
        others = others.exclude(pk=exclude_id)
    if others.exists():
        _refuse(_("You already have a booking for the %(level)s exam in %(window)s; reschedule that one instead.")
                % {"level": level.name, "window": window}, "one_per_window")


def _session_bookable(session: ExamSession, level) -> None:
    if session.has_started:
        _refuse(_("This session has already started."), "started")
    offered = getattr(session, "level_ids", None)  # read with the session by bookable_sessions()
    if not (level.pk in offered if offered is not None else session.levels.filter(pk=level.pk).exists()):
        _refuse(_("This session does not offer the %(level)s exam.") % {"level": level.name}, "level_not_offered")


def new_sitting_check(*, candidate, session: ExamSession, level) -> tuple[ExamSession, eligibility.Eligibility]:
    """Under the candidate's lock: may they take (or queue for) a seat in this session for this level?"""
    candidate_lock(candidate.pk)
    # Read again under the lock, with its levels' ids: the session may have begun or filled meanwhile.
    session = ExamSession.objects.with_level_ids().get(pk=session.pk)
    _session_bookable(session, level)
    decision = eligibility.exam_eligibility(user=candidate, level=level)
    decision.check_new_attempt()
    decision.check_session(session)
    _no_active_booking_in_window(candidate=candidate, level=level, window=session.window)
    return session, decision


@transaction.atomic
def booking_create(*, candidate, session: ExamSession, level, actor=None, needs: str = "",
                   seat_held: bool = False) -> Booking:
    """Book one seat in ``session`` for ``level``; raises ValidationError ("No seats left ...") when full.

    ``seat_held`` is for a waiting-list offer, whose seat is already counted in ``seats_taken``.
    The seat is taken after the cheap rows and before the mail and the invoice: the conditional
    UPDATE locks the session's row until commit, so the rows are written first to keep that wait
    short, but the mail (its calendar file) and the invoice, the costly part, are left to the
    requests that got a seat; under a rush most requests lose the race, and they no longer render
    mail only to roll it back. One that sees the session full already is refused before any work.
    """
    actor = actor or candidate
    if not seat_held and session.seats_left == 0:  # known full already: refused before the eligibility queries
        _refuse(_("No seats left in this session."), "full")
    session, decision = new_sitting_check(candidate=candidate, session=session, level=level)
    if not seat_held and session.seats_left == 0:
        _refuse(_("No seats left in this session."), "full")
    try:
        with transaction.atomic():
            booking = Booking.objects.create(
                candidate=candidate, session=session, window=session.window, level=level,
                attempt_number=decision.next_attempt, fee_kind=decision.fee_kind,
            )
    except IntegrityError as exc:
        # A simultaneous request of the same candidate won the partial unique index.
        if ONE_ACTIVE_BOOKING in str(exc):
            _refuse(_("You already have a booking for the %(level)s exam in %(window)s.")
                    % {"level": level.name, "window": session.window}, "one_per_window")
        raise
    event_record(booking, actor=actor, from_status="", session=session,
                 note=_("Attempt %(number)s.") % {"number": booking.attempt_number})
    if needs.strip():
        SpecialArrangement.objects.create(booking=booking, needs=needs.strip())
    if not seat_held and not seat_take(session_id=session.pk):
        _refuse(_("No seats left in this session."), "full")
    mail.booking_confirmed(booking)
    # After the seat, so a request that loses the race does not use up an invoice number.
    fees.booking_invoice_raise(booking=booking, actor=actor)
    return booking


def _deadline_passed(booking: Booking, action: str) -> None:
    if timezone.now() >= booking.change_deadline:
        _refuse(_("%(action)s closed on %(deadline)s, %(days)s days before the session.") % {
            "action": action,
            "deadline": formats.date_format(timezone.localtime(booking.change_deadline), "DATETIME_FORMAT"),
            "days": (booking.session.starts_at - booking.change_deadline).days,
        }, "deadline")


def _invitation_sequence(booking: Booking) -> int:
    return booking.events.filter(from_status=BookingStatus.BOOKED, to_status=BookingStatus.BOOKED).count() + 1


@transaction.atomic
def booking_cancel(*, booking: Booking, actor, reason: str = "") -> Booking:
    """The candidate gives the seat back, before the deadline; the fee is refunded (or voided)."""
    candidate_lock(booking.candidate_id)
    booking = _locked(booking.pk)
    if booking.status != BookingStatus.BOOKED:
        _refuse(_("Only a booked seat can be cancelled."), "invalid_transition")
    _deadline_passed(booking, _("Cancellation"))
    booking_move(booking, BookingStatus.CANCELLED, actor=actor, note=reason)
    seat_release(session_id=booking.session_id)
    fees.booking_invoice_settle_cancelled(booking=booking, actor=actor, reason=reason or "cancelled by candidate")
    mail.booking_cancelled(booking, sequence=_invitation_sequence(booking))
    return booking


@transaction.atomic
def booking_reschedule(*, booking: Booking, to_session: ExamSession, actor) -> Booking:
    """Move a booking to another session offering its level, before the deadline of the current one."""
    candidate_lock(booking.candidate_id)
    booking = _locked(booking.pk)
    if booking.status != BookingStatus.BOOKED:
        _refuse(_("Only a booked seat can be rescheduled."), "invalid_transition")
    _deadline_passed(booking, _("Rescheduling"))
    if to_session.pk == booking.session_id:
        _refuse(_("That is the session you are booked on already."), "same_session")
    to_session = ExamSession.objects.select_related("centre", "window").get(pk=to_session.pk)
    _session_bookable(to_session, booking.level)
    eligibility.exam_eligibility(user=booking.candidate, level=booking.level).check_session(to_session)
    if to_session.window_id != booking.window_id:
        _no_active_booking_in_window(candidate=booking.candidate, level=booking.level, window=to_session.window,
                                     exclude_id=booking.pk)
    old_session = booking.session
    sessions_lock(old_session.pk, to_session.pk)
    if not seat_take(session_id=to_session.pk):
        _refuse(_("No seats left in that session."), "full")
    booking.session, booking.window = to_session, to_session.window
    booking.save(update_fields=["session", "window"])
    event = booking_move(booking, BookingStatus.BOOKED, actor=actor,
                         note=_("Rescheduled from %(old)s to %(new)s.") % {"old": old_session, "new": to_session})
    seat_release(session_id=old_session.pk)
    mail.booking_rescheduled(booking, event_id=event.pk, sequence=_invitation_sequence(booking) - 1)
    return booking


def bookings_release_unpaid(*, now=None) -> int:
    """The periodic job: free the seats of bookings whose exam fee is still unpaid after
    PAYMENTS_EXAM_UNPAID_RELEASE_HOURS; each invoice is voided through payments. Returns how many.

    Safe to run twice or concurrently (see ``booking_release_unpaid``); one booking that cannot be
    released is logged and does not stop the others.
    """
    cutoff = (now or timezone.now()) - timedelta(hours=settings.PAYMENTS_EXAM_UNPAID_RELEASE_HOURS)
    due = list(Booking.objects.active().filter(paid_at__isnull=True, booked_at__lte=cutoff)
               .order_by("booked_at", "pk").values_list("pk", flat=True))
    released = 0
    for booking_id in due:
        try:
            released += booking_release_unpaid(booking_id=booking_id)
        except Exception:
            logger.exception("Releasing unpaid exam booking %s failed; it stays booked", booking_id)
    return released


@transaction.atomic
def booking_release_unpaid(*, booking_id: int) -> bool:
    """Void the open fee invoice of a booked, unpaid seat and free the seat, in one transaction.

    Exactly once: under the booking's row lock a second call (or a concurrent beat) finds it
    cancelled. A booking whose invoice is paid (the payment's signal not yet applied), or that has
    no open invoice, keeps its seat. A payment arriving after the release is flagged by payments.
    """
    booking = (
        Booking.objects.select_for_update(of=("self",))
        .select_related("session__centre", "level", "candidate")
        .filter(pk=booking_id, status=BookingStatus.BOOKED, paid_at__isnull=True)
        .first()
    )
    if booking is None:
        return False
    if not fees.booking_invoice_void_unpaid(booking=booking):
        return False
    booking_move(booking, BookingStatus.CANCELLED, actor=None, note=_("Released: the exam fee was not paid in time."))
    seat_release(session_id=booking.session_id)
    mail.booking_released(booking, sequence=_invitation_sequence(booking))
    return True


def booking_mark_paid(*, booking_id: int) -> bool:
    """Record that the booking's fee is paid (from payments' invoice_paid signal); True the first time."""
    booking = Booking.objects.filter(pk=booking_id, paid_at__isnull=True)
    if booking.update(paid_at=timezone.now()) != 1:
        return False
    pages_changed(Booking.objects.filter(pk=booking_id).values_list("candidate_id", flat=True))
    return True


@transaction.atomic
def booking_attendance_set(*, booking: Booking, attended: bool, actor) -> Booking:
    """Staff record whether the candidate sat the exam (after the session has started)."""
    booking = _locked(booking.pk)
    decision_conflict_check(decider=actor, person=booking.candidate)
    if not booking.session.has_started:
        _refuse(_("Attendance can be recorded once the session has started."), "not_started")
    booking_move(booking, BookingStatus.ATTENDED if attended else BookingStatus.NO_SHOW, actor=actor)
    if not attended:
        lapse_if_exhausted(candidate=booking.candidate, level=booking.level)
    return booking


def lapse_if_exhausted(*, candidate, level) -> None:
    """After a failed or missed sitting: lapse the application once no attempt is left (after commit)."""
    decision = eligibility.exam_eligibility(user=candidate, level=level)
    if decision.application is None or decision.passed:
        return
    if Booking.objects.active().filter(candidate=candidate, level=level).exists():
        return
    if decision.attempts_used >= settings.EXAM_ATTEMPT_LIMIT:
        application_id = decision.application.pk
        reason = _("All %(limit)s exam attempts were used without a pass.") % {"limit": settings.EXAM_ATTEMPT_LIMIT}
        transaction.on_commit(lambda: application_lapse(application_id=application_id, actor=None, reason=reason))


@transaction.atomic
def arrangement_request(*, booking: Booking, needs: str, actor) -> SpecialArrangement:
    """Ask for special arrangements (accessibility) for a sitting; staff decide before the session."""
    booking = _locked(booking.pk)
    if booking.status != BookingStatus.BOOKED:
        _refuse(_("Arrangements can only be requested for a booked seat."), "invalid_transition")
    _deadline_passed(booking, _("Requests for special arrangements"))
    if not needs.strip():
        _refuse(_("Describe what you need."), "required")
    arrangement, created = SpecialArrangement.objects.select_for_update().get_or_create(
        booking=booking, defaults={"needs": needs.strip()})
    if not created:
        if arrangement.status != ArrangementStatus.REQUESTED:
            _refuse(_("Your request has already been decided; write to the committee to change it."), "decided")
        arrangement.needs = needs.strip()
        arrangement.save(update_fields=["needs"])
    return arrangement


@transaction.atomic
def arrangement_decide(*, arrangement: SpecialArrangement, approve: bool, actor, note: str = "") -> SpecialArrangement:
    """Staff approve or decline a request, before the session starts; the candidate is told."""
    arrangement = SpecialArrangement.objects.select_for_update(of=("self",)).select_related(
        "booking__session__centre", "booking__level", "booking__candidate").get(pk=arrangement.pk)
    decision_conflict_check(decider=actor, person=arrangement.booking.candidate)
    if arrangement.status != ArrangementStatus.REQUESTED:
        _refuse(_("This request has already been decided."), "decided")
    if arrangement.booking.session.has_started:
        _refuse(_("The session has started; arrangements must be decided before it."), "started")
    arrangement.status = ArrangementStatus.APPROVED if approve else ArrangementStatus.DECLINED
    arrangement.decided_at = timezone.now()
    arrangement.decided_by = actor
    arrangement.decision_note = note
    arrangement.save(update_fields=["status", "decided_at", "decided_by", "decision_note"])
    mail.arrangement_decided(arrangement)
    return arrangement


def booking_reminders_send(*, now=None, batch_size: int = 500) -> int:
    """Queue the reminder for every booked seat whose session starts within EXAM_REMINDER_DAYS.

    Safe to run twice or concurrently: the outbox key (booking, session) is unique, so a reminder is
    queued once; ``reminded_session`` only spares later runs the work.
    """
    now = now or timezone.now()
    due = (
        Booking.objects.active()
        .filter(session__starts_at__gt=now,
                session__starts_at__lte=now + timedelta(days=settings.EXAM_REMINDER_DAYS))
        .exclude(reminded_session=F("session"))
        .select_related("session__centre", "level", "candidate")
        .order_by("pk")
    )
    queued = 0
    last_pk = 0
    while batch := list(due.filter(pk__gt=last_pk)[:batch_size]):
        last_pk = batch[-1].pk
        with transaction.atomic():
            # One insert into the outbox and one update per batch, however many reminders it holds.
            outbox_enqueue_many(mail.booking_reminder(booking) for booking in batch)
            reminded = Q()
            for booking in batch:  # only where the seat is still in the session it was reminded of
                reminded |= Q(pk=booking.pk, session_id=booking.session_id)
            Booking.objects.filter(reminded).update(reminded_session=F("session"))
        queued += len(batch)
    return queued
