"""What the committee publishes: expert profiles (used by events and publications) and, later, pages."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Expert(models.Model):
    """A person the body presents: a speaker at its events, an author of its publications."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    affiliation = models.CharField(_("affiliation"), max_length=200, blank=True)
    bio = models.TextField(_("biography"), blank=True)
    photo = models.ImageField(_("photo"), upload_to="experts/%Y/", blank=True)

    class Meta:
        verbose_name = _("expert")
        verbose_name_plural = _("experts")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
