"""Bar charts drawn on the server as SVG geometry; the template writes the markup (no script, no CDN)."""

from dataclasses import dataclass

from insights.figures.base import Table

# Fills with at least 3:1 contrast on white (WCAG non-text contrast), one per series.
PALETTE = ("#1f5fbf", "#b35900", "#2e7d32", "#6a1b9a")
WIDTH, LABEL_WIDTH, VALUE_WIDTH, BAR, GAP, LEGEND = 720, 220, 60, 14, 10, 24


@dataclass(frozen=True)
class Bar:
    x: int
    y: int
    width: float
    height: int
    fill: str
    text: str
    text_x: float
    text_y: int


@dataclass(frozen=True)
class Group:
    label: str
    label_y: int
    bars: list[Bar]


@dataclass(frozen=True)
class BarChart:
    key: str
    title: str
    description: str
    width: int
    height: int
    legend: list[tuple[str, str, int]]
    groups: list[Group]


def _number(value) -> float:
    return float(value) if value is not None else 0.0


def _text(value) -> str:
    return "–" if value is None else f"{value}"


def bar_chart(table: Table) -> BarChart | None:
    """The chart of ``table`` (None without rows or without a chart)."""
    if table.chart is None or not table.rows:
        return None
    series = table.chart.values
    largest = table.chart.maximum or max((_number(row[i]) for row in table.rows for i in series), default=0) or 1
    plot = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    group_height = len(series) * BAR + GAP
    groups, y = [], LEGEND + GAP
    for row in table.rows:
        label = " · ".join(str(row[i]) for i in table.chart.label)
        bars = []
        for n, i in enumerate(series):
            width = round(plot * min(_number(row[i]), largest) / largest, 1)
            top = y + n * BAR
            bars.append(Bar(LABEL_WIDTH, top, width, BAR - 2, PALETTE[n % len(PALETTE)], _text(row[i]),
                            LABEL_WIDTH + width + 4, top + BAR - 4))
        groups.append(Group(label, y + (len(series) * BAR) // 2 + 4, bars))
        y += group_height
    legend = [(table.columns[i], PALETTE[n % len(PALETTE)], LABEL_WIDTH + n * 130) for n, i in enumerate(series)]
    return BarChart(table.key, table.title, table.description, WIDTH, y + GAP, legend, groups)
