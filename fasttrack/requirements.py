"""The Senior Mentor Elite Fast Track requirements, as data, and the pre-screen over them (no ORM).

From the accrediting body's site: ALL of the hard requirements; at least ONE experience requirement;
at least ONE professional requirement. Proof is required for every criterion except the commitment to
the code of ethics, which the applicant makes in the form itself.
The pre-screen only says which groups *look* met from what the applicant claimed and uploaded; the
committee decides.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class Criterion(models.TextChoices):
    MASTERS_DEGREE = "masters_degree", _("Master's degree or higher")
    ETHICS_COMMITMENT = "ethics_commitment", _("Commitment to uphold IPMA's global Code of Ethics & Conduct")
    SENIOR_MANAGEMENT = "senior_management", _(
        "10+ years of senior management experience (executive level) in enterprises or public institutions"
    )
    EDUCATION_HEAD = "education_head", _(
        "Head, principal, dean or president of a large or medium-sized educational institution, school or "
        "university (or of an institution with 1,000+ people)"
    )
    BODY_ACCREDITATION = "body_accreditation", _(
        "Relevant accreditation from an international body such as IPMA, EMCC or ICF"
    )
    OTHER_CREDENTIAL = "other_credential", _(
        "Mentoring or coaching credentials from another domestic or international organization"
    )
    MENTORING_PRACTICE = "mentoring_practice", _("3+ years of proven mentoring or coaching service (case records)")


class Group(models.TextChoices):
    HARD = "hard", _("Hard requirements (all must be met)")
    EXPERIENCE = "experience", _("Experience (at least one)")
    PROFESSIONAL = "professional", _("Professional (at least one)")


@dataclass(frozen=True)
class CriterionRule:
    criterion: Criterion
    needs_proof: bool = True
    min_years: int | None = None
    proof_hint: str = ""


@dataclass(frozen=True)
class GroupRule:
    group: Group
    needs_all: bool
    criteria: tuple[CriterionRule, ...]


REQUIREMENTS: tuple[GroupRule, ...] = (
    GroupRule(Group.HARD, needs_all=True, criteria=(
        CriterionRule(Criterion.MASTERS_DEGREE, proof_hint=_("Diploma or transcript")),
        CriterionRule(Criterion.ETHICS_COMMITMENT, needs_proof=False),
    )),
    GroupRule(Group.EXPERIENCE, needs_all=False, criteria=(
        CriterionRule(Criterion.SENIOR_MANAGEMENT, min_years=10,
                      proof_hint=_("Employer letters or appointment records showing the executive roles")),
        CriterionRule(Criterion.EDUCATION_HEAD, proof_hint=_("Appointment letter and the institution's size")),
    )),
    GroupRule(Group.PROFESSIONAL, needs_all=False, criteria=(
        CriterionRule(Criterion.BODY_ACCREDITATION, proof_hint=_("The accreditation certificate")),
        CriterionRule(Criterion.OTHER_CREDENTIAL, proof_hint=_("The credential (proof required)")),
        CriterionRule(Criterion.MENTORING_PRACTICE, min_years=3, proof_hint=_("Case records")),
    )),
)

RULES: dict[str, CriterionRule] = {rule.criterion.value: rule for group in REQUIREMENTS for rule in group.criteria}
GROUP_OF: dict[str, Group] = {rule.criterion.value: group.group for group in REQUIREMENTS for rule in group.criteria}


@dataclass(frozen=True)
class Claim:
    """What the applicant says about one criterion."""

    claimed: bool = False
    years: int | None = None
    proofs: int = 0


class Finding(models.TextChoices):
    LOOKS_MET = "looks_met", _("Looks met")
    NOT_CLAIMED = "not_claimed", _("Not claimed")
    PROOF_MISSING = "proof_missing", _("Proof missing")
    TOO_FEW_YEARS = "too_few_years", _("Fewer years than required")


def criterion_finding(rule: CriterionRule, claim: Claim) -> Finding:
    if not claim.claimed:
        return Finding.NOT_CLAIMED
    if rule.min_years is not None and (claim.years or 0) < rule.min_years:
        return Finding.TOO_FEW_YEARS
    if rule.needs_proof and claim.proofs < 1:
        return Finding.PROOF_MISSING
    return Finding.LOOKS_MET


def prescreen(claims: Mapping[str, Claim]) -> dict:
    """Per group: whether it looks met, and each criterion's finding. JSON-ready (stored at submission).

    ``{"groups": {"hard": {"looks_met": bool, "criteria": {"masters_degree": "looks_met", ...}}, ...},
    "all_groups_look_met": bool}``
    """
    groups = {}
    for group in REQUIREMENTS:
        findings = {
            rule.criterion.value: criterion_finding(rule, claims.get(rule.criterion.value, Claim())).value
            for rule in group.criteria
        }
        met = [finding == Finding.LOOKS_MET for finding in findings.values()]
        groups[group.group.value] = {"looks_met": all(met) if group.needs_all else any(met), "criteria": findings}
    return {"groups": groups, "all_groups_look_met": all(g["looks_met"] for g in groups.values())}
