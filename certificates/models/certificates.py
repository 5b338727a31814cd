"""Certificates and their immutable history."""

import datetime
import secrets

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from documents.storage import private_storage, private_upload_to
from workflows.models import Workflow, WorkflowEvent
from workflows.search import vector


class CertificateKind(models.TextChoices):
    INDIVIDUAL = "individual", _("Individual mentor")
    PROGRAMME = "programme", _("Mentoring programme")


class CertificateStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    EXPIRED = "expired", _("Expired")
    REVOKED = "revoked", _("Revoked")
    SUPERSEDED = "superseded", _("Superseded")


CS = CertificateStatus
# Only ``certificates.services`` moves a certificate along an edge of this table.
CERTIFICATE_TRANSITIONS: dict[str, frozenset[str]] = {
    CS.ACTIVE: frozenset({CS.EXPIRED, CS.REVOKED, CS.SUPERSEDED}),
    # An expired certificate is superseded when it is renewed within the grace period.
    CS.EXPIRED: frozenset({CS.REVOKED, CS.SUPERSEDED}),
    CS.REVOKED: frozenset(),
    CS.SUPERSEDED: frozenset(),
}


def badge_salt_new() -> str:
    return secrets.token_hex(16)


class CertificateQuerySet(models.QuerySet):
    def individual(self):
        return self.filter(kind=CertificateKind.INDIVIDUAL)

    def for_list(self):
        """What a list of certificates shows: the level and the holder, in the same query."""
        return self.select_related("level", "holder")

    def expiring_within(self, days: int, *, today: datetime.date):
        return self.filter(
            status=CertificateStatus.ACTIVE, expires_on__gte=today, expires_on__lte=today + datetime.timedelta(days=days)
        )

    def without_pdf(self):
        return self.filter(pdf="")


class Certificate(Workflow):
    """One certificate period: a person's level (or an organization's programme), from issue to expiry."""

    # "IPMA-SM-2026-000123": from the database sequence of migration 0002; printed and quoted everywhere.
    number = models.CharField(_("number"), max_length=32, unique=True, editable=False)
    kind = models.CharField(
        _("kind"), max_length=12, choices=CertificateKind.choices, default=CertificateKind.INDIVIDUAL
    )
    level = models.ForeignKey(
        "accreditation.Level", verbose_name=_("level"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="certificates",
    )
    programme_name = models.CharField(_("programme"), max_length=200, blank=True)
    legal_name = models.CharField(
        _("name on the certificate"), max_length=200,
        help_text=_("The holder's legal name, or the organization's name for a programme."),
    )
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("holder"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="certificates",
    )
    # A plain reference, so that certificates do not depend on the organizations app.
    organization_id = models.PositiveBigIntegerField(_("organization id"), null=True, blank=True, db_index=True)
    organization_name = models.CharField(_("organization"), max_length=200, blank=True)
    issued_on = models.DateField(_("issued on"))
    valid_from = models.DateField(_("valid from"))
    expires_on = models.DateField(_("expires on"), help_text=_("The first day on which it is no longer valid."))
    status = models.CharField(
        _("status"), max_length=12, choices=CertificateStatus.choices, default=CertificateStatus.ACTIVE,
        db_index=True,
    )
    status_changed_at = models.DateTimeField(_("status changed at"), default=timezone.now)
    previous = models.ForeignKey(
        "self", verbose_name=_("renews"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="successors",
    )
    source = models.CharField(
        _("issued for"), max_length=100, blank=True,
        help_text=_("The business event it was issued for, e.g. application:12 or renewal:3; one certificate each."),
    )
    revocation_reason = models.TextField(_("reason for revocation"), blank=True)
    pdf = models.FileField(
        _("PDF"), storage=private_storage, upload_to=private_upload_to("certificates"), blank=True, editable=False
    )
    pdf_rendered_at = models.DateTimeField(_("PDF rendered at"), null=True, blank=True)
    # The Open Badges recipient identity is the holder's email hashed with this salt.
    badge_salt = models.CharField(max_length=32, default=badge_salt_new, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    # The committee list's search (workflows.search): the words of the names printed on the certificate.
    search_vector = models.GeneratedField(
        expression=vector("legal_name", "organization_name", "programme_name"),
        output_field=SearchVectorField(), db_persist=True,
    )

    TRANSITIONS = CERTIFICATE_TRANSITIONS

    objects = CertificateQuerySet.as_manager()

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-issued_on", "-pk"]
        permissions = [
            ("revoke_certificate", "Can revoke a certificate"),
            ("render_certificate", "Can render a certificate's PDF again"),
        ]
        indexes = [
            models.Index(fields=["status", "expires_on"], name="certs_status_expiry_idx"),
            models.Index(fields=["created_at"], condition=Q(pdf=""), name="certs_pdf_missing_idx"),
            GinIndex(fields=["search_vector"], name="certs_search_idx"),
            # A number's start ("IPMA-AM-2023") found by LIKE 'IPMA-AM-2023%'; the unique index cannot serve it.
            models.Index(fields=["number"], name="certs_number_prefix_idx", opclasses=["varchar_pattern_ops"]),
            # The committee's list, newest first, read a page at a time (scanned backwards).
            models.Index(fields=["issued_on", "id"], name="certs_issued_on_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["source"], condition=~Q(source=""), name="certificates_one_per_source"
            ),
            models.UniqueConstraint(
                fields=["holder", "level"], condition=Q(status="active"),
                name="certificates_one_active_per_holder_level",
            ),
            models.UniqueConstraint(
                fields=["organization_id", "programme_name"], condition=Q(status="active"),
                name="certificates_one_active_per_programme",
            ),
            models.CheckConstraint(
                condition=(
                    Q(kind="individual", holder__isnull=False, level__isnull=False, programme_name="",
                      organization_id__isnull=True)
                    | (Q(kind="programme", holder__isnull=True, level__isnull=True, organization_id__isnull=False)
                       & ~Q(programme_name=""))
                ),
                name="certificates_kind_fields",
            ),
            models.CheckConstraint(condition=Q(expires_on__gt=models.F("valid_from")), name="certificates_period"),
            models.CheckConstraint(
                condition=Q(status__in=[status.value for status in CertificateStatus]), name="certificates_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status="revoked") | ~Q(revocation_reason=""), name="certificates_revocation_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} · {self.legal_name}"

    @property
    def is_programme(self) -> bool:
        return self.kind == CertificateKind.PROGRAMME

    @property
    def title(self) -> str:
        """What the certificate certifies: the level's name, or the programme's."""
        return self.programme_name if self.is_programme else self.level.name

    @property
    def grace_ends_on(self) -> datetime.date:
        """The last day on which an expired certificate may still be renewed is the day before this."""
        return self.expires_on + datetime.timedelta(days=settings.CERTIFICATES_GRACE_DAYS)


class CertificateEvent(WorkflowEvent):
    certificate = models.ForeignKey(
        Certificate, verbose_name=_("certificate"), on_delete=models.PROTECT, related_name="events"
    )
    from_status = models.CharField(_("from"), max_length=12, choices=CertificateStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=12, choices=CertificateStatus.choices)

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("certificate event")
        verbose_name_plural = _("certificate events")
        indexes = [models.Index(fields=["certificate", "created_at"])]
