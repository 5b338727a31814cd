"""Organizations and their staff (the staff mechanism shared with the QTSPs, from ``staff``)."""

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from staff.models import StaffInvitation, StaffMembership

# The directory's full-text search uses exactly these expressions, so PostgreSQL can use the GIN indexes.
SEARCH_CONFIG = "english"


def organization_search_vector(prefix: str = "") -> SearchVector:
    return SearchVector(f"{prefix}legal_name", f"{prefix}city", config=SEARCH_CONFIG)


class Sector(models.TextChoices):
    # "in business, government, education, a community setting, or nonprofit" (the sister association's site).
    BUSINESS = "business", _("Business")
    EDUCATION = "education", _("Education")
    GOVERNMENT = "government", _("Government")
    COMMUNITY = "community", _("Community")
    NONPROFIT = "nonprofit", _("Nonprofit")


class Organization(models.Model):
    """An organization that runs mentoring programmes and has them accredited."""

    legal_name = models.CharField(_("legal name"), max_length=200)
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices)
    country = CountryField(_("country"))
    city = models.CharField(_("city"), max_length=200)
    website = models.URLField(_("website"), blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("registered by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    registered_at = models.DateTimeField(_("registered at"), default=timezone.now)

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        ordering = ["legal_name"]
        indexes = [GinIndex(organization_search_vector(), name="organizations_org_search")]

    def __str__(self) -> str:
        return self.legal_name


class OrganizationStaff(StaffMembership):
    organisation = models.ForeignKey(
        Organization, verbose_name=_("organization"), on_delete=models.CASCADE, related_name="staff"
    )

    class Meta(StaffMembership.Meta):
        verbose_name = _("organization staff member")
        verbose_name_plural = _("organization staff")
        ordering = ["organisation", "role", "created_at"]


class OrganizationInvitation(StaffInvitation):
    organisation = models.ForeignKey(
        Organization, verbose_name=_("organization"), on_delete=models.CASCADE, related_name="staff_invitations"
    )

    class Meta(StaffInvitation.Meta):
        verbose_name = _("organization staff invitation")
        verbose_name_plural = _("organization staff invitations")
        ordering = ["-created_at"]
