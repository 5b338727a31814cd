"""Reads for the public training finder (``/training/``), a QTSP's place requests and its public status.

A cohort is listed while it has not started, its programme is approved and open, and its QTSP is approved
and within its term: a lapsed or suspended QTSP disappears from the finder at once.
"""

from __future__ import annotations

from django.db.models import F, Prefetch, QuerySet
from django.utils import timezone

from partners.models import QTSP, Cohort, PlaceRequest, ProgrammeStatus, SyllabusItem


def finder_cohorts(*, today=None) -> QuerySet[Cohort]:
    """Upcoming cohorts of approved programmes of QTSPs in their term, soonest first (one query, plus syllabi)."""
    today = today or timezone.localdate()
    return (
        Cohort.objects.filter(
            starts_on__gte=today,
            programme__status=ProgrammeStatus.APPROVED,
            programme__is_active=True,
            programme__qtsp__in=QTSP.objects.in_term(today),
        )
        .select_related("programme__qtsp", "programme__level")
        .annotate(places_left=F("capacity") - F("seats_taken"))
        .order_by("starts_on", "programme__qtsp__name", "pk")
    )


def finder_cohort(*, pk: int) -> Cohort:
    return (
        finder_cohorts()
        .prefetch_related(Prefetch("programme__syllabus", queryset=SyllabusItem.objects.select_related("topic")))
        .get(pk=pk)
    )


def place_requests_for_qtsp(*, qtsp: QTSP) -> QuerySet[PlaceRequest]:
    """The requests a QTSP's staff answer: open ones first, then the last decided."""
    return (
        PlaceRequest.objects.filter(cohort__programme__qtsp=qtsp)
        .select_related("cohort__programme__level", "person")
        .order_by("decided_at", "-created_at")
    )


def place_requests_of(*, user) -> QuerySet[PlaceRequest]:
    """A person's own requests, newest first."""
    return (
        PlaceRequest.objects.filter(person=user)
        .select_related("cohort__programme__qtsp", "cohort__programme__level")
        .order_by("-created_at")
    )


def qtsp_public_status(*, pk: int) -> QTSP:
    """A QTSP the committee once approved (approved, suspended or lapsed); applications never show."""
    return QTSP.objects.filter(approved_at__isnull=False).prefetch_related("levels").get(pk=pk)


def qtsp_in_term(qtsp: QTSP, *, today=None) -> bool:
    """Approved and within the term: the mark may be downloaded and completions recorded."""
    today = today or timezone.localdate()
    return qtsp.status == QTSP.Status.APPROVED and (qtsp.approved_until is None or qtsp.approved_until >= today)
