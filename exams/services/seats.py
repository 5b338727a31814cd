"""Seats of a session: taken by a conditional UPDATE, given back to the waiting list first."""

from datetime import timedelta

from django.conf import settings
from django.db import connection
from django.db.models import F
from django.utils import timezone

from exams.models import ExamSession, WaitlistEntry, WaitlistStatus
from exams.services import mail


def candidate_lock(candidate_id: int) -> None:
    """Serialize one candidate's booking changes (attempt counting) for the rest of the transaction.

    Taken before any session row, so the lock order is always candidate, then sessions by id.
    """
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext('exams.candidate'), %s)", [candidate_id])


def sessions_lock(*session_ids: int) -> None:
    """Lock several sessions' rows in id order, so two transactions never wait on each other in a circle."""
    list(ExamSession.objects.select_for_update().filter(pk__in=session_ids).order_by("pk").values_list("pk"))


def seat_take(*, session_id: int) -> bool:
    """Take one seat if one is left; False when the session is full (or has started).

    One statement: PostgreSQL re-checks ``seats_taken < capacity`` on the row it locks, so however
    many transactions race here, at most ``capacity`` of them get a seat.
    """
    return ExamSession.objects.filter(
        pk=session_id, seats_taken__lt=F("capacity"), starts_at__gt=timezone.now()
    ).update(seats_taken=F("seats_taken") + 1) == 1


def seat_release(*, session_id: int) -> WaitlistEntry | None:
    """A seat came free: hold it for the first person waiting (returned), else give it back."""
    # Only the waiting row is locked (of=self): skip_locked over the joined session, centre, person and level
    # would pass over a waiting person whenever a booking holds the session's row, and give the seat away.
    entry = (
        WaitlistEntry.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(session_id=session_id, status=WaitlistStatus.WAITING, session__starts_at__gt=timezone.now())
        .select_related("session__centre", "candidate", "level")
        .order_by("created_at", "pk")
        .first()
    )
    if entry is not None:
        waitlist_offer(entry=entry)
        return entry
    ExamSession.objects.filter(pk=session_id, seats_taken__gt=0).update(seats_taken=F("seats_taken") - 1)
    return None


def waitlist_offer(*, entry: WaitlistEntry) -> WaitlistEntry:
    """Hold a seat (already counted in seats_taken) for this entry for a limited time and tell them."""
    now = timezone.now()
    entry.status = WaitlistStatus.OFFERED
    entry.offered_at = now
    entry.offer_expires_at = min(now + timedelta(hours=settings.EXAM_WAITLIST_OFFER_HOURS), entry.session.starts_at)
    entry.save(update_fields=["status", "offered_at", "offer_expires_at"])
    mail.waitlist_offered(entry)
    return entry
