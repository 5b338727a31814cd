"""What the periodic jobs have already done: unique rows make running a job twice harmless."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from certificates.models.certificates import Certificate


class RenewalReminder(models.Model):
    """A renewal reminder sent for one certificate N days before its expiry (once per N)."""

    certificate = models.ForeignKey(
        Certificate, verbose_name=_("certificate"), on_delete=models.CASCADE, related_name="reminders"
    )
    days_before = models.PositiveSmallIntegerField(_("days before expiry"))
    created_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        verbose_name = _("renewal reminder")
        verbose_name_plural = _("renewal reminders")
        constraints = [
            models.UniqueConstraint(fields=["certificate", "days_before"], name="certificates_one_reminder_per_day_count"),
        ]

    def __str__(self) -> str:
        return f"{self.certificate_id} −{self.days_before} d"


class MembershipUpgradeCheck(models.Model):
    """When to look again whether a person may buy the permanent membership upgrade, and whether they were told.

    Membership days grow by at most one a day, so a person ``n`` days short cannot qualify before
    ``n`` days from now: the job looks at them again then, not every day.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.CASCADE, related_name="+"
    )
    next_check_on = models.DateField(_("next check on"), null=True, blank=True, db_index=True,
                                     help_text=_("Empty: never again (told already, or a permanent member)."))
    notified_on = models.DateField(_("told on"), null=True, blank=True)
    checked_at = models.DateTimeField(_("last checked at"), default=timezone.now)

    class Meta:
        verbose_name = _("membership upgrade check")
        verbose_name_plural = _("membership upgrade checks")

    def __str__(self) -> str:
        return str(self.user_id)
