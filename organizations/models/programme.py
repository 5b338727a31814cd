"""Mentoring programmes and their accreditation applications (one per five-year cycle)."""

from typing import ClassVar

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from documents.storage import private_storage, private_upload_to
from organizations.models.organization import Organization, search_vector
from workflows.models import Workflow, WorkflowEvent


def programme_search_vector(prefix: str = "") -> SearchVector:
    return search_vector("name", "description", prefix=prefix)


class Programme(models.Model):
    """A mentoring programme an organization runs; its accreditation lives on its applications."""

    organization = models.ForeignKey(
        Organization, verbose_name=_("organization"), on_delete=models.PROTECT, related_name="programmes"
    )
    name = models.CharField(
        _("programme name"), max_length=200,
        help_text=_("As it should appear on the certificate and in the directory."),
    )
    description = models.TextField(
        _("public description"), blank=True,
        help_text=_("Two or three sentences shown in the public directory once the programme is accredited."),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["organization", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="organizations_programme_name_unique"),
        ]
        indexes = [GinIndex(programme_search_vector(), name="organizations_programme_search")]

    def __str__(self) -> str:
        return self.name


class Audience(models.TextChoices):
    YOUTH = "youth", _("Young people")
    STUDENTS = "students", _("Students")
    NEW_STAFF = "new_staff", _("New staff")
    LEADERS = "leaders", _("Leaders and managers")
    PROFESSIONALS = "professionals", _("Experienced professionals")
    ENTREPRENEURS = "entrepreneurs", _("Entrepreneurs")
    UNDER_REPRESENTED = "under_represented", _("Under-represented groups")
    OTHER = "other", _("Other")


class TrainingProvider(models.TextChoices):
    QTSP = "qtsp", _("A QTSP (qualified training service provider)")
    IN_HOUSE = "in_house", _("In-house")
    BOTH = "both", _("Both a QTSP and in-house")


class ApplicationKind(models.TextChoices):
    INITIAL = "initial", _("First accreditation")
    RENEWAL = "renewal", _("Renewal")


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted, awaiting the fee")
    UNDER_REVIEW = "under_review", _("Under review")
    ACCREDITED = "accredited", _("Accredited")
    CONDITIONAL = "conditional", _("Accredited with conditions")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    EXPIRED = "expired", _("Expired")
    REVOKED = "revoked", _("Revoked")
    SUPERSEDED = "superseded", _("Renewed (superseded)")


S = ApplicationStatus
# The workflow. Only ``organizations.services`` moves an application along an edge of this table (through
# ``workflows.services.transition``).
TRANSITIONS: dict[str, frozenset[str]] = {
    S.DRAFT: frozenset({S.SUBMITTED, S.WITHDRAWN}),
    # Submitted waits for the accreditation fee; the review starts when it is paid.
    S.SUBMITTED: frozenset({S.UNDER_REVIEW, S.WITHDRAWN}),
    S.UNDER_REVIEW: frozenset({S.ACCREDITED, S.CONDITIONAL, S.REJECTED, S.WITHDRAWN}),
    # Conditions met: fully accredited. Either way the accreditation ends by expiry, revocation or renewal.
    S.CONDITIONAL: frozenset({S.ACCREDITED, S.EXPIRED, S.REVOKED, S.SUPERSEDED}),
    S.ACCREDITED: frozenset({S.EXPIRED, S.REVOKED, S.SUPERSEDED}),
    S.REJECTED: frozenset(),
    S.WITHDRAWN: frozenset(),
    S.EXPIRED: frozenset(),
    S.REVOKED: frozenset(),
    S.SUPERSEDED: frozenset(),
}
# The payments fee kind (and invoice kind) of a programme accreditation; the invoice's reference is the
# application's ``payment_reference``.
PROGRAMME_FEE_KIND = "programme_accreditation"
OPEN_STATUSES = (S.DRAFT, S.SUBMITTED, S.UNDER_REVIEW)
ACCREDITED_STATUSES = (S.ACCREDITED, S.CONDITIONAL)
DECISIONS = (S.ACCREDITED, S.CONDITIONAL, S.REJECTED)


class ProgrammeApplicationQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def accredited_on(self, day):
        """Accreditations in force on ``day``: decided so and not past their end, whatever the beat did yet."""
        return self.filter(status__in=ACCREDITED_STATUSES, valid_from__lte=day, valid_until__gte=day)

    def accredited_now(self):
        return self.accredited_on(timezone.localdate())


class ProgrammeApplication(Workflow):
    """One accreditation cycle of a programme: the application, its review, the decision and its validity."""

    TRANSITIONS: ClassVar[dict[str, frozenset[str]]] = TRANSITIONS

    # From the database sequence of migration 0002, e.g. "PA2026-000042".
    number = models.CharField(_("number"), max_length=20, unique=True, editable=False)
    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.PROTECT, related_name="applications"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=ApplicationKind.choices, default=ApplicationKind.INITIAL)
    # A renewal that is rejected or withdrawn may be followed by another one of the same accreditation.
    previous = models.ForeignKey(
        "self", verbose_name=_("renews"), null=True, blank=True, on_delete=models.PROTECT, related_name="renewals",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ApplicationStatus.choices, default=ApplicationStatus.DRAFT, db_index=True
    )

    purpose = models.TextField(_("purpose of the programme"), blank=True)
    audiences = ArrayField(
        models.CharField(max_length=20, choices=Audience.choices), verbose_name=_("audience"),
        default=list, blank=True,
    )
    audience_details = models.TextField(_("about the audience"), blank=True)
    mentors_count = models.PositiveIntegerField(_("mentors"), null=True, blank=True)
    mentees_count = models.PositiveIntegerField(_("mentees"), null=True, blank=True)
    active_pairs = models.PositiveIntegerField(_("active mentoring pairs"), null=True, blank=True)
    matching = models.TextField(_("how mentors and mentees are matched"), blank=True)
    training_provider = models.CharField(
        _("who trains the mentors"), max_length=20, choices=TrainingProvider.choices, blank=True
    )
    training_details = models.TextField(
        _("mentor training"), blank=True, help_text=_("Which QTSP, or how the in-house training runs and how long it is."),
    )
    supervision = models.TextField(_("supervision and support of mentors"), blank=True)
    monitoring = models.TextField(_("monitoring and evaluation"), blank=True)
    ethics_adopted = models.BooleanField(
        _("the programme has adopted the IPMA code of ethics"), default=False,
    )
    ethics_details = models.TextField(_("how the code of ethics is applied"), blank=True)

    # Fixed when the review starts, so changing the setting never unblinds a review in progress.
    reviews_required = models.PositiveSmallIntegerField(_("reviews required"), null=True, blank=True, editable=False)
    # Set (under the application's lock) when the last required review is submitted: from then on every
    # reviewer sees every score. Until then each sees only their own.
    reviews_completed_at = models.DateTimeField(_("all reviews in at"), null=True, blank=True, editable=False)
    decision_reasons = models.TextField(_("reasons for the decision"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    certificate_number = models.CharField(_("certificate number"), max_length=40, blank=True)
    valid_from = models.DateField(_("accredited from"), null=True, blank=True)
    valid_until = models.DateField(_("accredited until"), null=True, blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("started by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("submitted by"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("started at"), default=timezone.now)
    updated_at = models.DateTimeField(_("last saved"), default=timezone.now)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True, db_index=True)
    review_started_at = models.DateTimeField(_("review started at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)

    objects = ProgrammeApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("programme application")
        verbose_name_plural = _("programme applications")
        ordering = ["-submitted_at", "-pk"]
        permissions = [
            ("decide_programmeapplication", "Can decide programme applications (accredit, conditions, reject)"),
            ("revoke_programmeapplication", "Can revoke a programme accreditation"),
            ("assign_programmereviewer", "Can take or assign programme applications for review"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["programme"], condition=Q(status__in=OPEN_STATUSES),
                name="organizations_one_open_application_per_programme",
            ),
            models.UniqueConstraint(
                fields=["programme"], condition=Q(status__in=ACCREDITED_STATUSES),
                name="organizations_one_accreditation_per_programme",
            ),
            models.UniqueConstraint(
                fields=["certificate_number"], condition=~Q(certificate_number=""),
                name="organizations_certificate_number_unique",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=[S.REJECTED, S.CONDITIONAL]) | ~Q(decision_reasons=""),
                name="organizations_decision_has_reasons",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=ACCREDITED_STATUSES) | Q(valid_from__isnull=False, valid_until__isnull=False),
                name="organizations_accreditation_has_validity",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} · {self.programme}"

    @property
    def is_draft(self) -> bool:
        return self.status == ApplicationStatus.DRAFT

    @property
    def audience_labels(self) -> list[str]:
        return [Audience(value).label for value in self.audiences if value in Audience.values]

    @property
    def is_accredited_status(self) -> bool:
        return self.status in ACCREDITED_STATUSES

    @property
    def payment_reference(self) -> str:
        return f"programme-application:{self.pk}"


class EventAction(models.TextChoices):
    CREATED = "created", _("Started")
    SUBMITTED = "submitted", _("Submitted")
    REVIEW_STARTED = "review_started", _("Review started")
    REVIEWER_ASSIGNED = "reviewer_assigned", _("Reviewer assigned")
    REVIEW_SUBMITTED = "review_submitted", _("Review submitted")
    ACCREDITED = "accredited", _("Accredited")
    CONDITIONAL = "conditional", _("Accredited with conditions")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    CERTIFICATE_ISSUED = "certificate_issued", _("Certificate issued")
    CONDITION_ANSWERED = "condition_answered", _("Condition answered")
    CONDITION_MET = "condition_met", _("Condition met")
    CONDITION_RETURNED = "condition_returned", _("Condition answer returned")
    CONDITION_OVERDUE = "condition_overdue", _("Condition overdue")
    CONDITIONS_MET = "conditions_met", _("All conditions met")
    REPORT_FILED = "report_filed", _("Annual report filed")
    REPORT_LATE = "report_late", _("Annual report late")
    EXPIRED = "expired", _("Expired")
    REVOKED = "revoked", _("Revoked")
    SUPERSEDED = "superseded", _("Renewed")


class ApplicationEvent(WorkflowEvent):
    """One line of an application's history: a move, or a fact the committee should know (``action``).

    Immutable in the database (the workflows trigger, migration 0004); the actor's name outlives their account.
    """

    application = models.ForeignKey(
        ProgrammeApplication, verbose_name=_("application"), on_delete=models.PROTECT, related_name="events"
    )
    action = models.CharField(_("action"), max_length=30, choices=EventAction.choices)
    from_status = models.CharField(_("from"), max_length=40, choices=ApplicationStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=40, choices=ApplicationStatus.choices)

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("application event")
        verbose_name_plural = _("application events")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["application", "created_at"], name="organizations_event_app_idx")]

    def __str__(self) -> str:
        return f"{self.get_action_display()} ({self.created_at:%Y-%m-%d %H:%M})"


# Reviewer assignments and review submissions stay with the committee (the second review is blind).
ORGANIZATION_HIDDEN_ACTIONS = frozenset({EventAction.REVIEWER_ASSIGNED, EventAction.REVIEW_SUBMITTED})


class AccreditedMentor(models.Model):
    """A programme mentor who holds an individual accreditation, named by invitation.

    The organization invites an address; the person, signed in with that verified address, accepts and
    names their own certificate. Until then the organization sees only the address it typed: nothing here
    turns a certificate number into a name (only the public /verify/ does, rate-limited).
    """

    class Check(models.TextChoices):
        VALID = "valid", _("Valid certificate")
        NOT_VALID = "not_valid", _("Certificate not valid (expired, revoked or superseded)")
        NOT_FOUND = "not_found", _("No such certificate")
        UNKNOWN = "unknown", _("Not checked yet (the certificate register is unavailable)")

    application = models.ForeignKey(
        ProgrammeApplication, verbose_name=_("application"), on_delete=models.CASCADE, related_name="mentors"
    )
    email = models.EmailField(_("invited address"), blank=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("invited by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    invited_at = models.DateTimeField(_("invited at"), default=timezone.now)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("mentor's account"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    full_name = models.CharField(_("mentor's name"), max_length=200, blank=True)
    certificate_number = models.CharField(_("certificate number"), max_length=40, blank=True)
    check_result = models.CharField(_("check"), max_length=20, choices=Check.choices, default=Check.UNKNOWN)
    certificate_holder = models.CharField(_("holder on the certificate"), max_length=200, blank=True)
    certificate_level = models.CharField(_("level on the certificate"), max_length=100, blank=True)
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("accredited mentor")
        verbose_name_plural = _("accredited mentors")
        ordering = ["full_name", "email", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "certificate_number"], condition=~Q(certificate_number=""),
                name="organizations_mentor_certificate_once",
            ),
            models.UniqueConstraint(
                "application", Lower("email"), condition=~Q(email=""), name="organizations_mentor_invited_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.certificate_number})" if self.is_accepted else self.email

    @property
    def is_accepted(self) -> bool:
        return self.accepted_at is not None


class DocumentKind(models.TextChoices):
    PROGRAMME_DESCRIPTION = "programme_description", _("Programme description")
    TRAINING = "training", _("Mentor training material")
    EVALUATION = "evaluation", _("Evaluation report")
    ETHICS = "ethics", _("Code of ethics adoption")
    CONDITION = "condition", _("Evidence for a condition")
    OTHER = "other", _("Other")


class ApplicationDocument(models.Model):
    """A private supporting document; served only by the permission-checked view."""

    application = models.ForeignKey(
        ProgrammeApplication, verbose_name=_("application"), on_delete=models.CASCADE, related_name="documents"
    )
    kind = models.CharField(_("kind"), max_length=30, choices=DocumentKind.choices)
    file = models.FileField(_("file"), storage=private_storage, upload_to=private_upload_to("programmes"))
    original_name = models.CharField(_("file name"), max_length=255)
    content_kind = models.CharField(_("content"), max_length=10)
    size = models.PositiveIntegerField(_("size in bytes"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        verbose_name = _("supporting document")
        verbose_name_plural = _("supporting documents")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.original_name}"
