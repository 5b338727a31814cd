"""The body's publications (Connect, The Link), their issues and articles, and the curated research library."""

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from content.models import Expert
from documents.storage import private_storage, private_upload_to


class Publication(models.Model):
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True, help_text=_("Markdown."))
    position = models.PositiveSmallIntegerField(_("position"), default=100)

    class Meta:
        verbose_name = _("publication")
        verbose_name_plural = _("publications")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("publications:publication", kwargs={"slug": self.slug})


class IssueQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True, published_on__lte=timezone.localdate())


class Issue(models.Model):
    publication = models.ForeignKey(Publication, verbose_name=_("publication"), on_delete=models.PROTECT,
                                    related_name="issues")
    number = models.PositiveIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=200, blank=True)
    published_on = models.DateField(_("date"), default=timezone.localdate)
    is_published = models.BooleanField(_("published"), default=False)
    cover = models.ImageField(_("cover"), upload_to="publications/covers/%Y/", blank=True)
    cover_text = models.CharField(_("cover description"), max_length=200, blank=True,
                                  help_text=_("What the cover shows, for people who cannot see it."))
    # The whole issue as a PDF is for members, like the members-only articles in it.
    pdf = models.FileField(_("PDF of the issue (members only)"), storage=private_storage,
                           upload_to=private_upload_to("publications/issues"), blank=True)

    objects = IssueQuerySet.as_manager()

    class Meta:
        verbose_name = _("issue")
        verbose_name_plural = _("issues")
        ordering = ["publication", "-number"]
        constraints = [models.UniqueConstraint(fields=["publication", "number"], name="publications_issue_number")]

    def __str__(self) -> str:
        return _("%(publication)s, issue %(number)s") % {"publication": self.publication.name, "number": self.number}

    def get_absolute_url(self) -> str:
        return reverse("publications:issue", kwargs={"slug": self.publication.slug, "number": self.number})


class ArticleQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True, issue__is_published=True, issue__published_on__lte=timezone.localdate())


class Article(models.Model):
    """An article: its abstract is public; its body is public or for members with a valid membership."""

    issue = models.ForeignKey(Issue, verbose_name=_("issue"), on_delete=models.PROTECT, related_name="articles")
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    title = models.CharField(_("title"), max_length=300)
    abstract = models.TextField(_("abstract"), help_text=_("Markdown. Everyone sees the abstract."))
    body = models.TextField(_("body"), help_text=_("Markdown."))
    members_only = models.BooleanField(_("members only"), default=True,
                                       help_text=_("Only members with a valid membership read the body."))
    authors = models.ManyToManyField(Expert, verbose_name=_("authors"), blank=True, related_name="articles")
    # The curriculum's topics (exams.Topic); a string reference, so this app imports nothing from exams.
    topics = models.ManyToManyField("exams.Topic", verbose_name=_("topics"), blank=True, related_name="+")
    position = models.PositiveSmallIntegerField(_("position in the issue"), default=100)
    is_published = models.BooleanField(_("published"), default=False)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        ordering = ["issue", "position", "pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("publications:article", kwargs={"slug": self.slug})


class ResearchQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)


class Research(models.Model):
    """A curated piece of research in the library: who wrote it, when, where to read it, and a summary."""

    title = models.CharField(_("title"), max_length=300)
    authors = models.CharField(_("authors"), max_length=500)
    year = models.PositiveSmallIntegerField(_("year"))
    url = models.URLField(_("link"), blank=True)
    pdf = models.FileField(_("PDF"), upload_to="publications/research/%Y/", blank=True,
                           help_text=_("Only a paper the body may publish; it is public."))
    summary = models.TextField(_("summary"), help_text=_("Markdown."))
    topics = models.ManyToManyField("exams.Topic", verbose_name=_("topics"), blank=True, related_name="+")
    is_published = models.BooleanField(_("published"), default=True)
    added_at = models.DateTimeField(_("added at"), default=timezone.now)

    objects = ResearchQuerySet.as_manager()

    class Meta:
        verbose_name = _("research item")
        verbose_name_plural = _("research library")
        ordering = ["-year", "title"]

    def __str__(self) -> str:
        return f"{self.title} ({self.year})"
