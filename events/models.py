"""Webinars, the conference and workshops; who registered, who attended, and the PDUs that earned."""

import datetime
import uuid
import zoneinfo
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applicants.models import time_zone_choices
from documents.storage import private_storage, private_upload_to
from workflows.models import Workflow, WorkflowEvent


class EventKind(models.TextChoices):
    WEBINAR = "webinar", _("Webinar")
    CONFERENCE = "conference", _("Conference")
    WORKSHOP = "workshop", _("Workshop")


class EventFormat(models.TextChoices):
    ONLINE = "online", _("Online")
    IN_PERSON = "in_person", _("In person")
    HYBRID = "hybrid", _("Hybrid (in person and online)")


class EventStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    CANCELLED = "cancelled", _("Cancelled")
    FINISHED = "finished", _("Finished")


ES = EventStatus
EVENT_TRANSITIONS = {
    ES.DRAFT: frozenset({ES.PUBLISHED, ES.CANCELLED}),
    ES.PUBLISHED: frozenset({ES.CANCELLED, ES.FINISHED}),
    ES.CANCELLED: frozenset(),
    ES.FINISHED: frozenset(),
}


class Series(models.Model):
    """A recurring webinar series; staff create its next twelve monthly events in one admin action."""

    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    local_start_time = models.TimeField(_("start time (series time zone)"))
    time_zone = models.CharField(_("time zone"), max_length=64, choices=time_zone_choices, default="UTC")
    weekday = models.PositiveSmallIntegerField(
        _("weekday"), choices=[(0, _("Monday")), (1, _("Tuesday")), (2, _("Wednesday")), (3, _("Thursday")),
                               (4, _("Friday")), (5, _("Saturday")), (6, _("Sunday"))],
    )
    week_of_month = models.PositiveSmallIntegerField(
        _("week of the month"), choices=[(1, _("first")), (2, _("second")), (3, _("third")), (4, _("fourth"))],
        help_text=_("For example: the second Thursday of every month."),
    )
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), default=60,
                                                        validators=[MinValueValidator(15)])
    capacity = models.PositiveIntegerField(_("places"), null=True, blank=True, help_text=_("Empty: unlimited."))
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES, default="en")
    pdu_value = models.DecimalField(_("PDUs for attending"), max_digits=4, decimal_places=1, default=Decimal("1.0"))
    member_price = models.DecimalField(_("member price (USD)"), max_digits=8, decimal_places=2, default=Decimal("0"))
    non_member_price = models.DecimalField(_("non-member price (USD)"), max_digits=8, decimal_places=2,
                                           default=Decimal("0"))

    class Meta:
        verbose_name = _("webinar series")
        verbose_name_plural = _("webinar series")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class EventQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status__in=[EventStatus.PUBLISHED, EventStatus.FINISHED])

    def for_listing(self):
        return self.select_related("series").prefetch_related("topics", "speakers")


class Event(Workflow):
    """One webinar, conference or workshop. Times are stored in UTC; ``time_zone`` is the venue's."""

    series = models.ForeignKey(Series, verbose_name=_("series"), null=True, blank=True, on_delete=models.PROTECT,
                               related_name="events")
    kind = models.CharField(_("kind"), max_length=12, choices=EventKind.choices, db_index=True)
    format = models.CharField(_("format"), max_length=12, choices=EventFormat.choices, default=EventFormat.ONLINE)
    slug = models.SlugField(_("address"), max_length=120, unique=True)
    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    starts_at = models.DateTimeField(_("starts at"), db_index=True)
    ends_at = models.DateTimeField(_("ends at"))
    time_zone = models.CharField(_("venue time zone"), max_length=64, choices=time_zone_choices, default="UTC")
    venue = models.CharField(_("venue"), max_length=300, blank=True, help_text=_("Empty for online events."))
    capacity = models.PositiveIntegerField(_("places"), null=True, blank=True, help_text=_("Empty: unlimited."))
    places_taken = models.PositiveIntegerField(_("places taken"), default=0, editable=False)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES, default="en")
    pdu_value = models.DecimalField(_("PDUs for attending"), max_digits=4, decimal_places=1, default=Decimal("0"),
                                    validators=[MinValueValidator(Decimal("0"))])
    speakers = models.ManyToManyField("content.Expert", verbose_name=_("speakers"), blank=True,
                                      related_name="events")
    topics = models.ManyToManyField("exams.Topic", verbose_name=_("topics"), blank=True, related_name="+")
    registration_opens_at = models.DateTimeField(_("registration opens"), null=True, blank=True)
    registration_closes_at = models.DateTimeField(_("registration closes"), null=True, blank=True,
                                                  help_text=_("Empty: when the event starts."))
    join_url = models.URLField(_("join link"), blank=True,
                               help_text=_("Shown only to registrants, from 30 minutes before the start."))
    recording_url = models.URLField(_("recording link"), blank=True)
    slides = models.FileField(_("slides"), storage=private_storage, upload_to=private_upload_to("event-slides"),
                              blank=True)
    status = models.CharField(_("status"), max_length=12, choices=EventStatus.choices, default=EventStatus.DRAFT,
                              db_index=True)

    TRANSITIONS = EVENT_TRANSITIONS
    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="events_event_ends_after_start"),
            # The conditional UPDATE in ``place_take`` keeps this; the CHECK is the database's last word.
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(places_taken__lte=F("capacity")),
                name="events_event_places_within_capacity",
            ),
            models.UniqueConstraint(fields=["series", "starts_at"], name="events_event_one_per_series_start"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.starts_at:%Y-%m-%d})"

    def clean(self) -> None:
        errors = {}
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = _("The event must end after it starts.")
        if self.format != EventFormat.ONLINE and not self.venue:
            errors["venue"] = _("Give the venue of an event held in person.")
        if self.pk and self.capacity is not None:
            taken = type(self).objects.filter(pk=self.pk).values_list("places_taken", flat=True).first() or 0
            if self.capacity < taken:
                errors["capacity"] = _("%(taken)s places are already taken; the capacity cannot go below that.") % {
                    "taken": taken}
        if errors:
            raise ValidationError(errors)

    @property
    def is_online(self) -> bool:
        return self.format == EventFormat.ONLINE

    @property
    def places_left(self) -> int | None:
        """Places still free, or None when the event is unlimited."""
        if self.capacity is None:
            return None
        return max(self.capacity - self.places_taken, 0)

    @property
    def duration_minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)

    @property
    def venue_zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    def registration_open(self, now: datetime.datetime | None = None) -> bool:
        now = now or timezone.now()
        closes = self.registration_closes_at or self.starts_at
        return (self.status == EventStatus.PUBLISHED and (self.registration_opens_at is None
                or self.registration_opens_at <= now) and now < closes)

    @property
    def has_materials(self) -> bool:
        return bool(self.recording_url or self.slides)


class EventEvent(WorkflowEvent):
    event = models.ForeignKey(Event, verbose_name=_("event"), on_delete=models.PROTECT, related_name="events")

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("event history line")
        verbose_name_plural = _("event history")


class Audience(models.TextChoices):
    MEMBER = "member", _("Members")
    NON_MEMBER = "non_member", _("Non-members")


class EventPrice(models.Model):
    """The price for one audience, in effect from its date until a later row for the same event and audience."""

    event = models.ForeignKey(Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="prices")
    audience = models.CharField(_("audience"), max_length=12, choices=Audience.choices)
    amount = models.DecimalField(_("price (USD)"), max_digits=8, decimal_places=2,
                                 validators=[MinValueValidator(Decimal("0"))], help_text=_("0 for free."))
    early_bird_amount = models.DecimalField(_("early-bird price (USD)"), max_digits=8, decimal_places=2, null=True,
                                            blank=True, validators=[MinValueValidator(Decimal("0"))])
    early_bird_until = models.DateField(_("early bird until (inclusive)"), null=True, blank=True)
    effective_from = models.DateField(_("in effect from"), default=datetime.date(2000, 1, 1))

    class Meta:
        verbose_name = _("price")
        verbose_name_plural = _("prices")
        ordering = ["event", "audience", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["event", "audience", "effective_from"], name="events_price_one_per_date"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="events_price_not_negative"),
            models.CheckConstraint(
                condition=Q(early_bird_amount__isnull=True, early_bird_until__isnull=True)
                | Q(early_bird_amount__isnull=False, early_bird_until__isnull=False, early_bird_amount__gte=0),
                name="events_price_early_bird_complete",
            ),
        ]

    def __str__(self) -> str:
        return str(_("%(audience)s: USD %(amount)s from %(date)s") % {
            "audience": self.get_audience_display(), "amount": self.amount, "date": self.effective_from})

    def amount_on(self, day: datetime.date) -> Decimal:
        if self.early_bird_until is not None and day <= self.early_bird_until:
            return self.early_bird_amount
        return self.amount


class ProgrammeItem(models.Model):
    """One session of a conference's programme, in a room and a track."""

    event = models.ForeignKey(Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="programme")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    room = models.CharField(_("room"), max_length=100, blank=True)
    track = models.CharField(_("track"), max_length=100, blank=True)
    speakers = models.ManyToManyField("content.Expert", verbose_name=_("speakers"), blank=True, related_name="+")

    class Meta:
        verbose_name = _("programme session")
        verbose_name_plural = _("programme")
        ordering = ["starts_at", "room", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="events_programme_ends_after_start"),
        ]

    def __str__(self) -> str:
        return self.title


class RegistrationStatus(models.TextChoices):
    WAITLISTED = "waitlisted", _("On the waiting list")
    OFFERED = "offered", _("Place offered")
    PENDING_PAYMENT = "pending_payment", _("Awaiting payment")
    CONFIRMED = "confirmed", _("Confirmed")
    CANCELLED = "cancelled", _("Cancelled")
    RELEASED = "released", _("Released (unpaid)")
    EXPIRED = "expired", _("Offer expired")


RS = RegistrationStatus
REGISTRATION_TRANSITIONS = {
    "": frozenset({RS.WAITLISTED, RS.PENDING_PAYMENT, RS.CONFIRMED}),
    RS.WAITLISTED: frozenset({RS.OFFERED, RS.CANCELLED}),
    RS.OFFERED: frozenset({RS.PENDING_PAYMENT, RS.CONFIRMED, RS.EXPIRED, RS.CANCELLED}),
    RS.PENDING_PAYMENT: frozenset({RS.CONFIRMED, RS.RELEASED, RS.CANCELLED}),
    RS.CONFIRMED: frozenset({RS.CANCELLED}),
    RS.CANCELLED: frozenset(),
    RS.RELEASED: frozenset(),
    RS.EXPIRED: frozenset(),
}
# Statuses that hold a place (counted in Event.places_taken).
HOLDS_PLACE = (RS.OFFERED, RS.PENDING_PAYMENT, RS.CONFIRMED)
# Statuses of a person's one live registration per event.
LIVE = (RS.WAITLISTED, *HOLDS_PLACE)


class Registration(Workflow):
    """A person's place (or place in line) at an event, and whether they attended."""

    event = models.ForeignKey(Event, verbose_name=_("event"), on_delete=models.PROTECT, related_name="registrations")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.PROTECT,
                               related_name="event_registrations")
    status = models.CharField(_("status"), max_length=16, choices=RegistrationStatus.choices, db_index=True)
    price = models.DecimalField(_("price (USD)"), max_digits=8, decimal_places=2, default=Decimal("0"))
    member_pricing = models.BooleanField(_("member price"), default=False)
    created_at = models.DateTimeField(_("registered at"), default=timezone.now, db_index=True)
    held_at = models.DateTimeField(_("place held since"), null=True, blank=True,
                                   help_text=_("When a priced place started waiting for its payment."))
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    offer_expires_at = models.DateTimeField(_("offer expires at"), null=True, blank=True)
    minutes_attended = models.PositiveIntegerField(_("minutes attended"), null=True, blank=True)
    attended = models.BooleanField(_("attended"), null=True, blank=True,
                                   help_text=_("Empty until staff record attendance."))
    certificate_code = models.UUIDField(_("attendance certificate code"), default=uuid.uuid4, unique=True,
                                        editable=False)

    TRANSITIONS = REGISTRATION_TRANSITIONS

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["event", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["event", "person"], condition=Q(status__in=LIVE),
                                    name="events_registration_one_live_per_person"),
            models.CheckConstraint(condition=Q(status__in=[s.value for s in RegistrationStatus]),
                                   name="events_registration_status_valid"),
        ]
        indexes = [models.Index(fields=["event", "status", "created_at"], name="events_reg_event_status_idx")]

    def __str__(self) -> str:
        return f"{self.person} — {self.event.title}"

    @property
    def invoice_reference(self) -> str:
        return f"event-registration:{self.pk}"

    @property
    def is_live(self) -> bool:
        return self.status in LIVE

    @property
    def holds_place(self) -> bool:
        return self.status in HOLDS_PLACE


class RegistrationEvent(WorkflowEvent):
    registration = models.ForeignKey(Registration, verbose_name=_("registration"), on_delete=models.PROTECT,
                                     related_name="events")

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("registration history line")
        verbose_name_plural = _("registration history")


class PDUCredit(models.Model):
    """The PDU claim an attendance credited; at most one live credit per registration (exactly once)."""

    registration = models.ForeignKey(Registration, verbose_name=_("registration"), on_delete=models.PROTECT,
                                     related_name="pdu_credits")
    claim = models.OneToOneField("certificates.PDUClaim", verbose_name=_("PDU claim"), on_delete=models.PROTECT,
                                 related_name="+")
    hours = models.DecimalField(_("PDUs"), max_digits=4, decimal_places=1)
    credited_at = models.DateTimeField(_("credited at"), default=timezone.now)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        verbose_name = _("PDU credit")
        verbose_name_plural = _("PDU credits")
        constraints = [
            models.UniqueConstraint(fields=["registration"], condition=Q(withdrawn_at__isnull=True),
                                    name="events_pducredit_once_per_registration"),
        ]

    def __str__(self) -> str:
        return str(_("%(hours)s PDUs — %(registration)s") % {
            "hours": self.hours, "registration": self.registration})
