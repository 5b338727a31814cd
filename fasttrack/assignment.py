"""Choosing a QTSP for an accepted candidate, and the referral's response deadline (pure functions)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from partners.places import great_circle_km


@dataclass(frozen=True)
class Candidate:
    qtsp: object
    distance_km: float


def rank_by_distance(latitude, longitude, qtsps: Iterable, *, exclude_ids: Iterable[int] = ()) -> list[Candidate]:
    """QTSPs nearest first by great-circle distance from the point; ties broken by QTSP id (stable)."""
    excluded = set(exclude_ids)
    ranked = [
        Candidate(qtsp, great_circle_km(latitude, longitude, qtsp.latitude, qtsp.longitude))
        for qtsp in qtsps
        if qtsp.pk not in excluded
    ]
    ranked.sort(key=lambda candidate: (round(candidate.distance_km, 3), candidate.qtsp.pk))
    return ranked


def business_days_after(start: datetime, days: int) -> datetime:
    """``start`` moved on by ``days`` working days (Monday to Friday), keeping the time of day."""
    moment, left = start, days
    while left > 0:
        moment += timedelta(days=1)
        if moment.weekday() < 5:
            left -= 1
    return moment
