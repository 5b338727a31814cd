"""Continuing Certification Requirements: PDU claims toward a certificate period, and renewals."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from certificates.models.certificates import Certificate
from documents.storage import private_storage, private_upload_to
from workflows.models import Workflow, WorkflowEvent


class PDUCategory(models.TextChoices):
    EDUCATION = "education", _("Education: courses, workshops, conferences")
    SUPERVISION = "supervision", _("Supervision and reflective practice")
    GIVING_BACK = "giving_back", _("Giving back: teaching, writing, volunteering for the profession")


class PDUClaimStatus(models.TextChoices):
    IN_AUDIT = "in_audit", _("Selected for audit")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


PS = PDUClaimStatus
# A claim is approved on submission unless the random draw sends it to the committee's audit.
PDU_TRANSITIONS: dict[str, frozenset[str]] = {
    "": frozenset({PS.APPROVED, PS.IN_AUDIT}),
    PS.IN_AUDIT: frozenset({PS.APPROVED, PS.REJECTED, PS.WITHDRAWN}),
    PS.APPROVED: frozenset(),
    PS.REJECTED: frozenset(),
    PS.WITHDRAWN: frozenset(),
}


class PDUClaim(Workflow):
    """Professional development the holder claims toward the requirement of one certificate period."""

    certificate = models.ForeignKey(
        Certificate, verbose_name=_("certificate"), on_delete=models.PROTECT, related_name="pdu_claims"
    )
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("holder"), on_delete=models.PROTECT, related_name="pdu_claims"
    )
    activity = models.CharField(_("activity"), max_length=200)
    provider = models.CharField(_("provider"), max_length=200)
    activity_date = models.DateField(_("date"))
    hours = models.DecimalField(_("hours (PDUs)"), max_digits=5, decimal_places=1, help_text=_("One hour is one PDU."))
    category = models.CharField(_("category"), max_length=20, choices=PDUCategory.choices)
    evidence = models.FileField(_("evidence"), storage=private_storage, upload_to=private_upload_to("pdu-evidence"))
    evidence_name = models.CharField(_("evidence file name"), max_length=255)
    evidence_kind = models.CharField(_("evidence content"), max_length=10)
    status = models.CharField(_("status"), max_length=12, choices=PDUClaimStatus.choices, db_index=True)
    audit_selected = models.BooleanField(_("selected for audit"), default=False)
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    decision_note = models.TextField(_("reasons"), blank=True)

    TRANSITIONS = PDU_TRANSITIONS

    class Meta:
        verbose_name = _("PDU claim")
        verbose_name_plural = _("PDU claims")
        ordering = ["-submitted_at", "-pk"]
        permissions = [("audit_pduclaim", "Can audit PDU claims (approve or reject)")]
        indexes = [models.Index(fields=["certificate", "status"], name="certs_pdu_cert_status_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(hours__gt=0), name="certificates_pdu_hours_positive"),
            models.CheckConstraint(
                condition=Q(status__in=[status.value for status in PDUClaimStatus]), name="certificates_pdu_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(decision_note=""), name="certificates_pdu_rejection_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.activity} ({self.hours} h)"


class PDUAudit(PDUClaim):
    """The committee's queue: the claims drawn for audit (the admin lists only those in audit)."""

    class Meta:
        proxy = True
        verbose_name = _("PDU audit")
        verbose_name_plural = _("PDU audit queue")


class PDUClaimEvent(WorkflowEvent):
    claim = models.ForeignKey(PDUClaim, verbose_name=_("claim"), on_delete=models.PROTECT, related_name="events")
    from_status = models.CharField(_("from"), max_length=12, choices=PDUClaimStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=12, choices=PDUClaimStatus.choices)

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("PDU claim event")
        verbose_name_plural = _("PDU claim events")


class RenewalStatus(models.TextChoices):
    AWAITING_PAYMENT = "awaiting_payment", _("Awaiting the renewal fee")
    UNDER_REVIEW = "under_review", _("Under review")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


RS = RenewalStatus
RENEWAL_TRANSITIONS: dict[str, frozenset[str]] = {
    "": frozenset({RS.AWAITING_PAYMENT}),
    RS.AWAITING_PAYMENT: frozenset({RS.UNDER_REVIEW, RS.WITHDRAWN, RS.REJECTED}),
    RS.UNDER_REVIEW: frozenset({RS.APPROVED, RS.REJECTED}),
    RS.APPROVED: frozenset(),
    RS.REJECTED: frozenset(),
    RS.WITHDRAWN: frozenset(),
}
RENEWAL_OPEN_STATUSES = (RS.AWAITING_PAYMENT, RS.UNDER_REVIEW)


class Renewal(Workflow):
    """A holder's application to renew one certificate, from the fee to the committee's decision."""

    certificate = models.ForeignKey(
        Certificate, verbose_name=_("certificate"), on_delete=models.PROTECT, related_name="renewals"
    )
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("holder"), on_delete=models.PROTECT, related_name="renewals"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=RenewalStatus.choices, default=RenewalStatus.AWAITING_PAYMENT,
        db_index=True,
    )
    pdu_hours = models.DecimalField(_("approved PDUs when applying"), max_digits=6, decimal_places=1)
    pdu_required = models.PositiveSmallIntegerField(_("PDUs required"))
    applied_at = models.DateTimeField(_("applied at"), default=timezone.now)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    decision_note = models.TextField(_("reasons"), blank=True)
    new_certificate = models.OneToOneField(
        Certificate, verbose_name=_("new certificate"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="issued_by_renewal",
    )

    TRANSITIONS = RENEWAL_TRANSITIONS

    class Meta:
        verbose_name = _("renewal")
        verbose_name_plural = _("renewals")
        ordering = ["-applied_at", "-pk"]
        permissions = [("decide_renewal", "Can approve or reject certificate renewals")]
        constraints = [
            models.UniqueConstraint(
                fields=["certificate"], condition=Q(status__in=RENEWAL_OPEN_STATUSES),
                name="certificates_one_open_renewal",
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(decision_note=""), name="certificates_renewal_rejection_has_reason"
            ),
            models.CheckConstraint(
                condition=~Q(status="approved") | Q(new_certificate__isnull=False),
                name="certificates_renewal_approved_has_certificate",
            ),
        ]

    def __str__(self) -> str:
        return _("Renewal of %(number)s") % {"number": self.certificate.number}

    @property
    def is_open(self) -> bool:
        return self.status in RENEWAL_OPEN_STATUSES

    @property
    def payment_reference(self) -> str:
        return f"renewal:{self.pk}"


class RenewalEvent(WorkflowEvent):
    renewal = models.ForeignKey(Renewal, verbose_name=_("renewal"), on_delete=models.PROTECT, related_name="events")
    from_status = models.CharField(_("from"), max_length=20, choices=RenewalStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=20, choices=RenewalStatus.choices)

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("renewal event")
        verbose_name_plural = _("renewal events")
