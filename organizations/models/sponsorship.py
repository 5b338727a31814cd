"""An organization paying for, and following the progress of, the people it employs."""

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from organizations.models.organization import Organization
from payments.models import InvoiceKind
from workflows.models import Workflow, WorkflowEvent


class SponsorshipStatus(models.TextChoices):
    INVITED = "invited", _("Invited")
    ACTIVE = "active", _("Active")
    ENDED = "ended", _("Ended")
    WITHDRAWN = "withdrawn", _("Invitation withdrawn")


OPEN_SPONSORSHIP = [SponsorshipStatus.INVITED, SponsorshipStatus.ACTIVE]

# What the organization may choose to pay for, and the invoice kinds each choice covers. The fast
# track has no fee of its own: its candidates' seat at the Senior Mentor exam is an exam fee.
COVERS = {
    "covers_accreditation": (InvoiceKind.ACCREDITATION,),
    "covers_exams": (InvoiceKind.EXAM, InvoiceKind.EXAM_RETAKE),
    "covers_events": (InvoiceKind.EVENT,),
    "covers_renewals": (InvoiceKind.RENEWAL,),
}
# What the employee may choose to show; nothing else (documents, evidence, hours, scores, notes) ever is.
SHARES = ("shares_stage", "shares_applications", "shares_exams", "shares_certificates")


class Sponsorship(Workflow):
    """One employee sponsored by one organization: invited by address, accepted by that verified address."""

    TRANSITIONS: ClassVar[dict] = {
        SponsorshipStatus.INVITED: frozenset({SponsorshipStatus.ACTIVE, SponsorshipStatus.WITHDRAWN}),
        SponsorshipStatus.ACTIVE: frozenset({SponsorshipStatus.ENDED}),
        SponsorshipStatus.ENDED: frozenset(),
        SponsorshipStatus.WITHDRAWN: frozenset(),
    }

    organization = models.ForeignKey(
        Organization, verbose_name=_("organization"), on_delete=models.CASCADE, related_name="sponsorships"
    )
    email = models.EmailField(_("invited address"))
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("invited by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    invited_at = models.DateTimeField(_("invited at"), default=timezone.now)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("sponsored person"), null=True, blank=True,
        on_delete=models.CASCADE, related_name="sponsorships",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=SponsorshipStatus.choices, default=SponsorshipStatus.INVITED,
        db_index=True,
    )
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    covers_accreditation = models.BooleanField(_("pays accreditation fees"), default=True)
    covers_exams = models.BooleanField(_("pays exam fees (including the fast track's exam)"), default=True)
    covers_events = models.BooleanField(_("pays event registrations"), default=False)
    covers_renewals = models.BooleanField(_("pays certificate renewals"), default=False)
    shares_stage = models.BooleanField(_("my stage on my path"), default=True)
    shares_applications = models.BooleanField(_("my applications' status"), default=False)
    shares_exams = models.BooleanField(_("whether my exam is booked or passed"), default=False)
    shares_certificates = models.BooleanField(_("my certificate's level and dates"), default=False)

    class Meta:
        verbose_name = _("sponsorship")
        verbose_name_plural = _("sponsorships")
        ordering = ["organization", "email", "pk"]
        constraints = [
            models.UniqueConstraint(
                "organization", Lower("email"), condition=Q(status__in=OPEN_SPONSORSHIP),
                name="organizations_sponsorship_invited_once",
            ),
            # One employer pays for a person at a time, so "who pays this fee" has one answer.
            models.UniqueConstraint(
                fields=["person"], condition=Q(status=SponsorshipStatus.ACTIVE),
                name="organizations_sponsorship_one_active_per_person",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization}: {self.email}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_SPONSORSHIP

    def covered_kinds(self) -> set[str]:
        return {kind for field, kinds in COVERS.items() if getattr(self, field) for kind in kinds}


class SponsorshipEvent(WorkflowEvent):
    sponsorship = models.ForeignKey(
        Sponsorship, verbose_name=_("sponsorship"), on_delete=models.PROTECT, related_name="events"
    )

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("sponsorship event")
        verbose_name_plural = _("sponsorship events")
