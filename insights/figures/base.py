"""What every figure is made of: the filters it reads, the table it returns, the SQL helpers it shares."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Aggregate, F, FloatField, Func
from django.utils import timezone


@dataclass(frozen=True)
class Filters:
    """The page's filters: a date range (inclusive), a level code and a country code ("" for all)."""

    start: datetime.date
    end: datetime.date
    level: str = ""
    country: str = ""

    @property
    def since(self) -> datetime.datetime:
        """The first moment of the range, in the current time zone."""
        return timezone.make_aware(datetime.datetime.combine(self.start, datetime.time.min))

    @property
    def until(self) -> datetime.datetime:
        """The first moment after the range (exclusive bound)."""
        return timezone.make_aware(datetime.datetime.combine(self.end + datetime.timedelta(days=1), datetime.time.min))

    def as_query(self) -> dict:
        return {"start": self.start.isoformat(), "end": self.end.isoformat(), "level": self.level,
                "country": self.country}


@dataclass(frozen=True)
class Chart:
    """How a table is drawn: bars per row, labelled by ``label`` columns, one series per ``values`` column."""

    values: tuple[int, ...]
    label: tuple[int, ...] = (0,)
    maximum: float | None = None  # 100 for percentages; otherwise the largest value


@dataclass
class Table:
    key: str
    title: str
    description: str
    columns: list[str]
    rows: list[tuple] = field(default_factory=list)
    chart: Chart | None = None
    note: str = ""


class Percentile(Aggregate):
    """PostgreSQL's ``percentile_cont(fraction) WITHIN GROUP (ORDER BY expression)``."""

    function = "PERCENTILE_CONT"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()

    def __init__(self, expression, fraction: float, **extra):
        super().__init__(expression, fraction=float(fraction), **extra)


class EpochSeconds(Func):
    """The length of an interval in seconds."""

    template = "EXTRACT(EPOCH FROM %(expressions)s)"
    output_field = FloatField()


def days_between(start: str, end) -> EpochSeconds:
    """Days from field ``start`` to ``end`` (a field name or an expression), as a float."""
    end = F(end) if isinstance(end, str) else end
    return EpochSeconds(end - F(start)) / 86400.0


def rate(part, whole) -> float | None:
    """A percentage with one decimal, or None when there is nothing to divide."""
    return round(100.0 * float(part or 0) / float(whole), 1) if whole else None


def rounded(value, places: int = 1):
    return None if value is None else round(float(value), places)
