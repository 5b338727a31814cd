from decimal import Decimal
from typing import ClassVar

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from applicants.models import language_choices
from documents.storage import private_storage, private_upload_to
from staff.models import StaffInvitation, StaffMembership
from workflows.models import Workflow, WorkflowEvent

# The Senior Mentor Elite Fast Track is "5 days of in-person training + 40 hours online" (source site).
FASTTRACK_IN_PERSON_DAYS = 5
FASTTRACK_ONLINE_HOURS = 40
FASTTRACK_LEVEL_CODE = "SM"


class TrainingFormat(models.TextChoices):
    ONLINE = "online", _("Online")
    IN_PERSON = "in_person", _("In person")
    BLENDED = "blended", _("Blended (in person and online)")


class QTSPQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(status=QTSP.Status.APPROVED)

    def in_term(self, today=None):
        """Approved and within the approval term (the lapse job may not have run yet on the last day's morrow)."""
        today = today or timezone.localdate()
        return self.approved().filter(Q(approved_until__isnull=True) | Q(approved_until__gte=today))


class QTSP(Workflow):
    """A Qualified Training Service Provider: applies, is decided on by the committee, then trains."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        SUSPENDED = "suspended", _("Suspended")
        LAPSED = "lapsed", _("Lapsed")

    TRANSITIONS: ClassVar[dict] = {
        Status.SUBMITTED: frozenset({Status.APPROVED, Status.REJECTED}),
        Status.APPROVED: frozenset({Status.SUSPENDED, Status.LAPSED}),
        Status.SUSPENDED: frozenset({Status.APPROVED}),
        # A lapsed QTSP comes back only through a re-approval the committee grants (partners.services.terms).
        Status.LAPSED: frozenset({Status.APPROVED}),
        Status.REJECTED: frozenset(),
    }

    name = models.CharField(_("organization name"), max_length=200)
    registration_number = models.CharField(_("registration number"), max_length=100, blank=True)
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("about the organization"), blank=True)
    country = CountryField(_("country"))
    city = models.CharField(_("city"), max_length=200)
    address = models.TextField(_("address"), blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=8, decimal_places=5,
        validators=[MinValueValidator(Decimal(-90)), MaxValueValidator(Decimal(90))],
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=8, decimal_places=5,
        validators=[MinValueValidator(Decimal(-180)), MaxValueValidator(Decimal(180))],
    )
    contact_name = models.CharField(_("contact person"), max_length=200)
    contact_email = models.EmailField(_("contact email"))
    contact_phone = models.CharField(_("contact phone"), max_length=50, blank=True)
    levels = models.ManyToManyField("accreditation.Level", verbose_name=_("levels trained"), related_name="qtsps")
    formats = ArrayField(
        models.CharField(max_length=20, choices=TrainingFormat.choices), verbose_name=_("training formats")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED, db_index=True
    )
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("applied by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="qtsp_applications",
    )
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approved_until = models.DateField(
        _("approved until"), null=True, blank=True,
        help_text=_("The last day of the approval term; a re-approval extends it."),
    )

    objects = QTSPQuerySet.as_manager()

    class Meta:
        verbose_name = _("QTSP")
        verbose_name_plural = _("QTSPs")
        ordering = ["name"]
        permissions = [("decide_qtsp", _("Can approve, reject, suspend and reinstate QTSPs"))]
        indexes = [models.Index(fields=["country", "city"], name="partners_qtsp_place_idx")]

    def __str__(self) -> str:
        return self.name


class QTSPEvent(WorkflowEvent):
    """One status change of a QTSP; the database refuses to change or delete it."""

    qtsp = models.ForeignKey(QTSP, verbose_name=_("QTSP"), on_delete=models.PROTECT, related_name="events")
    from_status = models.CharField(_("from"), max_length=40, choices=QTSP.Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=40, choices=QTSP.Status.choices)

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("QTSP event")
        verbose_name_plural = _("QTSP events")

    def __str__(self) -> str:
        return f"{self.qtsp}: {self.from_status or '—'} → {self.to_status}"


class QTSPDocument(models.Model):
    """A supporting document sent with the application (registration, trainers' credentials, ...)."""

    qtsp = models.ForeignKey(QTSP, verbose_name=_("QTSP"), on_delete=models.CASCADE, related_name="documents")
    file = models.FileField(_("file"), storage=private_storage, upload_to=private_upload_to("partners/qtsp"))
    original_name = models.CharField(_("file name"), max_length=255)
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        verbose_name = _("supporting document")
        verbose_name_plural = _("supporting documents")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name


class QTSPStaff(StaffMembership):
    organisation = models.ForeignKey(QTSP, verbose_name=_("QTSP"), on_delete=models.CASCADE, related_name="staff")

    class Meta(StaffMembership.Meta):
        verbose_name = _("QTSP staff member")
        verbose_name_plural = _("QTSP staff")
        ordering = ["organisation", "role", "created_at"]


class QTSPInvitation(StaffInvitation):
    organisation = models.ForeignKey(
        QTSP, verbose_name=_("QTSP"), on_delete=models.CASCADE, related_name="staff_invitations"
    )

    class Meta(StaffInvitation.Meta):
        verbose_name = _("QTSP staff invitation")
        verbose_name_plural = _("QTSP staff invitations")
        ordering = ["-created_at"]


class ProgrammeStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for review")
    APPROVED = "approved", _("Approved")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    REJECTED = "rejected", _("Rejected")


class TrainingProgramme(Workflow):
    """A course a QTSP runs, e.g. "Associate Mentor online training, 32 h"; it counts once the committee approves it."""

    Status = ProgrammeStatus
    TRANSITIONS: ClassVar[dict] = {
        ProgrammeStatus.DRAFT: frozenset({ProgrammeStatus.SUBMITTED}),
        ProgrammeStatus.SUBMITTED: frozenset(
            {ProgrammeStatus.APPROVED, ProgrammeStatus.CHANGES_REQUESTED, ProgrammeStatus.REJECTED}
        ),
        ProgrammeStatus.CHANGES_REQUESTED: frozenset({ProgrammeStatus.SUBMITTED}),
        ProgrammeStatus.APPROVED: frozenset(),
        ProgrammeStatus.REJECTED: frozenset(),
    }

    qtsp = models.ForeignKey(QTSP, verbose_name=_("QTSP"), on_delete=models.CASCADE, related_name="programmes")
    title = models.CharField(_("title"), max_length=200)
    level = models.ForeignKey(
        "accreditation.Level", verbose_name=_("level"), on_delete=models.PROTECT, related_name="programmes"
    )
    format = models.CharField(_("format"), max_length=20, choices=TrainingFormat.choices)
    required_hours = models.PositiveIntegerField(
        _("total hours"), help_text=_("All the hours of the programme, in person and online; a trainee attends them all.")
    )
    hours_in_person = models.PositiveIntegerField(
        _("hours in person"), default=0, help_text=_("Of the total hours, those taught in person (0 for online).")
    )
    language = models.CharField(_("language of instruction"), max_length=10, choices=language_choices,
                                default="en")
    status = models.CharField(
        _("status"), max_length=20, choices=ProgrammeStatus.choices, default=ProgrammeStatus.DRAFT, db_index=True
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    required_days = models.PositiveSmallIntegerField(
        _("required in-person days"), default=0, help_text=_("Days of in-person training a trainee must attend.")
    )
    is_fasttrack = models.BooleanField(
        _("Senior Mentor fast track"), default=False,
        help_text=_("The Elite Fast Track: 5 days in person and 40 hours online, for referred candidates."),
    )
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("open for new cohorts"), default=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("training programme")
        verbose_name_plural = _("training programmes")
        ordering = ["qtsp", "level__rank", "title"]
        permissions = [("review_trainingprogramme", _("Can review training programmes against the curriculum"))]
        constraints = [
            models.CheckConstraint(condition=Q(hours_in_person__lte=F("required_hours")),
                                   name="partners_programme_in_person_within_total"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def hours_online(self) -> int:
        return self.required_hours - self.hours_in_person

    @property
    def is_approved(self) -> bool:
        return self.status == ProgrammeStatus.APPROVED


class ProgrammeEvent(WorkflowEvent):
    """One status change of a programme under review; the database refuses to change or delete it."""

    programme = models.ForeignKey(
        TrainingProgramme, verbose_name=_("programme"), on_delete=models.PROTECT, related_name="events"
    )
    from_status = models.CharField(_("from"), max_length=40, choices=ProgrammeStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=40, choices=ProgrammeStatus.choices)

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("programme event")
        verbose_name_plural = _("programme events")


class SyllabusItem(models.Model):
    """The hours a programme gives to one of the eight essential courses (the exam curriculum's topics).

    The topic is reference data of the scheme, like the level: it is named by a string, not imported.
    """

    programme = models.ForeignKey(
        TrainingProgramme, verbose_name=_("programme"), on_delete=models.CASCADE, related_name="syllabus"
    )
    topic = models.ForeignKey("exams.Topic", verbose_name=_("course"), on_delete=models.PROTECT, related_name="+")
    hours = models.PositiveIntegerField(_("hours"), validators=[MinValueValidator(1)])

    class Meta:
        verbose_name = _("syllabus line")
        verbose_name_plural = _("syllabus")
        ordering = ["programme", "topic__position"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "topic"], name="partners_syllabus_topic_once"),
            models.CheckConstraint(condition=Q(hours__gte=1), name="partners_syllabus_hours_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.topic}: {self.hours} h"


class Cohort(models.Model):
    """One run of a programme, with dates, a place (or online) and a number of places."""

    programme = models.ForeignKey(
        TrainingProgramme, verbose_name=_("programme"), on_delete=models.CASCADE, related_name="cohorts"
    )
    name = models.CharField(_("name"), max_length=200)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    is_online = models.BooleanField(_("online"), default=False)
    venue = models.CharField(_("venue"), max_length=300, blank=True, help_text=_("Address of the in-person days."))
    capacity = models.PositiveIntegerField(_("places"), validators=[MinValueValidator(1)])
    price = models.DecimalField(_("price"), max_digits=10, decimal_places=2, null=True, blank=True,
                                validators=[MinValueValidator(Decimal(0))],
                                help_text=_("The QTSP's own price for a place; empty when it is on request."))
    currency = models.CharField(_("currency"), max_length=3, default="USD",
                                help_text=_("Three-letter ISO 4217 code, e.g. USD, EUR, SGD."))
    # Places taken, kept by a conditional UPDATE in the service and bounded by the CHECK below.
    seats_taken = models.PositiveIntegerField(_("places taken"), default=0, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")
        ordering = ["starts_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(seats_taken__lte=F("capacity")), name="partners_cohort_not_overbooked"),
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="partners_cohort_ends_after_start"),
            models.CheckConstraint(condition=Q(is_online=True) | ~Q(venue=""), name="partners_cohort_has_place"),
        ]

    def __str__(self) -> str:
        return f"{self.programme} — {self.name}"

    @property
    def seats_left(self) -> int:
        return self.capacity - self.seats_taken


class Enrolment(models.Model):
    """A trainee on a cohort's roster: attended hours and days, then completion with pass or fail.

    A QTSP adds a trainee by inviting an address; ``trainee`` and ``accepted_at`` stay empty until the
    person, signed in with that verified address, accepts. Until then the QTSP sees only what it typed in
    (address and name), and the record counts for nobody's eligibility.
    """

    class Status(models.TextChoices):
        ENROLLED = "enrolled", _("Enrolled")
        COMPLETED = "completed", _("Completed")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    cohort = models.ForeignKey(Cohort, verbose_name=_("cohort"), on_delete=models.CASCADE, related_name="enrolments")
    trainee = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("trainee"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="enrolments",
    )
    email = models.EmailField(_("email address"))
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.ENROLLED, db_index=True
    )
    attended_hours = models.DecimalField(
        _("attended hours"), max_digits=5, decimal_places=1, default=Decimal(0),
        validators=[MinValueValidator(Decimal(0))],
    )
    attended_days = models.PositiveSmallIntegerField(_("attended in-person days"), default=0)
    passed = models.BooleanField(_("passed"), null=True, blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("added by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("added at"), default=timezone.now)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["cohort", Lower("email")]
        constraints = [
            models.UniqueConstraint(
                "cohort", Lower("email"), condition=~Q(status="withdrawn"), name="partners_enrolment_once_per_cohort"
            ),
            models.CheckConstraint(
                condition=(Q(status="completed") & Q(passed__isnull=False) & Q(completed_on__isnull=False))
                | (~Q(status="completed") & Q(passed__isnull=True) & Q(completed_on__isnull=True)),
                name="partners_enrolment_completion_recorded",
            ),
            models.CheckConstraint(condition=Q(attended_hours__gte=0), name="partners_enrolment_hours_positive"),
        ]
        indexes = [
            models.Index(fields=["trainee", "status"], name="partners_enrolment_trainee_idx"),
            # The roster's order (partners.selectors.roster): a page of a large cohort is read in order, its
            # trainees' accounts by key, where sorting the cohort after joining every account cost a scan.
            models.Index(fields=["cohort", "status", "full_name", "email", "id"], name="partners_enrolment_roster"),
        ]

    def __str__(self) -> str:
        return f"{self.full_name or self.email} — {self.cohort}"

    @property
    def is_accepted(self) -> bool:
        return self.accepted_at is not None

    @property
    def display_name(self) -> str:
        # The account's name only once the person accepted; before that, what the QTSP typed in.
        if self.is_accepted and self.trainee_id and self.trainee.full_name:
            return self.trainee.full_name
        return self.full_name or self.email

    @property
    def counts_for_eligibility(self) -> bool:
        """Passed, on a programme the committee approved (the level's hours rule: ``partners.training``)."""
        return (self.is_accepted and self.status == self.Status.COMPLETED and bool(self.passed)
                and self.cohort.programme.status == ProgrammeStatus.APPROVED)


class PlaceRequest(Workflow):
    """A signed-in person asks a QTSP for a place on a cohort; accepting enrols them (they consented when asking)."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    TRANSITIONS: ClassVar[dict] = {
        Status.REQUESTED: frozenset({Status.ACCEPTED, Status.DECLINED, Status.WITHDRAWN}),
        Status.ACCEPTED: frozenset(),
        Status.DECLINED: frozenset(),
        Status.WITHDRAWN: frozenset(),
    }

    cohort = models.ForeignKey(Cohort, verbose_name=_("cohort"), on_delete=models.CASCADE,
                               related_name="place_requests")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.CASCADE,
                               related_name="place_requests")
    message = models.TextField(_("message to the QTSP"), blank=True, max_length=2000)
    consented_at = models.DateTimeField(
        _("consent to enrolment given at"),
        help_text=_("When the person agreed to be put on the roster and share their name and address with the QTSP."),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.REQUESTED,
                              db_index=True)
    enrolment = models.OneToOneField(Enrolment, verbose_name=_("enrolment"), null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="place_request")
    created_at = models.DateTimeField(_("requested at"), default=timezone.now)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("place request")
        verbose_name_plural = _("place requests")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "person"], condition=Q(status__in=["requested", "accepted"]),
                name="partners_place_request_once_per_cohort",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.cohort}"


class PlaceRequestEvent(WorkflowEvent):
    place_request = models.ForeignKey(PlaceRequest, verbose_name=_("place request"), on_delete=models.PROTECT,
                                      related_name="events")
    from_status = models.CharField(_("from"), max_length=40, choices=PlaceRequest.Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=40, choices=PlaceRequest.Status.choices)

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("place request event")
        verbose_name_plural = _("place request events")


class QTSPReapproval(Workflow):
    """A QTSP's application to renew its approval for another term; the committee decides in the admin."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    TRANSITIONS: ClassVar[dict] = {
        Status.SUBMITTED: frozenset({Status.APPROVED, Status.REJECTED}),
        Status.APPROVED: frozenset(),
        Status.REJECTED: frozenset(),
    }

    qtsp = models.ForeignKey(QTSP, verbose_name=_("QTSP"), on_delete=models.CASCADE, related_name="reapprovals")
    statement = models.TextField(
        _("what changed"), max_length=5000,
        help_text=_("Trainers, programmes and results since the last approval; anything the committee should know."),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED,
                              db_index=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("submitted by"), null=True,
                                     on_delete=models.SET_NULL, related_name="+")
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("QTSP re-approval")
        verbose_name_plural = _("QTSP re-approvals")
        ordering = ["-submitted_at", "pk"]
        permissions = [("decide_qtspreapproval", _("Can decide QTSP re-approvals"))]
        constraints = [
            models.UniqueConstraint(fields=["qtsp"], condition=Q(status="submitted"),
                                    name="partners_reapproval_one_open"),
        ]

    def __str__(self) -> str:
        return _("Re-approval of %(qtsp)s") % {"qtsp": self.qtsp}


class QTSPReapprovalEvent(WorkflowEvent):
    reapproval = models.ForeignKey(QTSPReapproval, verbose_name=_("re-approval"), on_delete=models.PROTECT,
                                   related_name="events")
    from_status = models.CharField(_("from"), max_length=40, choices=QTSPReapproval.Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=40, choices=QTSPReapproval.Status.choices)

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("QTSP re-approval event")
        verbose_name_plural = _("QTSP re-approval events")
