"""Tables as CSV downloads; a cell that a spreadsheet would run as a formula is escaped."""

import csv

from django.http import HttpResponse

from insights.figures.base import Table

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value) -> str:
    """The cell as text; text that begins like a formula gets a leading apostrophe (OWASP CSV injection)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return f"'{value}" if value.startswith(FORMULA_STARTS) else value
    return str(value)


def csv_response(table: Table, *, filename: str) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    response.write("\ufeff")  # spreadsheets read UTF-8 (Chinese country names) with the byte-order mark
    writer = csv.writer(response)
    writer.writerow([csv_cell(column) for column in table.columns])
    writer.writerows([csv_cell(value) for value in row] for row in table.rows)
    return response
