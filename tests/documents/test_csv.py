"""Exports a spreadsheet opens without running a formula (documents.csv and the import-export setting)."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from import_export.formats import base_formats

from applicants.services import hours_entry_create, hours_export_csv, hours_import_csv
from documents.csv import SafeCSV, csv_response, csv_safe, csv_unescape


@pytest.mark.parametrize("value", ["=HYPERLINK(\"http://x\")", "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx"])
def test_csv_safe_quotes_formula_starts(value):
    assert csv_safe(value) == "'" + value


@pytest.mark.parametrize("value", ["Ada Lovelace", "", "a=b", None, 3, Decimal("-1.5"), date(2024, 1, 2)])
def test_csv_safe_keeps_plain_values(value):
    assert csv_safe(value) == value


def test_csv_unescape_takes_back_only_what_csv_safe_added():
    assert csv_unescape(csv_safe("=1+1")) == "=1+1"
    assert csv_unescape("'quoted'") == "'quoted'"


def test_csv_response_escapes_every_cell():
    response = csv_response([["name"], ["=HYPERLINK(\"http://evil\")"]], filename="people.csv")

    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[1] == ["'=HYPERLINK(\"http://evil\")"]
    assert response["Cache-Control"] == "private, no-store"


def test_import_export_setting_escapes_formulae_on_export(settings):
    assert settings.IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT is True
    dataset = tablib.Dataset(["=HYPERLINK(\"http://evil\",\"x\")"], headers=["name"])

    exported = base_formats.CSV().export_data(dataset)

    assert "=HYPERLINK" not in exported


def test_safe_csv_format_quotes_every_formula_start():
    dataset = tablib.Dataset(["=HYPERLINK(\"http://evil\")", "-2+3"], headers=["name", "note"])

    exported = SafeCSV().export_data(dataset)

    assert list(csv.reader(io.StringIO(exported)))[1] == ["'=HYPERLINK(\"http://evil\")", "'-2+3"]


@pytest.mark.django_db
def test_hours_export_escapes_a_formula_mentee_and_reimports_it_as_typed(applicant):
    hours_entry_create(user=applicant, mentee="=HYPERLINK(\"http://evil\")", started_on=date(2024, 1, 1),
                       ended_on=date(2024, 1, 31), hours=Decimal("4"), format="online")

    exported = hours_export_csv(user=applicant)
    applicant.hours_entries.all().delete()
    report = hours_import_csv(user=applicant, upload=SimpleUploadedFile("h.csv", exported.encode()))

    assert "'=HYPERLINK" in exported
    assert report.ok
    assert applicant.hours_entries.get().mentee == "=HYPERLINK(\"http://evil\")"
