"""The waiting list of a full session: join, leave, accept an offered seat, and the periodic sweep."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from applicants.dashboard import pages_changed
from exams.models import Booking, ExamSession, WaitlistEntry, WaitlistStatus
from exams.services.bookings import booking_create, new_sitting_check
from exams.services.seats import candidate_lock, seat_release, seat_take, waitlist_offer


@transaction.atomic
def waitlist_join(*, session: ExamSession, candidate, level) -> WaitlistEntry:
    """Queue for a seat in a full session; the first in line is offered the next seat that comes free."""
    session, _decision = new_sitting_check(candidate=candidate, session=session, level=level)
    if session.seats_left > 0:
        raise ValidationError(_("This session still has seats; book one instead."), code="not_full")
    try:
        with transaction.atomic():
            return WaitlistEntry.objects.create(session=session, candidate=candidate, level=level)
    except IntegrityError:
        raise ValidationError(_("You are already on this session's waiting list."), code="duplicate") from None


def _locked_entry(entry_id: int) -> WaitlistEntry:
    return WaitlistEntry.objects.select_for_update(of=("self",)).select_related(
        "session__centre", "level", "candidate").get(pk=entry_id)


@transaction.atomic
def waitlist_leave(*, entry: WaitlistEntry, actor) -> WaitlistEntry:
    """Leave the queue; a seat held for this entry passes to the next in line."""
    entry = _locked_entry(entry.pk)
    if entry.status not in (WaitlistStatus.WAITING, WaitlistStatus.OFFERED):
        raise ValidationError(_("You are no longer on this waiting list."), code="closed")
    held = entry.status == WaitlistStatus.OFFERED
    entry.status = WaitlistStatus.WITHDRAWN
    entry.save(update_fields=["status"])
    if held:
        seat_release(session_id=entry.session_id)
    return entry


@transaction.atomic
def waitlist_offer_accept(*, entry: WaitlistEntry, actor) -> Booking:
    """Turn the seat held for this entry into a booking, while the offer is open."""
    candidate_lock(entry.candidate_id)
    entry = _locked_entry(entry.pk)
    if not entry.offer_open:
        raise ValidationError(_("This offer is no longer open."), code="expired")
    booking = booking_create(candidate=entry.candidate, session=entry.session, level=entry.level, actor=actor,
                             seat_held=True)
    entry.status = WaitlistStatus.ACCEPTED
    entry.booking = booking
    entry.save(update_fields=["status", "booking"])
    return booking


def waitlist_offers_process(*, now=None) -> dict[str, int]:
    """The periodic job: expire lapsed offers (their seat goes to the next in line, or back) and offer
    free seats of sessions that have a queue. Each step re-checks under a row lock, so running it
    twice, or two at once, changes nothing more than running it once."""
    now = now or timezone.now()
    expired = 0
    lapsed_ids = list(WaitlistEntry.objects.filter(status=WaitlistStatus.OFFERED, offer_expires_at__lte=now)
                      .order_by("offer_expires_at", "pk").values_list("pk", flat=True))
    for entry_id in lapsed_ids:
        with transaction.atomic():
            entry = (WaitlistEntry.objects.select_for_update(skip_locked=True)
                     .filter(pk=entry_id, status=WaitlistStatus.OFFERED, offer_expires_at__lte=now).first())
            if entry is None:
                continue
            entry.status = WaitlistStatus.EXPIRED
            entry.save(update_fields=["status"])
            seat_release(session_id=entry.session_id)
            expired += 1
    passed = WaitlistEntry.objects.filter(status=WaitlistStatus.WAITING, session__starts_at__lte=now)
    people = list(passed.values_list("candidate_id", flat=True))
    expired += passed.update(status=WaitlistStatus.EXPIRED)
    pages_changed(people)  # an UPDATE sends no signal

    offered = 0
    session_ids = (ExamSession.objects.filter(starts_at__gt=now, seats_taken__lt=F("capacity"),
                                              waitlist__status=WaitlistStatus.WAITING)
                   .distinct().order_by("pk").values_list("pk", flat=True))
    for session_id in list(session_ids):
        while True:
            with transaction.atomic():
                entry = (WaitlistEntry.objects.select_for_update(skip_locked=True, of=("self",))
                         .filter(session_id=session_id, status=WaitlistStatus.WAITING)
                         .select_related("session__centre", "candidate", "level").order_by("created_at", "pk").first())
                if entry is None or not seat_take(session_id=session_id):
                    break
                waitlist_offer(entry=entry)
                offered += 1
    return {"expired": expired, "offered": offered}
