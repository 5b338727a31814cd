from datetime import datetime
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from exams.models.centres import ExamSession, ExamWindow
from workflows.models import Workflow, WorkflowEvent


class BookingStatus(models.TextChoices):
    BOOKED = "booked", _("Booked")
    CANCELLED = "cancelled", _("Cancelled")
    ATTENDED = "attended", _("Attended")
    NO_SHOW = "no_show", _("No-show")


# A sitting that used one of the candidate's attempts (an active booking reserves one).
ATTEMPT_STATUSES = (BookingStatus.BOOKED, BookingStatus.ATTENDED, BookingStatus.NO_SHOW)


class FeeKind(models.TextChoices):
    EXAM = "exam", _("Exam fee")
    RETAKE = "exam_retake", _("Retake fee")


class BookingQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=BookingStatus.BOOKED)

    def for_listing(self):
        return self.select_related("session__centre", "session__window", "level", "result", "arrangement")

    def for_detail(self):
        """What the booking's page shows: ``for_listing`` without the window, which it does not show."""
        return self.select_related("session__centre", "level", "result", "arrangement")

    def for_candidate_list(self):
        """What the candidate's list of exams shows: the session, its centre, the level and the result; fewer
        joins than ``for_listing`` (no window, no arrangement), which costs more to build than to run."""
        return self.select_related("session__centre", "level", "result")


class Booking(Workflow):
    """A candidate's seat in a session for one level. Only exams.services changes its status."""

    # Rescheduling keeps a booking BOOKED (booked -> booked, with an event naming both sessions).
    TRANSITIONS: ClassVar[dict] = {
        BookingStatus.BOOKED: frozenset({BookingStatus.BOOKED, BookingStatus.CANCELLED, BookingStatus.ATTENDED,
                                         BookingStatus.NO_SHOW}),
        BookingStatus.CANCELLED: frozenset(),
        BookingStatus.ATTENDED: frozenset(),
        BookingStatus.NO_SHOW: frozenset(),
    }

    candidate = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("candidate"), on_delete=models.PROTECT,
                                  related_name="exam_bookings")
    session = models.ForeignKey(ExamSession, verbose_name=_("session"), on_delete=models.PROTECT,
                                related_name="bookings")
    # The session's window, kept here so the database can hold "one active booking per level per window".
    window = models.ForeignKey(ExamWindow, verbose_name=_("exam window"), on_delete=models.PROTECT,
                               related_name="+")
    level = models.ForeignKey("accreditation.Level", verbose_name=_("level"), on_delete=models.PROTECT,
                              related_name="+")
    status = models.CharField(_("status"), max_length=20, choices=BookingStatus.choices,
                              default=BookingStatus.BOOKED, db_index=True)
    attempt_number = models.PositiveSmallIntegerField(_("attempt"), default=1)
    fee_kind = models.CharField(_("fee"), max_length=20, choices=FeeKind.choices, default=FeeKind.EXAM)
    booked_at = models.DateTimeField(_("booked at"), default=timezone.now)
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    # The session the 7-day reminder went out for; a reschedule makes a new reminder due.
    reminded_session = models.ForeignKey(ExamSession, on_delete=models.SET_NULL, null=True, blank=True,
                                         related_name="+", editable=False)

    objects = BookingQuerySet.as_manager()

    class Meta:
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        ordering = ["-booked_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["candidate", "level", "window"], condition=Q(status=BookingStatus.BOOKED),
                name="exams_booking_one_active_per_level_window",
            ),
            models.CheckConstraint(condition=Q(attempt_number__gte=1), name="exams_booking_attempt_positive"),
        ]
        indexes = [
            models.Index(fields=["session", "status"], name="exams_booking_session_status"),
            # The committee's list, newest first, read a page at a time (scanned backwards).
            models.Index(fields=["booked_at", "id"], name="exams_booking_booked_at_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.candidate} · {self.level.code} · {self.session}"

    @property
    def invoice_reference(self) -> str:
        return f"booking:{self.pk}"

    @property
    def change_deadline(self) -> datetime:
        return self.session.change_deadline

    @property
    def can_change(self) -> bool:
        return self.status == BookingStatus.BOOKED and self.session.changes_open


class BookingEvent(WorkflowEvent):
    """An immutable line of a booking's history (the database refuses changes): who, when, which session."""

    booking = models.ForeignKey(Booking, verbose_name=_("booking"), on_delete=models.PROTECT,
                                related_name="events")
    from_status = models.CharField(_("from"), max_length=20, choices=BookingStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=20, choices=BookingStatus.choices)
    session = models.ForeignKey(ExamSession, verbose_name=_("session"), on_delete=models.PROTECT,
                                related_name="+")

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("booking event")
        verbose_name_plural = _("booking events")

    def __str__(self) -> str:
        return f"{self.from_status or '—'} → {self.to_status}"


class WaitlistStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    OFFERED = "offered", _("Seat offered")
    ACCEPTED = "accepted", _("Accepted")
    EXPIRED = "expired", _("Expired")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class WaitlistEntry(models.Model):
    """A place in a full session's queue; a freed seat is held for the first in line for a while."""

    session = models.ForeignKey(ExamSession, verbose_name=_("session"), on_delete=models.CASCADE,
                                related_name="waitlist")
    candidate = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("candidate"), on_delete=models.CASCADE,
                                  related_name="exam_waitlist_entries")
    level = models.ForeignKey("accreditation.Level", verbose_name=_("level"), on_delete=models.PROTECT,
                              related_name="+")
    status = models.CharField(_("status"), max_length=20, choices=WaitlistStatus.choices,
                              default=WaitlistStatus.WAITING, db_index=True)
    created_at = models.DateTimeField(_("joined at"), default=timezone.now)
    offered_at = models.DateTimeField(_("offered at"), null=True, blank=True)
    offer_expires_at = models.DateTimeField(_("offer expires at"), null=True, blank=True)
    booking = models.OneToOneField(Booking, verbose_name=_("booking"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="waitlist_entry")

    class Meta:
        verbose_name = _("waiting-list entry")
        verbose_name_plural = _("waiting-list entries")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "candidate"],
                condition=Q(status__in=[WaitlistStatus.WAITING, WaitlistStatus.OFFERED]),
                name="exams_waitlist_one_open_entry",
            ),
        ]
        indexes = [models.Index(fields=["session", "status", "created_at"], name="exams_waitlist_queue")]

    def __str__(self) -> str:
        return f"{self.candidate} · {self.session}"

    @property
    def offer_open(self) -> bool:
        return self.status == WaitlistStatus.OFFERED and timezone.now() < self.offer_expires_at


class ArrangementStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    APPROVED = "approved", _("Approved")
    DECLINED = "declined", _("Declined")


class SpecialArrangement(models.Model):
    """A candidate's request for accessibility arrangements at their sitting, decided by staff."""

    booking = models.OneToOneField(Booking, verbose_name=_("booking"), on_delete=models.CASCADE,
                                   related_name="arrangement")
    needs = models.TextField(_("what you need"))
    status = models.CharField(_("status"), max_length=20, choices=ArrangementStatus.choices,
                              default=ArrangementStatus.REQUESTED, db_index=True)
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("decided by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    decision_note = models.TextField(_("note to the candidate"), blank=True)

    class Meta:
        verbose_name = _("special arrangement request")
        verbose_name_plural = _("special arrangement requests")
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"{self.booking.candidate} · {self.get_status_display()}"
