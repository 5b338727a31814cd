from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

WEIGHTS_TOTAL = 100


class Topic(models.Model):
    """One of the eight topics of the exam curriculum (data, see migration 0002)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    position = models.PositiveSmallIntegerField(_("position"), unique=True)

    class Meta:
        verbose_name = _("curriculum topic")
        verbose_name_plural = _("curriculum topics")
        ordering = ["position"]

    def __str__(self) -> str:
        return self.name


class ExamBlueprint(models.Model):
    """The exam of one level: how much each topic weighs in its total (the weights sum to 100)."""

    level = models.OneToOneField(
        "accreditation.Level", verbose_name=_("level"), on_delete=models.PROTECT, related_name="exam_blueprint"
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("exam blueprint")
        verbose_name_plural = _("exam blueprints")
        ordering = ["level__rank"]

    def __str__(self) -> str:
        return str(self.level)


def weights_total_check(weights) -> None:
    """Refuse a set of weights that does not add up to 100 (the form and the service share this)."""
    total = sum(weights)
    if total != WEIGHTS_TOTAL:
        raise ValidationError(
            _("The topic weights of a level must add up to 100; these add up to %(total)s."),
            code="weights_total", params={"total": total},
        )


class TopicWeight(models.Model):
    """A topic's share (percent) of a level's exam total.

    That a level's weights sum to 100 spans rows, which a CHECK constraint cannot see; a deferred
    constraint trigger (migration 0001) re-adds them when the transaction commits, so the admin can
    change several rows in one save and the database still refuses any total other than 100.
    """

    blueprint = models.ForeignKey(
        ExamBlueprint, verbose_name=_("blueprint"), on_delete=models.CASCADE, related_name="weights"
    )
    topic = models.ForeignKey(Topic, verbose_name=_("topic"), on_delete=models.PROTECT, related_name="weights")
    weight = models.PositiveSmallIntegerField(_("weight (%)"), validators=[MaxValueValidator(WEIGHTS_TOTAL)])

    class Meta:
        verbose_name = _("topic weight")
        verbose_name_plural = _("topic weights")
        ordering = ["blueprint__level__rank", "topic__position"]
        constraints = [
            models.UniqueConstraint(fields=["blueprint", "topic"], name="exams_topicweight_unique"),
            models.CheckConstraint(condition=Q(weight__lte=WEIGHTS_TOTAL), name="exams_topicweight_at_most_100"),
        ]

    def __str__(self) -> str:
        return f"{self.topic}: {self.weight}%"
