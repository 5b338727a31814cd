"""Organizations and their staff (the staff mechanism shared with the QTSPs, from ``staff``)."""

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import models
from django.db.models import F, Func
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from staff.models import StaffInvitation, StaffMembership

# The directory's full-text search uses exactly these expressions, so PostgreSQL can use the GIN indexes. The text is
# indexed word for word ("simple": no stemming, no stop words), so that every start of a word can be looked up;
# English stemming only widens what a visitor typed (organizations.selectors).
SEARCH_CONFIG = "simple"
SEARCH_STEMMING_CONFIG = "english"


class SearchFold(Func):
    """The text without accents and in its compatibility forms ("Lucía" → "Lucia", "Straße" → "Strasse"), by the
    immutable SQL function of migration 0008, so that it can be indexed. PostgreSQL's ``unaccent`` would do it,
    but it is not in every PostgreSQL the portal runs on (the embedded one has no contrib extensions)."""

    function = "search_fold"
    output_field = models.TextField()


def search_vector(*columns: str, prefix: str = "") -> SearchVector:
    """The folded words of ``columns`` (of the model at ``prefix``), as the indexes of the directory hold them."""
    return SearchVector(*(SearchFold(F(f"{prefix}{column}")) for column in columns), config=SEARCH_CONFIG)


def organization_search_vector(prefix: str = "") -> SearchVector:
    return search_vector("legal_name", "city", prefix=prefix)


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
