"""The training requirement of each level, as data, and whether a person's completions meet it.

Only a completion (passed) of a programme the committee approved counts. The requirement per level comes
from ``settings.PARTNERS_TRAINING_REQUIREMENTS`` (least hours, and the only format that counts where the
source names one: AM needs "online 32 hours training"). :func:`training_status` says what is missing in
words the applicant can act on; accreditation shows them in its checklist.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from partners.models import Enrolment, ProgrammeStatus, TrainingFormat


@dataclass(frozen=True)
class TrainingRule:
    level_code: str
    hours: int = 0
    format: str = ""  # "" when any format counts

    @classmethod
    def for_level(cls, level_code: str) -> TrainingRule:
        data = settings.PARTNERS_TRAINING_REQUIREMENTS.get(level_code, {})
        return cls(level_code=level_code, hours=int(data.get("hours") or 0), format=data.get("format") or "")

    def counted_hours(self, programme) -> int:
        """The programme's hours that count: its online hours when only online training counts, else all."""
        return programme.hours_online if self.format == TrainingFormat.ONLINE else programme.required_hours

    def shortfall(self, programme) -> str:
        """Why this approved programme does not meet the rule, or "" when it does."""
        if self.format and programme.format != self.format:
            return _("your programme “%(title)s” is %(format)s; %(level)s needs %(hours)s h %(needed)s") % {
                "title": programme.title, "format": programme.get_format_display().lower(),
                "level": self.level_code, "hours": self.hours,
                "needed": TrainingFormat(self.format).label.lower(),
            }
        if self.counted_hours(programme) < self.hours:
            if self.format:
                return _("your programme is %(has)s h; %(level)s needs %(hours)s h %(needed)s") % {
                    "has": self.counted_hours(programme), "level": self.level_code, "hours": self.hours,
                    "needed": TrainingFormat(self.format).label.lower(),
                }
            return _("your programme is %(has)s h; %(level)s needs %(hours)s h") % {
                "has": programme.required_hours, "level": self.level_code, "hours": self.hours}
        return ""


@dataclass(frozen=True)
class TrainingStatus:
    met: bool
    missing: str = ""  # what is missing, for the checklist; "" when met or when nothing was started


def _completions(user, level_codes: list[str]):
    return (
        # Only records the trainee accepted count: a roster line a QTSP made alone proves nothing about them.
        Enrolment.objects.filter(trainee=user, accepted_at__isnull=False, status=Enrolment.Status.COMPLETED, passed=True,
                                 cohort__programme__level__code__in=level_codes)
        .select_related("cohort__programme__level")
        .order_by("-completed_on", "-pk")
    )


def training_status(*, user, level_code: str) -> TrainingStatus:
    """Whether ``user`` passed an approved programme meeting the level's rule, and if not, what is missing."""
    return training_statuses(user=user, level_codes=[level_code])[level_code]


def training_statuses(*, user, level_codes: list[str]) -> dict[str, TrainingStatus]:
    """``training_status`` of several levels (the dashboard's checklist of every level): one query."""
    if not getattr(user, "is_authenticated", False):
        return {code: TrainingStatus(met=False) for code in level_codes}
    by_level: dict[str, list[Enrolment]] = {code: [] for code in level_codes}
    for enrolment in _completions(user, level_codes):
        by_level[enrolment.cohort.programme.level.code].append(enrolment)
    return {code: _status(TrainingRule.for_level(code), enrolments) for code, enrolments in by_level.items()}


def _status(rule: TrainingRule, enrolments: list[Enrolment]) -> TrainingStatus:
    reasons = []
    for enrolment in enrolments:
        programme = enrolment.cohort.programme
        if programme.status != ProgrammeStatus.APPROVED:
            reasons.append(_("your programme “%(title)s” is not approved by the committee, so it does not count")
                           % {"title": programme.title})
            continue
        shortfall = rule.shortfall(programme)
        if not shortfall:
            return TrainingStatus(met=True)
        reasons.append(shortfall)
    return TrainingStatus(met=False, missing="; ".join(dict.fromkeys(reasons)))


def requirement_text(level_code: str) -> str:
    """The rule in words, e.g. "an approved online programme of at least 32 h"."""
    rule = TrainingRule.for_level(level_code)
    if rule.format and rule.hours:
        return _("an approved %(format)s programme of at least %(hours)s h") % {
            "format": TrainingFormat(rule.format).label.lower(), "hours": rule.hours}
    if rule.hours:
        return _("an approved programme of at least %(hours)s h") % {"hours": rule.hours}
    return _("an approved programme of the level")
