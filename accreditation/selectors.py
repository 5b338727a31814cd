"""Reads: the eligibility facts and checklist, who may see what, and what other apps read from here."""

import logging
from urllib.parse import urlencode

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django_countries import countries

from accreditation.eligibility import Facts, Requirement, evaluate
from accreditation.models import (
    REVIEW_STATUSES,
    Appeal,
    ApplicationDocument,
    ApplicationEvent,
    ApplicationStatus,
    DocumentKind,
    Level,
    LevelApplication,
)
from accreditation.signals import eligibility_facts_requested
from applicants.models import User
from applicants.roles import COMMITTEE_REVIEWER
from applicants.selectors import ethics_adoption_current, hours_totals, profile_of
from ipma_portal.page_memo import memo_active, memoized
from ipma_portal.reference_cache import ReferenceData
from partners.selectors import TrainingStatus, training_status, training_statuses
from workflows.conflicts import decision_conflict

logger = logging.getLogger(__name__)

REVIEW_PERMISSION = "accreditation.review_levelapplication"
VIEW_PERMISSION = "accreditation.view_levelapplication"

LEVELS = ReferenceData("levels", models=["accreditation.Level"],
                       build=lambda: list(Level.objects.select_related("prerequisite").order_by("rank")))


def levels_in_order() -> list[Level]:
    """The four levels by rank (with their prerequisite), kept in memory until a level changes."""
    return LEVELS.get()


def _applicant_countries(language) -> list[tuple[str, str]]:
    codes = (LevelApplication.objects.exclude(applicant__profile__country="")
             .values_list("applicant__profile__country", flat=True).distinct().order_by())
    return sorted(((code, countries.name(code)) for code in codes if code), key=lambda pair: pair[1])


# The applicants' countries the committee's list filters by: a scan of every application with its applicant's
# profile (24 ms at 20,000 applications), kept per language until an application or a profile changes.
APPLICANT_COUNTRIES = ReferenceData("application-applicant-countries",
                                    models=["accreditation.LevelApplication", "applicants.Profile"],
                                    build=_applicant_countries)


def applicant_countries() -> list[tuple[str, str]]:
    """(code, name) of the countries of the applicants (from their profiles), by name."""
    return APPLICANT_COUNTRIES.get(translation.get_language())


# ---- eligibility ---------------------------------------------------------------------------------

OTHER_FACTS = ("exam_passed", "fasttrack_accepted", "fasttrack_training_completed")


def other_facts(*, user: User, level_code: str) -> dict[str, bool | None]:
    """The facts exams and fasttrack own, from the receivers of ``eligibility_facts_requested``.

    A fact no receiver answers is None (PENDING); when several answer, any True wins.
    """
    facts: dict[str, bool | None] = dict.fromkeys(OTHER_FACTS)
    for _receiver, answer in eligibility_facts_requested.send(sender=Level, user=user, level_code=level_code):
        for name, value in (answer or {}).items():
            if name in facts and value is not None:
                facts[name] = bool(facts[name]) or bool(value)
    return facts


def held_level_codes(user: User) -> frozenset[str]:
    """Levels the person holds: an approved application (certificates, a later issue, will refine this)."""
    if memo_active():  # the dashboard reads every application of the person anyway
        return frozenset(a.level.code for a in _applications_of(user) if a.status == ApplicationStatus.APPROVED)
    return frozenset(
        LevelApplication.objects.filter(applicant=user, status=ApplicationStatus.APPROVED)
        .values_list("level__code", flat=True)
    )


def _applications_of(user: User) -> list[LevelApplication]:
    return memoized(("accreditation:applications", user.pk), lambda: list(
        LevelApplication.objects.filter(applicant=user).select_related("level").order_by("created_at")))


def _person_facts(user: User) -> dict:
    profile = profile_of(user)
    code, adoption = ethics_adoption_current(user)
    totals = hours_totals(user)
    return {
        "today": timezone.localdate(),
        "hours_logged": totals.total,
        "hours_confirmed": totals.confirmed,
        "mentoring_since": profile.mentoring_since,
        "education": profile.highest_education,
        "education_proof": bool(profile.education_proof),
        "ethics_current_version": code.version if code else None,
        "ethics_adopted": adoption is not None,
    }


def _common_facts(user: User, held_levels: frozenset[str] | None = None) -> dict:
    # Within a read-only page (the dashboard: the checklist and the step tracker) these are read once.
    facts = memoized(("accreditation:person-facts", user.pk), lambda: _person_facts(user))
    return {**facts, "held_levels": held_level_codes(user) if held_levels is None else held_levels}


def _level_facts(user: User, level: Level, application: LevelApplication | None, common: dict,
                 evidence: bool | None = None, training: TrainingStatus | None = None) -> Facts:
    statement = bool(application and application.equivalent_training_statement.strip())
    if evidence is None and application is not None and hasattr(application, "equivalent_training_evidence"):
        evidence = application.equivalent_training_evidence  # annotated by a page that read it already
    if evidence is None:
        evidence = bool(
            application and application.pk
            and application.documents.filter(kind=DocumentKind.EQUIVALENT_TRAINING).exists()
        )
    is_sm = level.code == "SM"
    if training is None:
        # Within a read-only page every level's training is read in the one query the checklist of all levels needs.
        training = _trainings(user)[level.code] if memo_active() else training_status(user=user, level_code=level.code)
    others = memoized(("accreditation:other-facts", user.pk, level.code),
                      lambda: other_facts(user=user, level_code=level.code))
    return Facts(
        **common,
        equivalent_training_statement=statement,
        equivalent_training_evidence=evidence,
        training_completed=training.met,
        training_missing=training.missing,
        training_finder_url=f"{reverse('partners:training')}?{urlencode({'level': level.code})}",
        # The exams app reported a pass (application_exam_passed) even if no receiver says so again.
        exam_passed=True if application and application.exam_passed_at else others["exam_passed"],
        fasttrack_accepted=others["fasttrack_accepted"] if is_sm else False,
        fasttrack_training_completed=others["fasttrack_training_completed"] if is_sm else False,
        contribution_statement=bool(application and application.contribution_statement.strip()),
    )


def facts_for(*, user: User, level: Level, application: LevelApplication | None = None) -> Facts:
    return _level_facts(user, level, application, _common_facts(user))


def eligibility_for(*, user: User, level_code: str, application: LevelApplication | None = None) -> list[Requirement]:
    """The checklist for ``user`` and the level: each requirement met / not met / committee / pending."""
    level = next((level for level in levels_in_order() if level.code == level_code), None)
    if level is None:
        raise Level.DoesNotExist(f"no level {level_code!r}")
    if application is None and user.is_authenticated:
        application = LevelApplication.objects.open().filter(applicant=user, level=level).first()
    return evaluate(level.rules(), facts_for(user=user, level=level, application=application))


def _trainings(user: User) -> dict[str, TrainingStatus]:
    return memoized(("accreditation:trainings", user.pk), lambda: training_statuses(
        user=user, level_codes=[level.code for level in levels_in_order()]))


def eligibility_by_level(user: User) -> list[tuple[Level, list[Requirement], LevelApplication | None]]:
    """Every level's checklist for the dashboard; the facts shared by all levels are read once."""
    levels = levels_in_order()
    everything = _applications_of(user)
    applications = {application.level_id: application for application in everything}
    held = frozenset(a.level.code for a in everything if a.status == ApplicationStatus.APPROVED)
    claims = [a.pk for a in everything if a.is_open and a.equivalent_training_statement.strip()]
    with_evidence = set(
        ApplicationDocument.objects.filter(application__in=claims, kind=DocumentKind.EQUIVALENT_TRAINING)
        .values_list("application_id", flat=True)
    ) if claims else set()
    common = _common_facts(user, held_levels=held)
    trainings = _trainings(user)
    rows = []
    for level in levels:
        application = applications.get(level.pk)
        open_application = application if application and application.is_open else None
        facts = _level_facts(user, level, open_application, common,
                             evidence=bool(open_application and open_application.pk in with_evidence),
                             training=trainings[level.code])
        rows.append((level, evaluate(level.rules(), facts), application))
    return rows


# ---- read by other apps (exams) ------------------------------------------------------------------


def application_accepted_for_exam(*, user: User, level_code: str) -> LevelApplication | None:
    """The open application in status accepted-for-exam (``accepted_at`` opens the eligibility window).

    Asked under the booking's lock for every seat booked: the level comes from the levels kept in memory, not a
    join (a query of one table, about a third of the cost to build and run)."""
    level = next((level for level in levels_in_order() if level.code == level_code), None)
    if level is None:
        return None
    application = LevelApplication.objects.filter(
        applicant=user, level_id=level.pk, status=ApplicationStatus.ACCEPTED_FOR_EXAM).first()
    if application is not None:
        application.level = level
    return application


# ---- who may see what ---------------------------------------------------------------------------


def applications_of(user: User) -> QuerySet[LevelApplication]:
    """The applicant's own applications: the only ones their pages show."""
    if not user.is_authenticated:
        return LevelApplication.objects.none()
    return LevelApplication.objects.filter(applicant=user).select_related("level").order_by("-created_at")


def is_reviewer(user: User) -> bool:
    return user.is_authenticated and user.is_active and user.is_staff and user.has_perm(VIEW_PERMISSION)


def reviewer_applications(user: User) -> QuerySet[LevelApplication]:
    """What a committee member sees in the admin: everything except their own applications."""
    queryset = LevelApplication.objects.all()
    if not user.is_superuser:
        queryset = queryset.exclude(applicant=user)
    return queryset


def document_visible_to(user: User, application: LevelApplication) -> bool:
    """Documents: the applicant, and committee reviewers without a conflict of interest; nobody else."""
    if not user.is_authenticated:
        return False
    if application.applicant_id == user.pk:
        return True
    return is_reviewer(user) and decision_conflict(decider=user, person=application.applicant) is None


def applicant_history(application: LevelApplication) -> list[ApplicationEvent]:
    return [event for event in application.events.select_related("actor") if event.visible_to_applicant]


def latest_information_request(application: LevelApplication) -> ApplicationEvent | None:
    return application.events.filter(action="information_requested").order_by("-created_at", "-pk").first()


def documents_of(application: LevelApplication) -> QuerySet[ApplicationDocument]:
    return application.documents.order_by("uploaded_at", "pk")


# ---- reviewers --------------------------------------------------------------------------------------


def reviewers_by_load() -> QuerySet[User]:
    """Active committee reviewers, fewest open reviews first (ties: longest-standing reviewer first)."""
    return (
        User.objects.filter(groups__name=COMMITTEE_REVIEWER, is_active=True, is_staff=True)
        .annotate(open_reviews=Count(
            "assigned_level_applications", filter=Q(assigned_level_applications__status__in=REVIEW_STATUSES),
            distinct=True,
        ))
        .order_by("open_reviews", "date_joined", "pk")
        .distinct()
    )


def reviewer_choices(application: LevelApplication | None = None) -> list[User]:
    reviewers = list(reviewers_by_load())
    if application is None:
        return reviewers
    return [r for r in reviewers if decision_conflict(decider=r, person=application.applicant) is None]


def rejected_by(application: LevelApplication) -> User | None:
    event = application.events.filter(action="rejected").select_related("actor").order_by("-created_at", "-pk").first()
    return event.actor if event else None


def appeals_pending() -> QuerySet[Appeal]:
    return Appeal.objects.filter(decision="pending").select_related("application__level", "reviewer")


def application_for_detail(*, user: User, pk: int) -> LevelApplication:
    """The applicant's own application with what its page shows (404 for anyone else's)."""
    return applications_of(user).select_related("ethics_adoption__code", "appeal").get(pk=pk)
