import zoneinfo
from datetime import date, datetime, timedelta

from django.conf import settings
from django.contrib.postgres.expressions import ArraySubquery
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from applicants.models import time_zone_choices


class TestCentre(models.Model):
    """A place where exams are sat; its sessions are shown in its own time zone."""

    __test__ = False  # not a pytest test class, despite the name

    name = models.CharField(_("name"), max_length=150)
    city = models.CharField(_("city"), max_length=100)
    country = CountryField(_("country"))
    address = models.TextField(_("address"))
    time_zone = models.CharField(_("time zone"), max_length=64, choices=time_zone_choices)
    seats = models.PositiveSmallIntegerField(
        _("seats"), validators=[MinValueValidator(1)], help_text=_("Room capacity; new sessions get this many seats.")
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("test centre")
        verbose_name_plural = _("test centres")
        ordering = ["country", "city", "name"]
        constraints = [
            models.UniqueConstraint(fields=["name", "city", "country"], name="exams_testcentre_unique_name"),
            models.CheckConstraint(condition=Q(seats__gte=1), name="exams_testcentre_seats_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.name}, {self.city}"

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    def local_datetime(self, naive: datetime) -> datetime:
        """A wall-clock time at this centre as an aware datetime."""
        return timezone.make_aware(naive, self.zone)

    def clean(self) -> None:
        if self.pk and self.time_zone:
            saved = type(self).objects.filter(pk=self.pk).values_list("time_zone", flat=True).first()
            if saved and saved != self.time_zone and self.sessions.upcoming().exists():
                # Sessions are stored in UTC: a new zone would move every upcoming session's local time.
                raise ValidationError({"time_zone": _(
                    "This centre has upcoming sessions; their local times would shift. Change the zone "
                    "once they are over, or create a new centre.")})


def quarter_bounds(year: int, quarter: int) -> tuple[date, date]:
    first = date(year, 3 * quarter - 2, 1)
    after = date(year + (quarter == 4), 1 if quarter == 4 else 3 * quarter + 1, 1)
    return first, after - timedelta(days=1)


class ExamWindow(models.Model):
    """One quarter's exam period; sessions fall on its dates (local to their centre)."""

    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000)])
    quarter = models.PositiveSmallIntegerField(
        _("quarter"), validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    opens_on = models.DateField(_("first exam day"))
    closes_on = models.DateField(_("last exam day"))

    class Meta:
        verbose_name = _("exam window")
        verbose_name_plural = _("exam windows")
        ordering = ["year", "quarter"]
        constraints = [
            models.UniqueConstraint(fields=["year", "quarter"], name="exams_window_one_per_quarter"),
            models.CheckConstraint(condition=Q(quarter__gte=1, quarter__lte=4), name="exams_window_quarter_1_4"),
            models.CheckConstraint(condition=Q(opens_on__lte=F("closes_on")), name="exams_window_opens_before_close"),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return f"{self.year}-Q{self.quarter}"

    def clean(self) -> None:
        if self.year and self.quarter and self.opens_on and self.closes_on:
            first, last = quarter_bounds(self.year, self.quarter)
            if not (first <= self.opens_on <= self.closes_on <= last):
                raise ValidationError(
                    _("The window's days must lie within %(label)s (%(first)s to %(last)s), in order."),
                    params={"label": self.label, "first": first, "last": last},
                )


class ExamSessionQuerySet(models.QuerySet):
    def upcoming(self):
        return self.filter(starts_at__gt=timezone.now())

    def offering(self, level):
        return self.filter(levels=level)

    def for_listing(self):
        """What a list of sessions shows: centre, window and levels in a constant number of queries."""
        return self.select_related("centre", "window").prefetch_related("levels").order_by("starts_at", "pk")

    def with_level_ids(self):
        """Each session with its centre and window and the ids of its levels (``level_ids``) in one query,
        where a prefetch of the levels asks two."""
        level_ids = ExamSession.levels.through.objects.filter(examsession_id=OuterRef("pk")).values("level_id")
        return self.select_related("centre", "window").annotate(level_ids=ArraySubquery(level_ids))


class ExamSession(models.Model):
    """A sitting at one centre at one time, for one or more levels, with a fixed number of seats.

    ``seats_taken`` counts active bookings plus seats held for a waiting-list offer. It only moves
    through a conditional UPDATE (``WHERE seats_taken < capacity``) and the CHECK below backs it, so
    concurrent bookings can never overbook, whatever the number of requests.
    """

    window = models.ForeignKey(ExamWindow, verbose_name=_("exam window"), on_delete=models.PROTECT,
                               related_name="sessions")
    centre = models.ForeignKey(TestCentre, verbose_name=_("test centre"), on_delete=models.PROTECT,
                               related_name="sessions")
    starts_at = models.DateTimeField(_("starts at"), db_index=True)
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"), default=180, validators=[MinValueValidator(15), MaxValueValidator(600)]
    )
    levels = models.ManyToManyField("accreditation.Level", verbose_name=_("levels offered"), related_name="+")
    capacity = models.PositiveSmallIntegerField(_("seats"), validators=[MinValueValidator(1)])
    seats_taken = models.PositiveIntegerField(_("seats taken"), default=0, editable=False)

    objects = ExamSessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("exam session")
        verbose_name_plural = _("exam sessions")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["centre", "starts_at"], name="exams_session_unique_centre_start"),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="exams_session_capacity_positive"),
            models.CheckConstraint(
                condition=Q(seats_taken__gte=0, seats_taken__lte=F("capacity")),
                name="exams_session_seats_within_capacity",
            ),
        ]

    def __str__(self) -> str:
        local = timezone.localtime(self.starts_at, self.centre.zone)
        return f"{self.centre} · {local:%Y-%m-%d %H:%M} {local.tzname()}"

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.duration_minutes)

    @property
    def local_starts_at(self) -> datetime:
        return timezone.localtime(self.starts_at, self.centre.zone)

    @property
    def seats_left(self) -> int:
        return max(self.capacity - self.seats_taken, 0)

    @property
    def has_started(self) -> bool:
        return self.starts_at <= timezone.now()

    @property
    def change_deadline(self) -> datetime:
        """Until when a seat booked in this session can be cancelled or moved (``EXAM_CHANGE_DEADLINE_DAYS``)."""
        return self.starts_at - timedelta(days=settings.EXAM_CHANGE_DEADLINE_DAYS)

    @property
    def changes_open(self) -> bool:
        return timezone.now() < self.change_deadline

    def clean(self) -> None:
        errors = {}
        if self.window_id and self.centre_id and self.starts_at:
            local_day = self.local_starts_at.date()
            if not (self.window.opens_on <= local_day <= self.window.closes_on):
                errors["window"] = _("The session's day (%(day)s at the centre) is outside %(window)s.") % {
                    "day": local_day, "window": self.window}
        if self.pk and self.capacity is not None:
            taken = type(self).objects.filter(pk=self.pk).values_list("seats_taken", flat=True).first() or 0
            if self.capacity < taken:
                errors["capacity"] = _("%(taken)s seats are already taken; the capacity cannot go below that.") % {
                    "taken": taken}
        if errors:
            raise ValidationError(errors)
