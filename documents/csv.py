"""CSV that a spreadsheet opens without running anything (CSV or formula injection).

A cell a person typed that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is
written with a leading single quote, which spreadsheets show as text. Hand-written exports use
``csv_response`` or ``SafeCsvWriter``; django-import-export exports use ``SafeCSV`` as their format.
"""

import csv
import io
from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from django.http import HttpResponse
from import_export.formats import base_formats

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value):
    """``value`` as a spreadsheet will show it and never run it; numbers, dates and None pass as they are."""
    if value is None or isinstance(value, bool | int | float | Decimal | date):
        return value
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_unescape(text: str) -> str:
    """Undo ``csv_safe`` on a value read back from an exported file (for import round trips)."""
    if len(text) > 1 and text[0] == "'" and text[1:].startswith(FORMULA_STARTS):
        return text[1:]
    return text


class SafeCsvWriter:
    """``csv.writer`` with every cell passed through ``csv_safe``."""

    def __init__(self, stream, **kwargs):
        self._writer = csv.writer(stream, **kwargs)

    def writerow(self, row: Iterable):
        return self._writer.writerow([csv_safe(cell) for cell in row])

    def writerows(self, rows: Iterable[Iterable]):
        for row in rows:
            self.writerow(row)


def csv_text(rows: Iterable[Iterable]) -> str:
    buffer = io.StringIO()
    SafeCsvWriter(buffer).writerows(rows)
    return buffer.getvalue()


def csv_response(rows: Iterable[Iterable], *, filename: str) -> HttpResponse:
    """A private CSV download of ``rows`` (the first one the header), every cell made safe."""
    response = HttpResponse(csv_text(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def dataset_csv_safe(dataset):
    """Make every cell of a tablib ``Dataset`` safe, in place; returns it."""
    for _ in range(len(dataset)):
        dataset.append([csv_safe(cell) for cell in dataset.lpop()])
    return dataset


class SafeCSV(base_formats.CSV):
    """The import-export CSV format with the full escape.

    The library's own IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT only strips a leading ``=``; this
    quotes every formula start instead, so the text stays as typed and is never run.
    """

    def export_data(self, dataset, **kwargs):
        dataset_csv_safe(dataset)
        return dataset.export(self.get_title(), **kwargs)
