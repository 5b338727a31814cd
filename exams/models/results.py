from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from exams.models.bookings import Booking
from exams.models.curriculum import Topic


class ExamResult(models.Model):
    """A sitting's outcome: the weighted total of the topic scores against the level's pass mark.

    The weights and the pass mark are copied in when the result is recorded, so a later change of
    the curriculum or of the setting never rewrites a result already given.
    """

    booking = models.OneToOneField(Booking, verbose_name=_("booking"), on_delete=models.PROTECT,
                                   related_name="result")
    total_score = models.DecimalField(_("weighted total"), max_digits=5, decimal_places=2)
    pass_mark = models.DecimalField(_("pass mark"), max_digits=5, decimal_places=2)
    passed = models.BooleanField(_("passed"))
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True,
                                    blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("exam result")
        verbose_name_plural = _("exam results")
        ordering = ["-recorded_at"]
        constraints = [
            models.CheckConstraint(condition=Q(total_score__gte=0, total_score__lte=100),
                                   name="exams_result_total_0_100"),
            models.CheckConstraint(condition=Q(passed=Q(total_score__gte=models.F("pass_mark"))),
                                   name="exams_result_passed_iff_at_pass_mark"),
        ]

    def __str__(self) -> str:
        return f"{self.booking.candidate} · {self.booking.level.code} · {self.total_score}"


class TopicScore(models.Model):
    result = models.ForeignKey(ExamResult, verbose_name=_("result"), on_delete=models.CASCADE,
                               related_name="scores")
    topic = models.ForeignKey(Topic, verbose_name=_("topic"), on_delete=models.PROTECT, related_name="+")
    weight = models.PositiveSmallIntegerField(_("weight (%)"))
    score = models.DecimalField(_("score (%)"), max_digits=5, decimal_places=2,
                                validators=[MinValueValidator(0), MaxValueValidator(100)])

    class Meta:
        verbose_name = _("topic score")
        verbose_name_plural = _("topic scores")
        ordering = ["topic__position"]
        constraints = [
            models.UniqueConstraint(fields=["result", "topic"], name="exams_topicscore_unique"),
            models.CheckConstraint(condition=Q(score__gte=0, score__lte=100), name="exams_topicscore_0_100"),
        ]

    def __str__(self) -> str:
        return f"{self.topic}: {self.score}"

    @property
    def weighted_points(self):
        return self.score * self.weight / 100
