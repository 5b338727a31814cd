"""The yearly report each accredited programme files in the portal."""

from typing import ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from organizations.models.programme import ProgrammeApplication
from workflows.models import Workflow


class ReportStatus(models.TextChoices):
    DUE = "due", _("Due")
    LATE = "late", _("Late")
    FILED = "filed", _("Filed")


class AnnualReport(Workflow):
    """The report for one accreditation year; the row is opened by the beat job when that year ends.

    The unique (application, year) pair is what makes the job safe to run twice. Its moves are written to
    the application's history (``ApplicationEvent``).
    """

    TRANSITIONS: ClassVar[dict[str, frozenset[str]]] = {
        ReportStatus.DUE: frozenset({ReportStatus.LATE, ReportStatus.FILED}),
        ReportStatus.LATE: frozenset({ReportStatus.FILED}),
        ReportStatus.FILED: frozenset(),
    }

    application = models.ForeignKey(
        ProgrammeApplication, verbose_name=_("accreditation"), on_delete=models.PROTECT, related_name="reports"
    )
    year = models.PositiveSmallIntegerField(_("accreditation year"))
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    due_on = models.DateField(_("due on"))
    status = models.CharField(
        _("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.DUE, db_index=True
    )
    active_pairs = models.PositiveIntegerField(_("active mentoring pairs at the end of the year"), null=True)
    pairs_started = models.PositiveIntegerField(_("pairs started during the year"), null=True)
    retention_percent = models.PositiveSmallIntegerField(
        _("retention (%)"), null=True, validators=[MaxValueValidator(100)],
        help_text=_("Of the pairs that started, the share that completed or are still active."),
    )
    outcomes = models.TextField(_("outcomes"), blank=True, help_text=_("What changed for mentees and mentors."))
    changes = models.TextField(_("changes to the programme"), blank=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("filed by"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    filed_at = models.DateTimeField(_("filed at"), null=True, blank=True)
    flagged_late_at = models.DateTimeField(_("flagged late at"), null=True, blank=True)
    created_at = models.DateTimeField(_("opened at"), default=timezone.now)

    class Meta:
        verbose_name = _("annual report")
        verbose_name_plural = _("annual reports")
        ordering = ["due_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["application", "year"], name="organizations_one_report_per_year"),
            models.CheckConstraint(
                condition=Q(retention_percent__isnull=True) | Q(retention_percent__lte=100),
                name="organizations_report_retention_percent",
            ),
            models.CheckConstraint(
                condition=~Q(status=ReportStatus.FILED) | Q(filed_at__isnull=False, active_pairs__isnull=False),
                name="organizations_filed_report_complete",
            ),
        ]

    def __str__(self) -> str:
        return _("%(number)s, year %(year)s") % {"number": self.application.number, "year": self.year}

    @property
    def is_open(self) -> bool:
        return self.status != ReportStatus.FILED
