"""The public directory's entries for individual mentors: opt-in, and only while their certificate is valid."""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from applicants.models import language_choices
from organizations.models.organization import Sector, search_vector


def listing_search_vector(prefix: str = "") -> SearchVector:
    return search_vector("display_name", "headline", "profile", "city", prefix=prefix)


class DirectoryListing(models.Model):
    """A mentor's public profile. It is shown while ``opted_in`` and the mentor's certificate is valid.

    The certificate is looked up live (``certificates.selectors``) on every directory query, never copied
    here, so an expired or revoked certificate removes the entry at once.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("mentor"), on_delete=models.CASCADE, related_name="directory_listing"
    )
    opted_in = models.BooleanField(
        _("show me in the public directory"), default=False,
        help_text=_("Visitors see your name, level, place, languages, sectors and profile; never your email."),
    )
    display_name = models.CharField(_("name shown"), max_length=200)
    headline = models.CharField(_("headline"), max_length=150, blank=True, help_text=_("One line about you."))
    profile = models.TextField(_("short profile"), max_length=1500, blank=True)
    country = CountryField(_("country"), blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    languages = ArrayField(
        models.CharField(max_length=10, choices=language_choices), verbose_name=_("languages"),
        default=list, blank=True,
    )
    sectors = ArrayField(
        models.CharField(max_length=20, choices=Sector.choices), verbose_name=_("sectors"), default=list, blank=True,
    )
    accepts_contact = models.BooleanField(
        _("visitors may write to me through the directory"), default=True,
        help_text=_("Messages are forwarded to you by email; your address is never shown."),
    )
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        verbose_name = _("directory listing")
        verbose_name_plural = _("directory listings")
        ordering = ["display_name", "pk"]
        indexes = [
            GinIndex(listing_search_vector(), name="organizations_listing_search"),
            GinIndex(fields=["languages"], name="organizations_listing_langs"),
            GinIndex(fields=["sectors"], name="organizations_listing_sectors"),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def language_names(self) -> list[str]:
        names = dict(language_choices())
        return [str(names.get(code, code)) for code in self.languages]

    @property
    def sector_labels(self) -> list[str]:
        return [Sector(value).label for value in self.sectors if value in Sector.values]


class DirectoryMessage(models.Model):
    """A visitor's message to a mentor, relayed by the outbox (the record of what was sent, and to whom)."""

    listing = models.ForeignKey(
        DirectoryListing, verbose_name=_("mentor"), on_delete=models.CASCADE, related_name="messages"
    )
    sender_name = models.CharField(_("your name"), max_length=200)
    sender_email = models.EmailField(_("your email address"))
    body = models.TextField(_("message"), max_length=3000)
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        verbose_name = _("directory message")
        verbose_name_plural = _("directory messages")
        ordering = ["-sent_at"]

    def __str__(self) -> str:
        return f"{self.sender_name} → {self.listing}"
