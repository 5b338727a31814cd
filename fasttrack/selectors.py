"""Reads of the fast track, including the contracts other apps call.

Who may see an application (and its CV and proofs) is decided in ONE place,
``applications_visible_to(user)``: the applicant, the committee, and the QTSP it is referred to.
"""

from __future__ import annotations

from django.conf import settings
from django.db.models import Case, Prefetch, Q, QuerySet, When

from applicants.roles import COMMITTEE_REVIEWER
from fasttrack.assignment import Candidate, rank_by_distance
from fasttrack.models import CriterionClaim, FastTrackApplication, ProofDocument, Referral
from fasttrack.requirements import REQUIREMENTS, Claim, prescreen
from ipma_portal.page_memo import memoized
from partners import selectors as partners_selectors

# ---- the permission rule -----------------------------------------------------------------------


def is_committee(user) -> bool:
    return bool(user.is_authenticated and user.is_staff and user.has_perm("fasttrack.view_fasttrackapplication"))


def applications_visible_to(user) -> QuerySet[FastTrackApplication]:
    """Applications ``user`` may see: their own, all for the committee, referred ones for the QTSP's staff."""
    if not user.is_authenticated:
        return FastTrackApplication.objects.none()
    if is_committee(user):
        return FastTrackApplication.objects.all()
    referred = Referral.objects.filter(
        partners_selectors.qtsp_filter_for_staff(user), status__in=Referral.LIVE
    ).values("application_id")
    return FastTrackApplication.objects.filter(Q(applicant=user) | Q(pk__in=referred))


def referrals_for_staff(user) -> QuerySet[Referral]:
    """Referrals to the QTSPs ``user`` works for (not those the committee withdrew)."""
    return (
        Referral.objects.filter(partners_selectors.qtsp_filter_for_staff(user))
        .exclude(status=Referral.Status.WITHDRAWN)
        .select_related("qtsp", "application__applicant")
    )


# ---- the applicant's side ------------------------------------------------------------------------


def application_current(*, user) -> FastTrackApplication | None:
    """The applicant's open application, else their latest one (read once per dashboard: its panel and the tracker)."""
    if not user.is_authenticated:
        return None
    closed_last = Case(When(status__in=FastTrackApplication.CLOSED, then=1), default=0)
    return memoized(("fasttrack.application_current", user.pk), lambda: (
        FastTrackApplication.objects.filter(applicant=user).order_by(closed_last, "-created_at").first()))


def on_the_fast_track(*, user) -> bool:
    """Whether the person's way to Senior Mentor is an application to the fast track not withdrawn or rejected."""
    application = application_current(user=user)
    return application is not None and application.status not in FastTrackApplication.CLOSED


def application_with_claims(*, pk: int, user) -> FastTrackApplication:
    """One visible application with its claims and proofs loaded (3 queries)."""
    return (
        applications_visible_to(user)
        .select_related("applicant")
        .prefetch_related(
            Prefetch("claims", queryset=CriterionClaim.objects.prefetch_related(
                Prefetch("proofs", queryset=ProofDocument.objects.order_by("uploaded_at", "pk"))
            ))
        )
        .get(pk=pk)
    )


def claims_by_criterion(application: FastTrackApplication) -> dict[str, CriterionClaim]:
    return {claim.criterion: claim for claim in application.claims.all()}


def application_prescreen(application: FastTrackApplication) -> dict:
    """The pre-screen of what the application says now (uses prefetched claims and proofs when present)."""
    claims = {
        claim.criterion: Claim(claimed=claim.claimed, years=claim.years, proofs=len(claim.proofs.all()))
        for claim in application.claims.all()
    }
    return prescreen(claims)


def requirement_rows(application: FastTrackApplication, result: dict | None = None) -> list[dict]:
    """The requirements grouped for display: each group's rule and result, each criterion with its claim."""
    result = result or application_prescreen(application)
    claims = claims_by_criterion(application)
    rows = []
    for group in REQUIREMENTS:
        group_result = result["groups"][group.group.value]
        rows.append({
            "group": group.group, "needs_all": group.needs_all, "looks_met": group_result["looks_met"],
            "screening": application.screening()[group.group.value],
            "criteria": [
                {"rule": rule, "claim": claims.get(rule.criterion.value),
                 "finding": group_result["criteria"][rule.criterion.value]}
                for rule in group.criteria
            ],
        })
    return rows


# ---- assignment to a QTSP ---------------------------------------------------------------------------


def qtsp_candidates(application: FastTrackApplication, *, limit: int | None = None) -> list[Candidate]:
    """Approved fast-track QTSPs nearest first from the applicant's city, leaving out those that declined."""
    if application.latitude is None or application.longitude is None:
        return []
    declined = application.referrals.filter(status=Referral.Status.DECLINED).values_list("qtsp_id", flat=True)
    ranked = rank_by_distance(
        application.latitude, application.longitude, partners_selectors.qtsps_training_fasttrack(),
        exclude_ids=list(declined),
    )
    return ranked[: limit or settings.FASTTRACK_CANDIDATES_SHOWN]


def live_referral(application: FastTrackApplication) -> Referral | None:
    return application.referrals.filter(status__in=Referral.LIVE).select_related("qtsp").first()


def committee_emails() -> list[str]:
    from django.contrib.auth import get_user_model

    return sorted(
        get_user_model().objects.filter(groups__name=COMMITTEE_REVIEWER, is_active=True)
        .values_list("email", flat=True).distinct()
    )


# ---- contracts (see the common brief) ------------------------------------------------------------------


def fasttrack_accepted(*, user) -> bool:
    """True when the committee accepted ``user`` on the fast track (the SM application then skips the
    300 hours and 3 years of mentoring)."""
    if not getattr(user, "is_authenticated", False):
        return False
    return FastTrackApplication.objects.filter(applicant=user, status=FastTrackApplication.Status.ACCEPTED).exists()


def fasttrack_exam_ready(*, user) -> bool:
    """True for an accepted candidate whose referral a QTSP accepted and whose fast-track training is
    complete (5 in-person days, 40 online hours, passed): they may book the SM exam."""
    if not fasttrack_accepted(user=user):
        return False
    has_provider = Referral.objects.filter(
        application__applicant=user, application__status=FastTrackApplication.Status.ACCEPTED,
        status=Referral.Status.ACCEPTED,
    ).exists()
    return has_provider and partners_selectors.fasttrack_training_completed(user=user)
