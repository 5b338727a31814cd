from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applicants.models import EducationLevel
from documents.storage import private_storage, private_upload_to
from workflows.models import Workflow, WorkflowEvent


class Level(models.Model):
    """One of the four mentor levels and what it requires (data, see migration 0002)."""

    code = models.CharField(_("code"), max_length=2, unique=True)
    name = models.CharField(_("name"), max_length=100)
    rank = models.PositiveSmallIntegerField(_("rank"), unique=True, help_text=_("1 for the entry level."))
    service_hours = models.PositiveIntegerField(_("mentoring service hours"))
    years_mentoring = models.PositiveSmallIntegerField(_("years of mentoring"), default=0)
    minimum_education = models.CharField(
        _("minimum education"), max_length=20, choices=EducationLevel.choices, blank=True
    )
    prerequisite = models.ForeignKey(
        "self", verbose_name=_("prerequisite level"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+", help_text=_("Held level required, or equivalent training judged by the committee."),
    )
    training = models.CharField(_("training requirement"), max_length=200)
    training_hours = models.PositiveIntegerField(_("training hours"), null=True, blank=True)
    requires_contribution_statement = models.BooleanField(
        _("requires a significant contribution to the profession"), default=False
    )
    certificate_validity_years = models.PositiveSmallIntegerField(_("certificate validity (years)"), default=5)
    # Data per level, beside the hours it qualifies, so the committee changes it in the admin with the rest.
    confirmed_hours_share = models.PositiveSmallIntegerField(
        _("share of hours confirmed (%)"), default=0,
        help_text=_("How much of the level's service hours mentees (or supervisors) must have confirmed: 0 to 100."),
    )

    class Meta:
        verbose_name = _("level")
        verbose_name_plural = _("levels")
        ordering = ["rank"]
        constraints = [
            models.CheckConstraint(condition=Q(confirmed_hours_share__lte=100),
                                   name="accreditation_level_confirmed_share_percent"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    def rules(self):
        """The level's requirements as plain data for the eligibility rules."""
        from accreditation.eligibility import LevelRules

        prerequisite = self.prerequisite
        return LevelRules(
            code=self.code, name=self.name, service_hours=self.service_hours, years_mentoring=self.years_mentoring,
            minimum_education=self.minimum_education,
            prerequisite_code=prerequisite.code if prerequisite else None,
            prerequisite_name=prerequisite.name if prerequisite else "",
            training=self.training, requires_contribution_statement=self.requires_contribution_statement,
            confirmed_hours_share=self.confirmed_hours_share,
        )


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted, awaiting the fee")
    UNDER_REVIEW = "under_review", _("Under review")
    INFORMATION_REQUESTED = "information_requested", _("Information requested")
    ACCEPTED_FOR_EXAM = "accepted_for_exam", _("Accepted for exam")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    LAPSED = "lapsed", _("Lapsed")


S = ApplicationStatus
# The workflow. Only ``services`` moves an application along an edge of this table.
TRANSITIONS: dict[str, frozenset[str]] = {
    S.DRAFT: frozenset({S.SUBMITTED, S.WITHDRAWN}),
    # Submitted waits for the accreditation fee; the review starts when it is paid.
    S.SUBMITTED: frozenset({S.UNDER_REVIEW, S.WITHDRAWN}),
    S.UNDER_REVIEW: frozenset({S.INFORMATION_REQUESTED, S.ACCEPTED_FOR_EXAM, S.APPROVED, S.REJECTED, S.WITHDRAWN}),
    S.INFORMATION_REQUESTED: frozenset({S.UNDER_REVIEW, S.REJECTED, S.WITHDRAWN}),
    # A pass approves at once, or goes back to the reviewer when something else is still open.
    S.ACCEPTED_FOR_EXAM: frozenset({S.APPROVED, S.UNDER_REVIEW, S.LAPSED, S.WITHDRAWN}),
    # Only a granted appeal reopens a rejection.
    S.REJECTED: frozenset({S.UNDER_REVIEW}),
    S.APPROVED: frozenset(),
    S.WITHDRAWN: frozenset(),
    S.LAPSED: frozenset(),
}
OPEN_STATUSES = (S.DRAFT, S.SUBMITTED, S.UNDER_REVIEW, S.INFORMATION_REQUESTED, S.ACCEPTED_FOR_EXAM)
# Statuses in which a reviewer has work to do (their load, for automatic assignment).
REVIEW_STATUSES = (S.SUBMITTED, S.UNDER_REVIEW, S.INFORMATION_REQUESTED)


class LevelApplicationQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def for_admin_list(self):
        return self.select_related("applicant__profile", "level", "reviewer")


class LevelApplication(Workflow):
    """One person's application for one level, from draft to decision (moved by ``workflows.services``)."""

    TRANSITIONS = TRANSITIONS

    # From the database sequence of migration 0004, e.g. "A2026-000042"; people quote it in letters and calls.
    number = models.CharField(_("number"), max_length=20, unique=True, editable=False)
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("applicant"), on_delete=models.PROTECT,
        related_name="level_applications",
    )
    level = models.ForeignKey(Level, verbose_name=_("level"), on_delete=models.PROTECT, related_name="applications")
    status = models.CharField(
        _("status"), max_length=30, choices=ApplicationStatus.choices, default=ApplicationStatus.DRAFT, db_index=True
    )
    practice_statement = models.TextField(
        _("your mentoring practice"), blank=True,
        help_text=_("Whom you mentor, how, and what changed for them."),
    )
    equivalent_training_statement = models.TextField(
        _("equivalent training"), blank=True,
        help_text=_("Only if you do not hold the prerequisite level: the training you count as equivalent."),
    )
    contribution_statement = models.TextField(
        _("contribution to the profession"), blank=True,
        help_text=_("Master Mentor only: your significant contribution to the mentoring profession."),
    )
    ethics_adoption = models.ForeignKey(
        "applicants.EthicsAdoption", verbose_name=_("ethics adoption"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    snapshot = models.JSONField(_("snapshot at submission"), default=dict, blank=True, editable=False)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reviewer"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="assigned_level_applications",
    )
    audit_selected = models.BooleanField(
        _("selected for evidence audit"), default=False,
        help_text=_("Picked at random at submission: check the evidence behind every claim."),
    )
    rejection_reason = models.TextField(_("reasons for rejection"), blank=True)
    created_at = models.DateTimeField(_("started at"), default=timezone.now)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True, db_index=True)
    review_started_at = models.DateTimeField(_("review started at"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted for exam at"), null=True, blank=True)
    exam_passed_at = models.DateTimeField(_("exam passed at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    objects = LevelApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("level application")
        verbose_name_plural = _("level applications")
        ordering = ["-submitted_at", "-pk"]
        permissions = [("review_levelapplication", "Can review level applications (assign, request, decide)")]
        constraints = [
            models.UniqueConstraint(
                fields=["applicant", "level"], condition=Q(status__in=OPEN_STATUSES),
                name="accreditation_one_open_application_per_level",
            ),
            models.CheckConstraint(
                condition=~Q(status=ApplicationStatus.REJECTED) | ~Q(rejection_reason=""),
                name="accreditation_rejection_has_reasons",
            ),
            models.CheckConstraint(condition=~Q(reviewer=F("applicant")), name="accreditation_not_own_reviewer"),
        ]
        indexes = [
            # The committee list's search by a number's start ("A2026-0001", LIKE 'x%'): the unique index's
            # collation cannot serve a LIKE.
            models.Index(fields=["number"], name="accreditation_app_number_like", opclasses=["varchar_pattern_ops"]),
        ]

    def __str__(self) -> str:
        return f"{self.number} · {self.level.code} · {self.applicant}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_draft(self) -> bool:
        return self.status == ApplicationStatus.DRAFT

    @property
    def payment_reference(self) -> str:
        return f"application:{self.pk}"


class EventAction(models.TextChoices):
    CREATED = "created", _("Started")
    SUBMITTED = "submitted", _("Submitted")
    REVIEW_STARTED = "review_started", _("Review started")
    REVIEWER_ASSIGNED = "reviewer_assigned", _("Reviewer assigned")
    AUDIT_SELECTED = "audit_selected", _("Selected for evidence audit")
    INFORMATION_REQUESTED = "information_requested", _("Information requested")
    INFORMATION_PROVIDED = "information_provided", _("Information provided")
    ACCEPTED_FOR_EXAM = "accepted_for_exam", _("Accepted for exam")
    EXAM_PASSED = "exam_passed", _("Exam passed")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    LAPSED = "lapsed", _("Lapsed")
    APPEAL_FILED = "appeal_filed", _("Appeal filed")
    APPEAL_GRANTED = "appeal_granted", _("Appeal granted")
    APPEAL_DISMISSED = "appeal_dismissed", _("Appeal dismissed")


# What the applicant sees in their history (reviewer assignment and audits stay with the committee).
APPLICANT_VISIBLE_ACTIONS = frozenset(EventAction.values) - {EventAction.REVIEWER_ASSIGNED, EventAction.AUDIT_SELECTED}


class ApplicationEvent(WorkflowEvent):
    """One immutable line of an application's history: who did what, when, from which status to which.

    The shared trigger of ``workflows`` (migration 0005) refuses UPDATE and DELETE on this table.
    """

    application = models.ForeignKey(
        LevelApplication, verbose_name=_("application"), on_delete=models.PROTECT, related_name="events"
    )
    action = models.CharField(_("action"), max_length=30, choices=EventAction.choices)
    from_status = models.CharField(_("from"), max_length=30, choices=ApplicationStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=30, choices=ApplicationStatus.choices)

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("application event")
        verbose_name_plural = _("application events")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["application", "created_at"])]

    def __str__(self) -> str:
        return f"{self.get_action_display()} ({self.created_at:%Y-%m-%d %H:%M})"

    @property
    def visible_to_applicant(self) -> bool:
        return self.action in APPLICANT_VISIBLE_ACTIONS


class DocumentKind(models.TextChoices):
    HOURS_EVIDENCE = "hours_evidence", _("Evidence of mentoring hours")
    TRAINING = "training", _("Training certificate")
    EQUIVALENT_TRAINING = "equivalent_training", _("Evidence of equivalent training")
    CONTRIBUTION = "contribution", _("Evidence of contribution to the profession")
    EDUCATION = "education", _("Proof of education (from the profile)")
    INFORMATION = "information", _("Answer to a request for information")
    OTHER = "other", _("Other")


# What an applicant may upload in the draft (education comes from the profile at submission).
APPLICANT_DOCUMENT_KINDS = [
    (value, label) for value, label in DocumentKind.choices
    if value not in (DocumentKind.EDUCATION, DocumentKind.INFORMATION)
]


class ApplicationDocument(models.Model):
    """A private file attached to an application; served only by the permission-checked view."""

    application = models.ForeignKey(
        LevelApplication, verbose_name=_("application"), on_delete=models.CASCADE, related_name="documents"
    )
    kind = models.CharField(_("kind"), max_length=30, choices=DocumentKind.choices)
    file = models.FileField(_("file"), storage=private_storage, upload_to=private_upload_to("applications"))
    original_name = models.CharField(_("file name"), max_length=255)
    content_kind = models.CharField(_("content"), max_length=10)
    size = models.PositiveIntegerField(_("size in bytes"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        verbose_name = _("application document")
        verbose_name_plural = _("application documents")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.original_name}"


class AppealDecision(models.TextChoices):
    PENDING = "pending", _("Pending")
    GRANTED = "granted", _("Granted: the application is reviewed again")
    DISMISSED = "dismissed", _("Dismissed: the rejection stands")


class Appeal(models.Model):
    """The one appeal an applicant may file against a rejection, decided by a different reviewer."""

    application = models.OneToOneField(
        LevelApplication, verbose_name=_("application"), on_delete=models.PROTECT, related_name="appeal"
    )
    statement = models.TextField(_("statement"))
    filed_at = models.DateTimeField(_("filed at"), default=timezone.now)
    rejected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("rejected by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("appeal reviewer"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="assigned_appeals",
    )
    decision = models.CharField(
        _("decision"), max_length=20, choices=AppealDecision.choices, default=AppealDecision.PENDING, db_index=True
    )
    decision_reason = models.TextField(_("reasons for the decision"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")
        ordering = ["-filed_at"]
        constraints = [
            models.CheckConstraint(condition=~Q(reviewer=F("rejected_by")), name="accreditation_appeal_other_reviewer"),
            models.CheckConstraint(condition=~Q(decided_by=F("rejected_by")), name="accreditation_appeal_other_decider"),
        ]

    def __str__(self) -> str:
        return _("Appeal against %(number)s") % {"number": self.application.number}
