"""Reads of the partners app, including the public contracts other apps call.

Access to a QTSP's private data goes through ONE rule, ``qtsps_for_staff(user)``: a person sees
the programmes, cohorts and trainees of the QTSPs they are staff of, nothing else. Every portal
view and the document download build their querysets on it.
"""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Lower

from partners.models import (
    QTSP,
    Cohort,
    Enrolment,
    ProgrammeStatus,
    QTSPStaff,
    SyllabusItem,
    TrainingProgramme,
)
from partners.staff import qtsp_staff
from partners.training import TrainingStatus, training_status, training_statuses  # noqa: F401  (re-exported for accreditation)
from staff.models import StaffRole

# ---- the permission rule -----------------------------------------------------------------------


def qtsps_for_staff(user) -> QuerySet[QTSP]:
    """The QTSPs whose portal ``user`` may use: theirs, approved, or suspended or lapsed (read-only then)."""
    return qtsp_staff.organisations_of(user).filter(
        status__in=[QTSP.Status.APPROVED, QTSP.Status.SUSPENDED, QTSP.Status.LAPSED]
    )


def programmes_for_staff(user) -> QuerySet[TrainingProgramme]:
    return TrainingProgramme.objects.filter(qtsp__in=qtsps_for_staff(user)).select_related("qtsp", "level")


def cohorts_for_staff(user) -> QuerySet[Cohort]:
    return Cohort.objects.filter(programme__qtsp__in=qtsps_for_staff(user)).select_related(
        "programme__qtsp", "programme__level"
    )


def enrolments_for_staff(user) -> QuerySet[Enrolment]:
    return Enrolment.objects.filter(cohort__programme__qtsp__in=qtsps_for_staff(user)).select_related(
        "cohort__programme__qtsp", "cohort__programme__level", "trainee"
    )


def staff_role(*, user, qtsp: QTSP) -> str | None:
    """"owner", "coordinator" or None."""
    return qtsp_staff.role_of(user=user, organisation=qtsp)


def is_owner(*, user, qtsp: QTSP) -> bool:
    return staff_role(user=user, qtsp=qtsp) == StaffRole.OWNER


def staff_qtsp_ids(*, user) -> set[int]:
    """The QTSPs ``user`` works for (e.g. for conflict-of-interest checks in other apps)."""
    return set(QTSPStaff.objects.filter(user=user).values_list("organisation_id", flat=True))


def trainee_qtsp_ids(*, user) -> set[int]:
    """The QTSPs that have ``user`` on a roster (not withdrawn)."""
    return set(
        Enrolment.objects.filter(trainee=user)
        .exclude(status=Enrolment.Status.WITHDRAWN)
        .values_list("cohort__programme__qtsp_id", flat=True)
    )


# ---- portal pages ------------------------------------------------------------------------------


def portal_programmes(*, qtsp: QTSP) -> QuerySet[TrainingProgramme]:
    return (
        qtsp.programmes.select_related("level")
        .prefetch_related(Prefetch("cohorts", queryset=Cohort.objects.order_by("starts_on", "pk")))
        .order_by("level__rank", "title")
    )


def roster(*, cohort: Cohort, search: str = "") -> QuerySet[Enrolment]:
    """The cohort's enrolments in a stable order (pages of it do not overlap), matching ``search`` by name or address."""
    enrolments = cohort.enrolments.select_related("trainee")
    if search:
        enrolments = enrolments.filter(
            Q(full_name__icontains=search) | Q(email__icontains=search) | Q(trainee__full_name__icontains=search)
        )
    return enrolments.order_by("status", "full_name", "email", "pk")


def staff_of(*, qtsp: QTSP):
    members = qtsp.staff.select_related("user").order_by("role", "user__full_name", "user__email")
    invitations = qtsp.staff_invitations.filter(accepted_at__isnull=True, revoked_at__isnull=True).order_by("email")
    return members, invitations


# ---- public pages ------------------------------------------------------------------------------


def _fasttrack_programmes():
    return TrainingProgramme.objects.filter(
        qtsp=OuterRef("pk"), is_fasttrack=True, is_active=True, status=ProgrammeStatus.APPROVED
    )


def directory_qtsps() -> QuerySet[QTSP]:
    """Approved QTSPs (within their term) for the public directory, by country and city, with their levels."""
    return (
        QTSP.objects.in_term()
        .annotate(trains_fasttrack=Exists(_fasttrack_programmes()))
        .prefetch_related("levels")
        .order_by("country", "city", "name")
    )


def directory_cities(queryset: QuerySet[QTSP]) -> list[tuple[str, str, int]]:
    return list(queryset.order_by().values_list("country", "city").annotate(count=Count("pk")).order_by("country", "city"))


def public_qtsp(*, pk: int) -> QTSP:
    """An approved QTSP within its term, with its approved, open programmes and their syllabi."""
    return (
        QTSP.objects.in_term()
        .annotate(trains_fasttrack=Exists(_fasttrack_programmes()))
        .prefetch_related(
            "levels",
            Prefetch(
                "programmes",
                queryset=TrainingProgramme.objects.filter(is_active=True, status=ProgrammeStatus.APPROVED)
                .select_related("level").prefetch_related(Prefetch("syllabus", queryset=SyllabusItem.objects
                                                                    .select_related("topic")))
                .order_by("level__rank", "title"),
            ),
        )
        .get(pk=pk)
    )


def trainee_enrolments(*, user) -> QuerySet[Enrolment]:
    """A trainee's own training records, for their dashboard."""
    return (
        Enrolment.objects.filter(trainee=user, accepted_at__isnull=False)
        .exclude(status=Enrolment.Status.WITHDRAWN)
        .select_related("cohort__programme__qtsp", "cohort__programme__level")
        .order_by("-cohort__starts_on", "pk")
    )


# ---- contracts (see the common brief): other apps rely on these names and signatures -----------------


def enrolment_invitations(*, user) -> QuerySet[Enrolment]:
    """Roster invitations waiting for ``user`` to accept: open, to one of their verified addresses."""
    if not getattr(user, "is_authenticated", False):
        return Enrolment.objects.none()
    addresses = EmailAddress.objects.filter(user=user, verified=True).annotate(lower=Lower("email")).values("lower")
    return (
        Enrolment.objects.filter(accepted_at__isnull=True, trainee__isnull=True)
        .annotate(email_lower=Lower("email")).filter(email_lower__in=Subquery(addresses))
        .exclude(status=Enrolment.Status.WITHDRAWN)
        .select_related("cohort__programme__qtsp", "cohort__programme__level")
        .order_by("cohort__starts_on", "pk")
    )


def _passed_completions(user):
    # Only records the trainee accepted count: a roster line a QTSP made alone proves nothing about them.
    return Enrolment.objects.filter(
        trainee=user, accepted_at__isnull=False, status=Enrolment.Status.COMPLETED, passed=True
    )


def training_completed(*, user, level_code: str) -> bool:
    """True when ``user`` passed an approved programme of that level meeting its rule (``partners.training``)."""
    return training_status(user=user, level_code=level_code).met


def training_missing(*, user, level_code: str) -> str:
    """What keeps ``user``'s training from counting for the level, in words ("" when met or nothing started)."""
    return training_status(user=user, level_code=level_code).missing


def fasttrack_training_completed(*, user) -> bool:
    """True when ``user`` completed and passed a fast-track programme with its in-person days and online hours."""
    if not getattr(user, "is_authenticated", False):
        return False
    return (
        _passed_completions(user)
        .filter(
            cohort__programme__is_fasttrack=True,
            cohort__programme__status=ProgrammeStatus.APPROVED,
            attended_days__gte=F("cohort__programme__required_days"),
            attended_hours__gte=F("cohort__programme__required_hours"),
        )
        .exists()
    )


def qtsps_training_fasttrack() -> QuerySet[QTSP]:
    """Approved QTSPs that run an active fast-track programme (each has ``latitude``/``longitude``)."""
    return QTSP.objects.in_term().filter(Exists(_fasttrack_programmes())).order_by("pk")


def fasttrack_cohorts(*, qtsp: QTSP) -> QuerySet[Cohort]:
    """The QTSP's fast-track cohorts that still have places, for enrolling a referred candidate."""
    return (
        Cohort.objects.filter(programme__qtsp=qtsp, programme__is_fasttrack=True, seats_taken__lt=F("capacity"))
        .select_related("programme")
        .order_by("starts_on", "pk")
    )


def qtsp_is_staffed_by(*, qtsp_id: int, user) -> bool:
    return qtsps_for_staff(user).filter(pk=qtsp_id).exists()


def qtsp_filter_for_staff(user, field: str = "qtsp") -> Q:
    """A ``Q`` limiting another app's rows to those of ``user``'s QTSPs (e.g. fast-track referrals)."""
    return Q(**{f"{field}__in": qtsps_for_staff(user)})
