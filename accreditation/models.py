from django.db import models
from django.utils.translation import gettext_lazy as _

from applicants.models import EducationLevel


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

    class Meta:
        verbose_name = _("level")
        verbose_name_plural = _("levels")
        ordering = ["rank"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"
