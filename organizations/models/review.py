"""The standards programmes are scored against, the reviewers' scores, and the conditions of a decision."""

from typing import ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from organizations.models.programme import ProgrammeApplication
from workflows.models import Workflow

SCORE_MAX = 4


class CriterionQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class Criterion(models.Model):
    """One standard a programme is scored on (0-4); staff maintain the set in the admin."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    guidance = models.TextField(
        _("guidance for reviewers"), blank=True, help_text=_("What a 0, a 2 and a 4 look like.")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(
        _("in use"), default=True,
        help_text=_("Retired criteria keep their past scores but are not asked for in new reviews."),
    )

    objects = CriterionQuerySet.as_manager()

    class Meta:
        verbose_name = _("standard (criterion)")
        verbose_name_plural = _("standards (criteria)")
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.name


class ReviewQuerySet(models.QuerySet):
    def submitted(self):
        return self.filter(submitted_at__isnull=False)


class Review(models.Model):
    """One reviewer's scoring of one application; blind to the other reviews until all required are in."""

    application = models.ForeignKey(
        ProgrammeApplication, verbose_name=_("application"), on_delete=models.PROTECT, related_name="reviews"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reviewer"), on_delete=models.PROTECT,
        related_name="programme_reviews",
    )
    summary = models.TextField(_("overall comment"), blank=True)
    assigned_at = models.DateTimeField(_("assigned at"), default=timezone.now)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)

    objects = ReviewQuerySet.as_manager()

    class Meta:
        verbose_name = _("programme review")
        verbose_name_plural = _("programme reviews")
        ordering = ["application", "assigned_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["application", "reviewer"], name="organizations_one_review_per_reviewer"),
        ]

    def __str__(self) -> str:
        return _("%(number)s reviewed by %(reviewer)s") % {"number": self.application.number, "reviewer": self.reviewer}

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None


class Score(models.Model):
    """A reviewer's 0-4 score of one criterion, with a comment."""

    review = models.ForeignKey(Review, verbose_name=_("review"), on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, verbose_name=_("criterion"), on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField(
        _("score (0-4)"), null=True, blank=True, validators=[MaxValueValidator(SCORE_MAX)]
    )
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        ordering = ["review", "criterion__position", "criterion__code"]
        constraints = [
            models.UniqueConstraint(fields=["review", "criterion"], name="organizations_score_once_per_criterion"),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=0, score__lte=SCORE_MAX),
                name="organizations_score_0_to_4",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {'—' if self.score is None else self.score}"


class ConditionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ANSWERED = "answered", _("Answered, awaiting the committee")
    MET = "met", _("Met")


class Condition(Workflow):
    """Something the organization must do by a date for a conditional accreditation to become full.

    Its moves are written to the application's history (``ApplicationEvent``), not to a table of its own.
    """

    TRANSITIONS: ClassVar[dict[str, frozenset[str]]] = {
        ConditionStatus.OPEN: frozenset({ConditionStatus.ANSWERED}),
        # The committee accepts the answer, or returns it with a note.
        ConditionStatus.ANSWERED: frozenset({ConditionStatus.MET, ConditionStatus.OPEN}),
        ConditionStatus.MET: frozenset(),
    }

    application = models.ForeignKey(
        ProgrammeApplication, verbose_name=_("application"), on_delete=models.PROTECT, related_name="conditions"
    )
    text = models.TextField(_("condition"))
    due_on = models.DateField(_("due on"))
    status = models.CharField(
        _("status"), max_length=20, choices=ConditionStatus.choices, default=ConditionStatus.OPEN, db_index=True
    )
    response = models.TextField(_("the organization's answer"), blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("answered by"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    responded_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    committee_note = models.TextField(_("committee note"), blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("accepted by"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    overdue_flagged_at = models.DateTimeField(_("flagged as overdue at"), null=True, blank=True)

    class Meta:
        verbose_name = _("condition")
        verbose_name_plural = _("conditions")
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.text[:80]

    @property
    def is_overdue(self) -> bool:
        return self.status == ConditionStatus.OPEN and self.due_on < timezone.localdate()
