from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from documents.storage import private_storage, private_upload_to
from fasttrack.requirements import Criterion, Group
from workflows.models import Workflow, WorkflowEvent


class Screening(models.TextChoices):
    PENDING = "pending", _("Not screened yet")
    MET = "met", _("Met")
    NOT_MET = "not_met", _("Not met")


class FastTrackApplication(Workflow):
    """A Senior Mentor Elite Fast Track application: CV, claimed criteria with proofs, the committee's decision."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        INFORMATION_REQUESTED = "information_requested", _("Information requested")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    TRANSITIONS: ClassVar[dict] = {
        Status.DRAFT: frozenset({Status.SUBMITTED, Status.WITHDRAWN}),
        Status.SUBMITTED: frozenset({Status.ACCEPTED, Status.REJECTED, Status.INFORMATION_REQUESTED}),
        Status.INFORMATION_REQUESTED: frozenset({Status.SUBMITTED, Status.WITHDRAWN}),
        Status.ACCEPTED: frozenset(),
        Status.REJECTED: frozenset(),
        Status.WITHDRAWN: frozenset(),
    }
    EDITABLE = {Status.DRAFT, Status.INFORMATION_REQUESTED}
    CLOSED = {Status.REJECTED, Status.WITHDRAWN}

    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("applicant"), on_delete=models.PROTECT,
        related_name="fasttrack_applications",
    )
    status = models.CharField(_("status"), max_length=30, choices=Status.choices, default=Status.DRAFT, db_index=True)
    cv = models.FileField(
        _("CV"), storage=private_storage, upload_to=private_upload_to("fasttrack/cv"), blank=True
    )
    cv_name = models.CharField(_("CV file name"), max_length=255, blank=True)
    country = CountryField(_("country"), blank=True)
    city = models.CharField(_("city"), max_length=200, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=8, decimal_places=5, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=8, decimal_places=5, null=True, blank=True)
    created_at = models.DateTimeField(_("started at"), default=timezone.now)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    # The pre-screen as shown to the applicant when they submitted (fasttrack.requirements.prescreen).
    prescreen = models.JSONField(_("pre-screen at submission"), default=dict, blank=True)
    screening_hard = models.CharField(
        _("hard requirements"), max_length=10, choices=Screening.choices, default=Screening.PENDING
    )
    screening_experience = models.CharField(
        _("experience requirements"), max_length=10, choices=Screening.choices, default=Screening.PENDING
    )
    screening_professional = models.CharField(
        _("professional requirements"), max_length=10, choices=Screening.choices, default=Screening.PENDING
    )
    information_request = models.TextField(_("information requested"), blank=True)
    decision_reasons = models.TextField(_("reasons of the decision"), blank=True)

    class Meta:
        verbose_name = _("fast-track application")
        verbose_name_plural = _("fast-track applications")
        ordering = ["-submitted_at", "-created_at"]
        permissions = [
            ("decide_fasttrackapplication", _("Can accept, reject or request information on fast-track applications")),
            ("assign_fasttrackapplication", _("Can assign a QTSP to an accepted fast-track candidate")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["applicant"], condition=~Q(status__in=["rejected", "withdrawn"]),
                name="fasttrack_one_open_application",
            ),
        ]

    def __str__(self) -> str:
        return _("Fast track of %(name)s") % {"name": self.applicant}

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE

    SCREENING_FIELDS = {Group.HARD: "screening_hard", Group.EXPERIENCE: "screening_experience",
                        Group.PROFESSIONAL: "screening_professional"}

    def screening(self) -> dict[str, str]:
        return {group.value: getattr(self, field) for group, field in self.SCREENING_FIELDS.items()}


class CriterionClaim(models.Model):
    """What the applicant says about one criterion, with its proofs."""

    application = models.ForeignKey(
        FastTrackApplication, verbose_name=_("application"), on_delete=models.CASCADE, related_name="claims"
    )
    criterion = models.CharField(_("criterion"), max_length=30, choices=Criterion.choices)
    claimed = models.BooleanField(_("claimed"), default=False)
    years = models.PositiveSmallIntegerField(_("years"), null=True, blank=True)
    details = models.TextField(_("details"), blank=True)

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        constraints = [
            models.UniqueConstraint(fields=["application", "criterion"], name="fasttrack_one_claim_per_criterion"),
        ]

    def __str__(self) -> str:
        return self.get_criterion_display()


class ProofDocument(models.Model):
    claim = models.ForeignKey(CriterionClaim, verbose_name=_("criterion"), on_delete=models.CASCADE, related_name="proofs")
    file = models.FileField(_("file"), storage=private_storage, upload_to=private_upload_to("fasttrack/proofs"))
    original_name = models.CharField(_("file name"), max_length=255)
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        verbose_name = _("proof")
        verbose_name_plural = _("proofs")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name


class FastTrackEvent(WorkflowEvent):
    """One status change (or screening) of an application; the database refuses to change or delete it."""

    application = models.ForeignKey(
        FastTrackApplication, verbose_name=_("application"), on_delete=models.PROTECT, related_name="events"
    )
    from_status = models.CharField(_("from"), max_length=40, choices=FastTrackApplication.Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=40, choices=FastTrackApplication.Status.choices)

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("fast-track event")
        verbose_name_plural = _("fast-track events")

    @property
    def label(self) -> str:
        """The step as the applicant's history names it: the new status, or, for a line that moved nothing
        (the committee's screening, see services.application_screen), what happened."""
        if self.from_status and self.from_status == self.to_status:
            return _("Screened by the committee")
        return self.get_to_status_display()


class Referral(Workflow):
    """An accepted candidate sent to a QTSP, which accepts (and contacts them) or declines."""

    class Status(models.TextChoices):
        OFFERED = "offered", _("Waiting for the QTSP")
        ACCEPTED = "accepted", _("Accepted by the QTSP")
        DECLINED = "declined", _("Declined by the QTSP")
        WITHDRAWN = "withdrawn", _("Withdrawn by the committee")

    TRANSITIONS: ClassVar[dict] = {
        Status.OFFERED: frozenset({Status.ACCEPTED, Status.DECLINED, Status.WITHDRAWN}),
        Status.ACCEPTED: frozenset(),
        Status.DECLINED: frozenset(),
        Status.WITHDRAWN: frozenset(),
    }
    LIVE = (Status.OFFERED, Status.ACCEPTED)

    application = models.ForeignKey(
        FastTrackApplication, verbose_name=_("application"), on_delete=models.CASCADE, related_name="referrals"
    )
    qtsp = models.ForeignKey("partners.QTSP", verbose_name=_("QTSP"), on_delete=models.PROTECT, related_name="referrals")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.OFFERED, db_index=True)
    distance_km = models.PositiveIntegerField(_("distance (km)"), null=True, blank=True)
    was_nearest = models.BooleanField(_("the proposed (nearest) QTSP"), default=False)
    offered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("assigned by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    offered_at = models.DateTimeField(_("assigned at"), default=timezone.now)
    respond_by = models.DateTimeField(_("respond by"))
    responded_at = models.DateTimeField(_("responded at"), null=True, blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("responded by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    response_note = models.TextField(_("note from the QTSP"), blank=True)
    escalated_at = models.DateTimeField(_("escalated to the committee at"), null=True, blank=True)

    class Meta:
        verbose_name = _("QTSP referral")
        verbose_name_plural = _("QTSP referrals")
        ordering = ["-offered_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["application"], condition=Q(status__in=["offered", "accepted"]),
                name="fasttrack_one_live_referral",
            ),
        ]
        indexes = [
            models.Index(fields=["respond_by"], condition=Q(status="offered", escalated_at__isnull=True),
                         name="fasttrack_referral_due_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.application} → {self.qtsp}"


class ReferralEvent(WorkflowEvent):
    """One status change of a referral (or its escalation); the database refuses to change or delete it."""

    referral = models.ForeignKey(Referral, verbose_name=_("referral"), on_delete=models.PROTECT, related_name="events")
    from_status = models.CharField(_("from"), max_length=40, choices=Referral.Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=40, choices=Referral.Status.choices)

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("referral event")
        verbose_name_plural = _("referral events")
