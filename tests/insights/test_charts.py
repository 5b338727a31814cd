"""Charts and tables written as markup: escaped, localized like the template engine would, accessible."""

import datetime
from decimal import Decimal

from django.utils import translation

from insights.charts import chart_svg, table_html
from insights.figures.base import Chart, Table

TWO_SERIES = Chart(values=(1, 2))


def _table(rows, chart=TWO_SERIES):
    return Table("demo", "Demo <figure>", "What it shows & why.", ["Name", "Count", "Rate (%)"], rows, chart)


def test_a_table_escapes_text_and_writes_numbers_and_missing_values():
    html = table_html(_table([("<b>North</b>", 1200, 66.7), ("South", Decimal("12.50"), None)]))
    assert "<caption>Demo &lt;figure&gt;</caption>" in html
    assert '<th scope="col">Rate (%)</th>' in html
    assert '<tr><th scope="row">&lt;b&gt;North&lt;/b&gt;</th><td>1200</td><td>66.7</td></tr>' in html
    assert '<tr><th scope="row">South</th><td>12.50</td><td>–</td></tr>' in html


def test_a_table_writes_dates_in_the_readers_format():
    with translation.override("en"):
        html = table_html(Table("d", "D", "", ["Country", "Oldest"], [("France", datetime.date(2026, 12, 14))]))
    assert "<td>14 Dec 2026</td>" in html


def test_an_empty_table_says_so_across_its_columns():
    with translation.override("en"):
        html = table_html(_table([]))
    assert '<td colspan="3">Nothing in this period.</td>' in html


def test_a_chart_has_a_title_a_description_and_one_bar_per_value():
    svg = chart_svg(_table([("North", 10, 50.0), ("South", 5, None)]))
    assert svg.startswith('<svg class="insights-chart" role="img"')
    assert 'aria-labelledby="chart-demo-title chart-demo-desc"' in svg
    assert '<title id="chart-demo-title">Demo &lt;figure&gt;</title>' in svg
    assert "What it shows &amp; why." in svg
    assert svg.count("<rect") == 2 + 4  # the legend's two swatches, two bars per row
    assert 'width="440.0"' in svg  # the largest value spans the plot (720 - 220 - 60)
    assert ">–</text>" in svg


def test_a_long_label_is_shortened_and_no_chart_without_rows():
    svg = chart_svg(_table([("A very long name of a training partner indeed", 1, 2)]))
    assert "A very long name of a training pa…" in svg
    assert chart_svg(_table([])) == "" and chart_svg(_table([("x", 1, 2)], chart=None)) == ""
