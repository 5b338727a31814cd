import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.html import escape

from applicants.models import ConfirmationStatus, HoursEntry, MentoringFormat
from applicants.selectors import hours_totals
from applicants.services import hours_entries_lock, hours_entry_delete, hours_entry_update
from ipma_portal.pagination import PAGE_SIZE
from tests.applicants.factories import HoursEntryFactory
from tests.factories import ApplicantFactory

pytestmark = pytest.mark.django_db

HEADER = "mentee,started_on,ended_on,hours,format,notes\n"


def entry_data(**overrides):
    data = {"mentee": "Mentee A", "started_on": "2025-01-06", "ended_on": "2025-03-31", "hours": "12.5",
            "format": "online", "notes": "Weekly calls"}
    data.update(overrides)
    return data


def csv_upload(text: str, name: str = "hours.csv"):
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


def test_applicant_logs_hours_and_sees_the_total(client, applicant):
    client.force_login(applicant)

    response = client.post(reverse("applicants:hours_create"), entry_data())
    client.post(reverse("applicants:hours_create"), entry_data(mentee="Acme Ltd", hours="7.5", format="group"))

    assert response.status_code == 302
    page = client.get(reverse("applicants:hours_list")).content.decode()
    assert "20.0 hours in 2 entries" in page
    assert "Group: 7.5 h" in page


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"ended_on": "2024-12-31"}, "The end date is before the start date."),
        ({"started_on": "2025-01-06", "ended_on": "2025-01-06", "hours": "25"}, "More hours than the period has."),
        ({"ended_on": "2999-01-01"}, "Hours can only be logged once they have been given."),
        ({"hours": "0"}, "Enter a number of hours above zero."),
        ({"hours": "99999999"}, "That is more hours than one entry can hold"),
        ({"started_on": "1900-05-01"}, "Hours given more than 50 years ago cannot be logged; check the year."),
        ({"format": "telepathy"}, "Select a valid choice."),
    ],
)
def test_impossible_entries_are_refused(client, applicant, overrides, message):
    client.force_login(applicant)

    response = client.post(reverse("applicants:hours_create"), entry_data(**overrides))

    assert message in response.content.decode()
    assert not HoursEntry.objects.exists()


def test_applicant_edits_and_deletes_an_unused_entry(client, applicant):
    entry = HoursEntryFactory(user=applicant)
    client.force_login(applicant)

    client.post(reverse("applicants:hours_update", args=[entry.pk]), entry_data(hours="3"))
    entry.refresh_from_db()
    assert entry.hours == Decimal("3.0")

    client.post(reverse("applicants:hours_delete", args=[entry.pk]))
    assert not HoursEntry.objects.filter(pk=entry.pk).exists()


@pytest.mark.parametrize("url_name", ["applicants:hours_update", "applicants:hours_delete"])
def test_another_persons_entry_is_not_found(client, applicant, url_name):
    entry = HoursEntryFactory()
    client.force_login(applicant)

    assert client.get(reverse(url_name, args=[entry.pk])).status_code == 404
    assert client.post(reverse(url_name, args=[entry.pk]), entry_data()).status_code == 404
    assert HoursEntry.objects.filter(pk=entry.pk, hours=entry.hours).exists()


@pytest.mark.parametrize("url_name", ["applicants:hours_list", "applicants:hours_create", "applicants:hours_export",
                                      "applicants:hours_import"])
def test_hours_pages_require_sign_in(client, url_name):
    assert reverse("account_login") in client.get(reverse(url_name)).url


def test_locked_entry_cannot_be_changed_or_deleted(client, applicant):
    entry = HoursEntryFactory(user=applicant)
    hours_entries_lock(user=applicant, entry_ids=[entry.pk])
    client.force_login(applicant)

    client.post(reverse("applicants:hours_update", args=[entry.pk]), entry_data(hours="99"))
    response = client.post(reverse("applicants:hours_delete", args=[entry.pk]), follow=True)

    assert "counted in an approved application" in response.content.decode()
    entry.refresh_from_db()
    assert entry.hours == Decimal("10.0")
    with pytest.raises(ValidationError, match="approved application"):
        hours_entry_update(entry=entry, actor=applicant, hours=Decimal("1"))
    with pytest.raises(ValidationError, match="approved application"):
        hours_entry_delete(entry=entry, actor=applicant)


def test_lock_touches_only_the_owners_entries(applicant):
    other = HoursEntryFactory()

    assert hours_entries_lock(user=applicant, entry_ids=[other.pk]) == 0


def test_export_lists_only_the_applicants_entries_in_import_columns(client, applicant):
    HoursEntryFactory(user=applicant, mentee="Mine", hours=Decimal("4.5"), notes="Café, \"quoted\"")
    HoursEntryFactory(mentee="Someone else's")
    client.force_login(applicant)

    response = client.get(reverse("applicants:hours_export"))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [(row["mentee"], row["hours"], row["notes"], row["format"]) for row in rows] == [
        ("Mine", "4.5", "Café, \"quoted\"", "online")
    ]
    assert list(rows[0]) == ["mentee", "started_on", "ended_on", "hours", "format", "notes"]


def test_export_then_import_round_trips_into_another_account(client, applicant, user_factory):
    HoursEntryFactory(user=applicant, mentee="Round trip")
    client.force_login(applicant)
    exported = client.get(reverse("applicants:hours_export")).content.decode()
    other = user_factory()
    client.force_login(other)

    response = client.post(reverse("applicants:hours_import"), {"file": csv_upload(exported)})

    assert response.status_code == 302
    assert list(HoursEntry.objects.filter(user=other).values_list("mentee", flat=True)) == ["Round trip"]


def test_import_of_good_rows_creates_every_entry(client, applicant):
    client.force_login(applicant)
    text = HEADER + "Mentee A,2025-01-06,2025-03-31,12.5,online,\nAcme Ltd,2025-02-01,2025-02-28,6,Group,workshops\n"

    response = client.post(reverse("applicants:hours_import"), {"file": csv_upload(text)}, follow=True)

    assert "2 entries were imported." in response.content.decode()
    assert hours_totals(applicant).total == Decimal("18.5")
    assert set(HoursEntry.objects.values_list("format", flat=True)) == {"online", "group"}


def test_import_with_a_bad_row_imports_nothing_and_reports_each_row(client, applicant):
    HoursEntryFactory(user=applicant, mentee="Already", started_on="2025-01-01", ended_on="2025-01-31",
                      hours=Decimal("5"))
    client.force_login(applicant)
    text = HEADER + (
        "Good one,2025-01-06,2025-03-31,12.5,online,\n"
        "Backwards,2025-03-01,2025-02-01,3,online,\n"
        "Bad date,31/01/2025,2025-02-01,3,online,\n"
        "Bad format,2025-01-06,2025-01-31,3,carrier pigeon,\n"
        "Already,2025-01-01,2025-01-31,5,online,\n"
    )

    response = client.post(reverse("applicants:hours_import"), {"file": csv_upload(text)})

    assert response.status_code == 400
    report = response.context["report"]
    assert [number for number, _messages in report.errors] == [3, 4, 5, 6]
    messages = dict(report.errors)
    assert "The end date is before the start date." in " ".join(messages[3])
    assert messages[4] == ["From: write the date as YYYY-MM-DD, e.g. 2025-01-31"]
    assert messages[5][0].startswith("Format: “carrier pigeon” is not one of in_person (In person)")
    assert "already in your log" in " ".join(messages[6])
    assert "Nothing was imported." in response.content.decode()
    assert list(HoursEntry.objects.values_list("mentee", flat=True)) == ["Already"]


def test_import_refuses_a_row_repeated_in_the_file(client, applicant):
    client.force_login(applicant)
    row = "Twice,2025-01-06,2025-01-31,3,online,\n"

    response = client.post(reverse("applicants:hours_import"), {"file": csv_upload(HEADER + row + row)})

    assert [number for number, _messages in response.context["report"].errors] == [3]
    assert not HoursEntry.objects.exists()


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("id,mentee,started_on,ended_on,hours,format,notes\n1,X,2025-01-01,2025-01-02,1,online,\n",
         "The first row must name exactly these columns"),
        ("mentee,hours\nX,1\n", "The first row must name exactly these columns"),
        (HEADER, "The file has no rows below the header."),
    ],
    ids=["id-column", "missing-columns", "header-only"],
)
def test_import_refuses_a_file_of_the_wrong_shape(client, applicant, text, problem):
    victim = HoursEntryFactory(mentee="Not yours")
    client.force_login(applicant)

    response = client.post(reverse("applicants:hours_import"), {"file": csv_upload(text)})

    assert problem in response.context["report"].problem
    assert list(HoursEntry.objects.values_list("pk", "mentee")) == [(victim.pk, "Not yours")]


def test_import_refuses_a_file_that_is_not_text(client, applicant):
    client.force_login(applicant)

    response = client.post(reverse("applicants:hours_import"), {"file": SimpleUploadedFile("h.csv", b"\xff\xfe\x00\x81")})

    assert "not UTF-8 text" in response.context["report"].problem


def test_import_accepts_semicolons_and_a_byte_order_mark(client, applicant):
    client.force_login(applicant)
    text = "\ufeff" + HEADER.replace(",", ";") + "Semi;2025-01-06;2025-01-31;3,5;online;\n".replace("3,5", "3.5")

    response = client.post(reverse("applicants:hours_import"), {"file": csv_upload(text)})

    assert response.status_code == 302
    assert HoursEntry.objects.get().hours == Decimal("3.5")


def hours_list_queries(client, user, rows):
    HoursEntryFactory.create_batch(rows, user=user)
    client.get(reverse("applicants:hours_list"))  # the header's menus are then kept in memory
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("applicants:hours_list"))
    assert response.status_code == 200
    return len(queries), response


def test_hours_list_runs_the_same_queries_for_5_and_200_entries(client, applicant):
    client.force_login(applicant)
    few, few_response = hours_list_queries(client, applicant, 5)
    other = ApplicantFactory()
    client.force_login(other)
    many, many_response = hours_list_queries(client, other, 200)

    # user, roles and privileges (the session from its Redis copy); the totals (which count the rows too); one page
    assert few == many == 4
    assert few_response.content.decode().count("/edit/") == 5
    assert many_response.content.decode().count("/edit/") == PAGE_SIZE


def test_hours_list_pages_newest_first_with_totals_over_all_entries(client, applicant):
    for day in range(1, 31):
        HoursEntryFactory(user=applicant, mentee=f"Mentee {day:02d}", hours=Decimal("2"),
                          started_on=datetime.date(2025, 1, day), ended_on=datetime.date(2025, 1, day))
    client.force_login(applicant)

    first = client.get(reverse("applicants:hours_list"))
    second = client.get(reverse("applicants:hours_list"), {"page": 2})

    assert [entry.mentee for entry in first.context["entries"]][:2] == ["Mentee 30", "Mentee 29"]
    assert [entry.mentee for entry in second.context["entries"]] == [f"Mentee {day:02d}" for day in range(5, 0, -1)]
    for response in (first, second):
        assert response.context["totals"].entries == 30 and response.context["totals"].total == Decimal("60")
    page = first.content.decode()
    assert 'aria-label="Pages of your entries"' in page and 'aria-current="page"' in page
    assert 'href="?page=2"' in page and "Page 1 of 2" in page
    assert 'href="?page=1"' in second.content.decode()


def test_hours_totals_leave_out_rejected_entries_which_the_list_still_shows(client, applicant):
    S, F = ConfirmationStatus, MentoringFormat

    def entry(hours, format, status, started_on, ended_on):
        return HoursEntryFactory(user=applicant, hours=Decimal(hours), format=format, status=status,
                                 started_on=datetime.date(*started_on), ended_on=datetime.date(*ended_on))

    entry("2.5", F.ONLINE, S.CONFIRMED, (2025, 2, 1), (2025, 2, 3))
    entry("4", F.ONLINE, S.ACCEPTED, (2025, 3, 1), (2025, 3, 9))
    entry("3", F.IN_PERSON, S.REQUESTED, (2025, 4, 1), (2025, 4, 2))
    entry("1", F.HYBRID, S.UNCONFIRMED, (2025, 5, 1), (2025, 5, 2))
    entry("7", F.GROUP, S.REJECTED, (2024, 1, 1), (2026, 1, 1))  # earliest and latest, yet counted nowhere
    HoursEntryFactory.create_batch(PAGE_SIZE - 4, user=applicant, hours=Decimal("0.5"), status=S.REJECTED,
                                   started_on=datetime.date(2025, 1, 1), ended_on=datetime.date(2025, 1, 1))

    totals = hours_totals(applicant)
    client.force_login(applicant)
    page = client.get(reverse("applicants:hours_list")).content.decode()

    assert totals.total == Decimal("10.5") and totals.entries == 4 and totals.listed == PAGE_SIZE + 1
    assert totals.confirmed == Decimal("6.5") and totals.awaiting == Decimal("3")
    assert totals.by_format == {"In person": Decimal("3"), "Online": Decimal("6.5"), "Hybrid": Decimal("1")}
    assert totals.first_started_on == datetime.date(2025, 2, 1) and totals.last_ended_on == datetime.date(2025, 5, 2)
    assert "Page 1 of 2" in page and "10.5 hours in 4 entries" in page


def test_hours_totals_of_an_empty_log_are_zero(applicant):
    totals = hours_totals(applicant)

    assert (totals.total, totals.entries, totals.listed, totals.by_format) == (Decimal("0"), 0, 0, {})
    assert totals.first_started_on is None and totals.last_ended_on is None


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_hours_list_rows_link_and_label_as_before(client, applicant, language):
    entry = HoursEntryFactory(user=applicant, format=MentoringFormat.GROUP, started_on=datetime.date(2025, 12, 1),
                              ended_on=datetime.date(2025, 12, 24))
    locked = HoursEntryFactory(user=applicant, locked_at=timezone.now())
    client.force_login(applicant)

    with translation.override(language):
        page = client.get(reverse("applicants:hours_list"), HTTP_ACCEPT_LANGUAGE=language).content.decode()
        expected = [date_format(entry.started_on, "DATE_FORMAT"), date_format(entry.ended_on, "DATE_FORMAT"),
                    escape(entry.get_format_display()), escape(entry.get_status_display())]

    assert f'href="{reverse("applicants:hours_update", args=[entry.pk])}"' in page
    assert f'href="{reverse("applicants:hours_delete", args=[entry.pk])}"' in page
    assert reverse("applicants:hours_update", args=[locked.pk]) not in page
    assert all(text in page for text in expected), expected


def test_hours_list_keeps_other_parameters_in_page_links(client, applicant):
    HoursEntryFactory.create_batch(PAGE_SIZE + 1, user=applicant)
    client.force_login(applicant)

    response = client.get(reverse("applicants:hours_list"), {"page": 2, "lang": "x y"})

    assert 'href="?lang=x+y&amp;page=1"' in response.content.decode()


@pytest.mark.parametrize("page", ["3", "0", "last", "-1"])
def test_hours_list_page_out_of_range_is_not_found(client, applicant, page):
    HoursEntryFactory.create_batch(PAGE_SIZE + 1, user=applicant)
    client.force_login(applicant)

    response = client.get(reverse("applicants:hours_list"), {"page": page})

    assert response.status_code == 404


def test_import_errors_use_the_forms_labels_not_field_names(client, applicant):
    client.force_login(applicant)
    text = HEADER + "Bad format,2025-01-06,2025-01-31,3,telepathy,\nBad date,2025-01-06,31/01/2025,3,online,\n"

    response = client.post(reverse("applicants:hours_import"), {"file": csv_upload(text)})

    errors = dict(response.context["report"].errors)
    assert errors[2] == ["Format: “telepathy” is not one of in_person (In person), online (Online), hybrid (Hybrid), "
                         "group (Group)"]
    assert errors[3] == ["To: write the date as YYYY-MM-DD, e.g. 2025-01-31"]
    page = response.content.decode()
    assert "format: " not in page and "ended_on: " not in page and "is not a valid choice" not in page
