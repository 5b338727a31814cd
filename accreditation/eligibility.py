"""The eligibility rules: which of a level's requirements an applicant meets, and why.

Pure on purpose: no database, no clock, no other app. ``selectors.eligibility_for`` gathers the
facts; this module judges them, so the rules can be tested exhaustively (tests use hypothesis).

A fact another app owns (training, exam, fast track) is ``None`` while that app cannot say: the
requirement is then PENDING, which is never treated as met.
"""

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from applicants.models import EducationLevel


class Outcome(enum.StrEnum):
    MET = "met"
    NOT_MET = "not_met"
    JUDGEMENT = "judgement"  # the committee decides (equivalent training, contribution statement)
    PENDING = "pending"  # the fact is not known yet; never counts as met


OUTCOME_LABELS = {
    Outcome.MET: gettext_lazy("Met"),
    Outcome.NOT_MET: gettext_lazy("Not met"),
    Outcome.JUDGEMENT: gettext_lazy("Committee judges"),
    Outcome.PENDING: gettext_lazy("Pending"),
}


@dataclass(frozen=True)
class LevelRules:
    """A level's requirements as plain data (built from ``accreditation.models.Level``)."""

    code: str
    name: str
    service_hours: int
    years_mentoring: int = 0
    minimum_education: str = ""
    prerequisite_code: str | None = None
    prerequisite_name: str = ""
    training: str = ""
    requires_contribution_statement: bool = False
    confirmed_hours_share: int = 0  # percent of ``service_hours`` that mentees must have confirmed

    @property
    def confirmed_hours_required(self) -> Decimal:
        return Decimal(self.service_hours * self.confirmed_hours_share) / 100

    @property
    def fasttrack_applies(self) -> bool:
        # The Senior Mentor Elite Fast Track bypasses the 300 hours and the 3-year requirement (DESIGN.md).
        return self.code == "SM"


@dataclass(frozen=True)
class Facts:
    today: date
    hours_logged: Decimal = Decimal("0")
    hours_confirmed: Decimal = Decimal("0")  # confirmed by mentees, or accepted by the committee after a dispute
    mentoring_since: date | None = None
    education: str = ""
    education_proof: bool = False
    held_levels: frozenset[str] = frozenset()
    equivalent_training_statement: bool = False
    equivalent_training_evidence: bool = False
    training_completed: bool | None = None
    training_missing: str = ""  # why the training done does not count yet, from partners
    training_finder_url: str = ""  # where to find training for the level
    exam_passed: bool | None = None
    fasttrack_accepted: bool | None = None
    fasttrack_training_completed: bool | None = None
    ethics_current_version: int | None = None
    ethics_adopted: bool = False
    contribution_statement: bool = False


@dataclass(frozen=True)
class Requirement:
    key: str
    label: str
    outcome: Outcome
    reason: str
    link: str = ""  # where the applicant can act on it (the training finder)

    def as_dict(self) -> dict:
        data = {"key": self.key, "label": self.label, "outcome": str(self.outcome), "reason": self.reason}
        if self.link:
            data["link"] = self.link
        return data

    @classmethod
    def from_dict(cls, data: dict) -> "Requirement":
        return cls(data["key"], data["label"], Outcome(data["outcome"]), data["reason"], data.get("link", ""))


def full_years(since: date, today: date) -> int:
    years = today.year - since.year - ((today.month, today.day) < (since.month, since.day))
    return max(years, 0)


def _number(value: Decimal) -> str:
    return f"{Decimal(value).normalize():f}"


def _hours(rules: LevelRules, facts: Facts) -> Requirement:
    label = _("Mentoring service hours")
    numbers = {"logged": _number(facts.hours_logged), "required": rules.service_hours}
    # "62 of 40" reads as a shortfall: past the requirement, say how many were logged and how many it asks.
    if facts.hours_logged > rules.service_hours:
        logged = _("%(logged)s service hours logged (%(required)s required)") % numbers
    else:
        logged = _("%(logged)s of %(required)s service hours logged") % numbers
    if facts.hours_logged >= rules.service_hours:
        return Requirement("service_hours", label, Outcome.MET, logged)
    return _unless_fast_track("service_hours", label, rules, facts, reason=logged,
                              exempt=_("Exempt: accepted on the Senior Mentor fast track (%(logged)s)")
                              % {"logged": logged})


def _unless_fast_track(key: str, label: str, rules: LevelRules, facts: Facts, *, reason: str, exempt: str,
                       not_met: str = "") -> Requirement:
    """A requirement the person does not meet by themselves: met when the Senior Mentor fast track exempts them,
    pending while their fast-track decision is not known, else not met (with ``not_met``, or ``reason``)."""
    if rules.fasttrack_applies and facts.fasttrack_accepted:
        return Requirement(key, label, Outcome.MET, exempt)
    if rules.fasttrack_applies and facts.fasttrack_accepted is None:
        return Requirement(key, label, Outcome.PENDING,
                           _("%(reason)s; whether the fast track exempts you is not known yet") % {"reason": reason})
    return Requirement(key, label, Outcome.NOT_MET, not_met or reason)


def _confirmed_hours(rules: LevelRules, facts: Facts) -> Requirement:
    label = _("Hours confirmed by mentees")
    numbers = {"confirmed": _number(facts.hours_confirmed), "logged": _number(facts.hours_logged),
               "level": rules.code, "share": rules.confirmed_hours_share,
               "needed": _number(rules.confirmed_hours_required), "required": rules.service_hours}
    reason = _("%(confirmed)s of %(logged)s hours confirmed; %(level)s needs %(share)s %% of its %(required)s hours "
               "(%(needed)s) confirmed by mentees or supervisors") % numbers
    if facts.hours_confirmed >= rules.confirmed_hours_required:
        return Requirement("confirmed_hours", label, Outcome.MET, reason)
    # The fast track waives the hours themselves, so nothing is left to confirm.
    return _unless_fast_track(
        "confirmed_hours", label, rules, facts, reason=reason,
        exempt=_("Exempt: accepted on the Senior Mentor fast track (%(reason)s)") % {"reason": reason},
        not_met=_("%(reason)s: add the e-mail of a mentee or supervisor to your entries so they can confirm them")
        % {"reason": reason},
    )


def _years(rules: LevelRules, facts: Facts) -> Requirement:
    label = _("Years of mentoring")
    if facts.mentoring_since is None:
        reason, met = _("Add the date you started mentoring to your profile"), False
    else:
        years = full_years(facts.mentoring_since, facts.today)
        since = formats.date_format(facts.mentoring_since, "DATE_FORMAT")
        numbers = {"years": years, "required": rules.years_mentoring, "since": since}
        if years > rules.years_mentoring:
            reason = _("%(years)s years of mentoring since %(since)s (%(required)s required)") % numbers
        else:
            reason = _("%(years)s of %(required)s years of mentoring (since %(since)s)") % numbers
        met = years >= rules.years_mentoring
    if met:
        return Requirement("years_mentoring", label, Outcome.MET, reason)
    return _unless_fast_track("years_mentoring", label, rules, facts, reason=reason,
                              exempt=_("Exempt: accepted on the Senior Mentor fast track"))


def _education(rules: LevelRules, facts: Facts) -> Requirement:
    label = _("Education")
    required = EducationLevel(rules.minimum_education).label
    if not facts.education:
        return Requirement("education", label, Outcome.NOT_MET,
                           _("%(required)s required; add your highest education to your profile") % {"required": required})
    held = EducationLevel(facts.education).label
    if EducationLevel.rank(facts.education) < EducationLevel.rank(rules.minimum_education):
        return Requirement("education", label, Outcome.NOT_MET,
                           _("%(required)s required; your profile says %(held)s") % {"required": required, "held": held})
    if not facts.education_proof:
        return Requirement("education", label, Outcome.NOT_MET,
                           _("%(held)s: upload a proof (diploma or transcript) to your profile") % {"held": held})
    return Requirement("education", label, Outcome.MET, _("%(held)s, proof uploaded") % {"held": held})


def _prerequisite(rules: LevelRules, facts: Facts) -> Requirement:
    label = _("Prerequisite level")
    name = rules.prerequisite_name or rules.prerequisite_code
    if rules.prerequisite_code in facts.held_levels:
        return Requirement("prerequisite", label, Outcome.MET, _("You hold %(level)s") % {"level": name})
    if rules.fasttrack_applies and facts.fasttrack_training_completed:
        return Requirement("prerequisite", label, Outcome.MET,
                           _("Fast-track training with a QTSP counts as equivalent training"))
    if facts.equivalent_training_statement and facts.equivalent_training_evidence:
        return Requirement("prerequisite", label, Outcome.JUDGEMENT,
                           _("Equivalent training to %(level)s claimed with evidence; the committee judges it")
                           % {"level": name})
    if facts.equivalent_training_statement:
        return Requirement("prerequisite", label, Outcome.NOT_MET,
                           _("Equivalent training claimed: add evidence of it to the application"))
    return Requirement("prerequisite", label, Outcome.NOT_MET,
                       _("Hold %(level)s, or claim equivalent training with evidence") % {"level": name})


def _training(rules: LevelRules, facts: Facts) -> Requirement:
    label = _("Training")
    training = rules.training or _("the level's training")
    if facts.training_completed:
        return Requirement("training", label, Outcome.MET,
                           _("%(training)s completed with a QTSP") % {"training": training})
    if rules.fasttrack_applies and facts.fasttrack_training_completed:
        return Requirement("training", label, Outcome.MET, _("Fast-track training completed with a QTSP"))
    if facts.training_completed is None:
        return Requirement("training", label, Outcome.PENDING,
                           _("%(training)s: training records are not available yet") % {"training": training})
    if facts.training_missing:
        return Requirement("training", label, Outcome.NOT_MET,
                           _("%(training)s: %(missing)s") % {"training": training, "missing": facts.training_missing},
                           facts.training_finder_url)
    return Requirement("training", label, Outcome.NOT_MET,
                       _("%(training)s: no completed training recorded by a QTSP yet") % {"training": training},
                       facts.training_finder_url)


def _contribution(facts: Facts) -> Requirement:
    label = _("Significant contribution to the profession")
    if facts.contribution_statement:
        return Requirement("contribution", label, Outcome.JUDGEMENT,
                           _("Statement given; the committee judges it"))
    return Requirement("contribution", label, Outcome.NOT_MET,
                       _("Describe your contribution to the profession in the application"))


def _ethics(facts: Facts) -> Requirement:
    label = _("Code of ethics")
    if facts.ethics_current_version is None:
        return Requirement("ethics", label, Outcome.NOT_MET, _("The code of ethics has not been published yet"))
    version = facts.ethics_current_version
    if facts.ethics_adopted:
        return Requirement("ethics", label, Outcome.MET,
                           _("Code of ethics version %(version)s adopted") % {"version": version})
    return Requirement("ethics", label, Outcome.NOT_MET,
                       _("Adopt the current version (%(version)s) of the code of ethics") % {"version": version})


def _exam(facts: Facts) -> Requirement:
    label = _("Exam")
    if facts.exam_passed:
        return Requirement("exam", label, Outcome.MET, _("Exam passed"))
    if facts.exam_passed is None:
        return Requirement("exam", label, Outcome.PENDING, _("Exam results are not available yet"))
    return Requirement("exam", label, Outcome.NOT_MET,
                       _("Exam not passed yet: you book it once accepted for the exam"))


def evaluate(rules: LevelRules, facts: Facts) -> list[Requirement]:
    """Every requirement of the level, in the order the applicant meets them, with its outcome and reason."""
    requirements = [_hours(rules, facts)]
    if rules.confirmed_hours_share:
        requirements.append(_confirmed_hours(rules, facts))
    if rules.years_mentoring:
        requirements.append(_years(rules, facts))
    if rules.minimum_education:
        requirements.append(_education(rules, facts))
    if rules.prerequisite_code:
        requirements.append(_prerequisite(rules, facts))
    requirements.append(_training(rules, facts))
    if rules.requires_contribution_statement:
        requirements.append(_contribution(facts))
    requirements.append(_ethics(facts))
    requirements.append(_exam(facts))
    return requirements


# The gates of the workflow, over a checklist.

def _without_exam(requirements: Iterable[Requirement]) -> list[Requirement]:
    return [r for r in requirements if r.key != "exam"]


def submission_blockers(requirements: Iterable[Requirement]) -> list[Requirement]:
    """What stops a submission: anything not met except the exam (pending facts wait for the review)."""
    return [r for r in _without_exam(requirements) if r.outcome == Outcome.NOT_MET]


def exam_acceptance_blockers(requirements: Iterable[Requirement]) -> list[Requirement]:
    """What stops accepting for the exam: anything but the exam neither met nor left to the committee."""
    return [r for r in _without_exam(requirements) if r.outcome not in (Outcome.MET, Outcome.JUDGEMENT)]


def approval_blockers(requirements: Iterable[Requirement]) -> list[Requirement]:
    """What stops approval: any requirement, the exam included, neither met nor left to the committee."""
    return [r for r in requirements if r.outcome not in (Outcome.MET, Outcome.JUDGEMENT)]


def summary(requirements: Iterable[Requirement]) -> dict[str, int]:
    counts = {str(outcome): 0 for outcome in Outcome}
    for requirement in requirements:
        counts[str(requirement.outcome)] += 1
    return counts
