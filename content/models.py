"""What the committee publishes as pages: expert profiles, pages, the FAQ, the leadership and contact messages."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
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


class NavGroup(models.TextChoices):
    """The header menu a page is listed under (or none)."""

    NONE = "", _("Not in the menus")
    ABOUT = "about", _("About")
    ACCREDITATION = "accreditation", _("Accreditation")
    PARTNERS = "partners", _("Partners and organizations")


class PageQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Page.Status.PUBLISHED)


class Page(models.Model):
    """A public page written in Markdown, one version per language (title and body are translated fields)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    slug = models.SlugField(_("slug"), max_length=100, unique=True, help_text=_("The page's address: /pages/<slug>/."))
    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    body = models.TextField(
        _("body"), blank=True,
        help_text=_("Markdown. Raw HTML is removed when the page is shown; use Markdown for links and emphasis."),
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT, db_index=True)
    nav_group = models.CharField(_("menu"), max_length=20, choices=NavGroup.choices, blank=True, default="")
    nav_order = models.PositiveSmallIntegerField(_("position in the menu"), default=100)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = PageQuerySet.as_manager()

    class Meta:
        verbose_name = _("page")
        verbose_name_plural = _("pages")
        ordering = ["nav_group", "nav_order", "slug"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("content:page", kwargs={"slug": self.slug})


class FaqGroup(models.Model):
    """A heading of the FAQ page; its slug is the anchor of the group."""

    slug = models.SlugField(_("anchor"), max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=200)
    position = models.PositiveSmallIntegerField(_("position"), default=100)

    class Meta:
        verbose_name = _("FAQ group")
        verbose_name_plural = _("FAQ groups")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.title


class FaqEntry(models.Model):
    """One question and its answer (Markdown); ``slug`` is its anchor on the FAQ page."""

    group = models.ForeignKey(FaqGroup, verbose_name=_("group"), on_delete=models.CASCADE, related_name="entries")
    slug = models.SlugField(_("anchor"), max_length=80, unique=True)
    question = models.CharField(_("question"), max_length=300)
    answer = models.TextField(_("answer"), help_text=_("Markdown. Raw HTML is removed when the answer is shown."))
    position = models.PositiveSmallIntegerField(_("position"), default=100)
    published = models.BooleanField(_("published"), default=False)

    class Meta:
        verbose_name = _("FAQ entry")
        verbose_name_plural = _("FAQ entries")
        ordering = ["group__position", "position", "pk"]

    def __str__(self) -> str:
        return self.question


class LeadershipRole(models.TextChoices):
    PRESIDENT = "president", _("President")
    PRESIDENT_ELECT = "president-elect", _("President-Elect")
    SECRETARY_TREASURER = "secretary-treasurer", _("Secretary-Treasurer")
    BOARD = "board", _("Board member")


OFFICER_ROLES = (LeadershipRole.PRESIDENT, LeadershipRole.PRESIDENT_ELECT, LeadershipRole.SECRETARY_TREASURER)


class LeadershipTermQuerySet(models.QuerySet):
    def overlapping(self, starts_on, ends_on):
        """Terms that share at least one day with [starts_on, ends_on]."""
        return self.filter(starts_on__lte=ends_on, ends_on__gte=starts_on)

    def current(self, on=None):
        on = on or timezone.localdate()
        return self.filter(starts_on__lte=on, ends_on__gte=on)


class LeadershipTerm(models.Model):
    """One person's seat on the board, or one officer's term, from a day to a day (both included).

    Every officer also sits on the board, so the board's size counts all terms. Added and changed only
    through ``content.services.leadership_term_save``, which enforces the board's size under a lock.
    """

    name = models.CharField(_("name"), max_length=200)
    expert = models.ForeignKey(
        Expert, verbose_name=_("expert profile"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
    )
    role = models.CharField(_("role"), max_length=30, choices=LeadershipRole.choices, default=LeadershipRole.BOARD)
    affiliation = models.CharField(_("affiliation"), max_length=200, blank=True)
    starts_on = models.DateField(_("term starts on"))
    ends_on = models.DateField(_("term ends on"))

    objects = LeadershipTermQuerySet.as_manager()

    class Meta:
        verbose_name = _("leadership term")
        verbose_name_plural = _("leadership terms")
        ordering = ["-ends_on", "role", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="content_term_ends_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_role_display()}, {self.starts_on:%Y}–{self.ends_on:%Y})"

    @property
    def is_officer(self) -> bool:
        return self.role in OFFICER_ROLES


class ContactTopic(models.TextChoices):
    ACCREDITATION = "accreditation", _("Individual accreditation")
    EXAMS = "exams", _("Exams")
    QTSPS = "qtsps", _("Training partners (QTSPs)")
    ORGANIZATIONS = "organizations", _("Organization accreditation")
    FASTTRACK = "fasttrack", _("Senior Mentor fast track")
    OTHER = "other", _("Something else")


class ContactMessage(models.Model):
    """A message sent through the contact form, kept so the committee can answer and audit it."""

    topic = models.CharField(_("topic"), max_length=20, choices=ContactTopic.choices)
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("email address"))
    subject = models.CharField(_("subject"), max_length=200)
    message = models.TextField(_("message"))
    language = models.CharField(_("language"), max_length=10, default="en")
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("account"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("sent at"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("contact message")
        verbose_name_plural = _("contact messages")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_topic_display()}: {self.subject}"
