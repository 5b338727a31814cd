"""Bar charts drawn on the server as SVG, and the tables under them, written as markup in Python.

A figure can have hundreds of rows (one per QTSP, per country, per centre and quarter): rendered through the
template engine, its cells and bars cost most of the committee page's time. Here each chart and table is one
string built with plain formatting, and the page's template only places them (no script, no CDN).
"""

from decimal import Decimal
from html import escape

from django.conf import settings
from django.utils import formats
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from insights.figures.base import Table

# Fills with at least 3:1 contrast on white (WCAG non-text contrast), one per series.
PALETTE = ("#1f5fbf", "#b35900", "#2e7d32", "#6a1b9a")
WIDTH, LABEL_WIDTH, VALUE_WIDTH, BAR, GAP, LEGEND = 720, 220, 60, 14, 10, 24
LABEL_CHARS = 34
TEXT = "#212529"


def _number(value) -> float:
    return float(value) if value is not None else 0.0


def _text(value) -> str:
    return "–" if value is None else f"{value}"


def _shortened(label: str) -> str:
    return label if len(label) <= LABEL_CHARS else label[:LABEL_CHARS - 1] + "…"


def _coordinate(value: float) -> str:
    # What the template wrote with ``|stringformat:'s'``: 12.0 stays "12.0".
    return str(value)


def chart_svg(table: Table) -> SafeString:
    """The chart of ``table`` as an accessible SVG element ("" without rows or without a chart)."""
    if table.chart is None or not table.rows:
        return mark_safe("")
    key = escape(table.key)
    series = table.chart.values
    largest = table.chart.maximum or max((_number(row[i]) for row in table.rows for i in series), default=0) or 1
    plot = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    group_height = len(series) * BAR + GAP
    parts, y = [], LEGEND + GAP
    for n, i in enumerate(series):
        x = LABEL_WIDTH + n * 130
        parts.append(f'<rect x="{x}" y="4" width="12" height="12" fill="{PALETTE[n % len(PALETTE)]}"/>'
                     f'<text x="{x + 16}" y="14" font-size="12" fill="{TEXT}">{escape(str(table.columns[i]))}</text>')
    for row in table.rows:
        label = " · ".join(str(row[i]) for i in table.chart.label)
        parts.append(f'<text x="{LABEL_WIDTH - 6}" y="{y + (len(series) * BAR) // 2 + 4}" font-size="12" '
                     f'text-anchor="end" fill="{TEXT}">{escape(_shortened(label))}</text>')
        for n, i in enumerate(series):
            width = round(plot * min(_number(row[i]), largest) / largest, 1)
            top = y + n * BAR
            parts.append(f'<rect x="{LABEL_WIDTH}" y="{top}" width="{_coordinate(width)}" height="{BAR - 2}" '
                         f'fill="{PALETTE[n % len(PALETTE)]}"/><text x="{_coordinate(LABEL_WIDTH + width + 4)}" '
                         f'y="{top + BAR - 4}" font-size="11" fill="{TEXT}">{escape(_text(row[i]))}</text>')
        y += group_height
    height = y + GAP
    description = escape(f"{table.description} {_('The numbers are in the table below the chart.')}")
    return mark_safe(
        f'<svg class="insights-chart" role="img" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" '
        f'aria-labelledby="chart-{key}-title chart-{key}-desc" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="chart-{key}-title">{escape(str(table.title))}</title>'
        f'<desc id="chart-{key}-desc">{description}</desc>{"".join(parts)}</svg>')


def _cell_formatter():
    """How a cell's value is written in the current language: as ``{{ value }}`` would, resolved once per table."""
    if settings.USE_THOUSAND_SEPARATOR:
        return lambda value: escape(str(formats.localize(value)))
    decimal = formats.get_format("DECIMAL_SEPARATOR")

    def cell(value) -> str:
        if value is None:
            return "–"
        if isinstance(value, str):
            return escape(value)
        if isinstance(value, bool):
            return str(value)
        if isinstance(value, int):
            return str(value)
        if isinstance(value, float) and "e" not in repr(value):
            return repr(value).replace(".", decimal)
        if isinstance(value, Decimal):
            return format(value, "f").replace(".", decimal)
        return escape(str(formats.localize(value)))

    return cell


def table_html(table: Table) -> SafeString:
    """``table`` as an HTML table: a caption, column headers, and each row's first cell as its header."""
    cell = _cell_formatter()
    head = "".join(f'<th scope="col">{escape(str(column))}</th>' for column in table.columns)
    if table.rows:
        not_given = escape(_("Not given"))  # a row of no level, country...: outside the f-string for makemessages
        body = "".join(
            "<tr>" + f'<th scope="row">{cell(row[0]) if row[0] is not None else not_given}</th>'
            + "".join(f"<td>{cell(value)}</td>" for value in row[1:]) + "</tr>"
            for row in table.rows)
    else:
        empty = _("Nothing in this period.")  # outside the f-string, where makemessages finds it
        body = f'<tr><td colspan="{len(table.columns)}">{escape(empty)}</td></tr>'
    return mark_safe(f'<table class="insights-table"><caption>{escape(str(table.title))}</caption>'
                     f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")
