"""The list_rows template library: what a long list's rows show, the same as the tags and filters it replaces."""

import datetime
import zoneinfo

import pytest
from django.template import engines
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape

from applicants.models import ConfirmationStatus, HoursEntry, MentoringFormat
from payments.models import Invoice

render = engines["django"].from_string


def test_row_url_gives_the_link_that_url_gives_for_a_number_key():
    template = render('{% load list_rows %}{% row_url "applicants:hours_update" as edit %}'
                      '{% for pk in keys %}{{ edit|row_key:pk }} {% endfor %}')

    assert template.render({"keys": [1, 42, 9081726354]}).split() == [
        reverse("applicants:hours_update", args=[pk]) for pk in (1, 42, 9081726354)]


@pytest.mark.parametrize("key", ["INV-2026-000123", "A B ü?#&%"])
def test_row_url_quotes_a_text_key_as_reverse_does(key):
    template = render('{% load list_rows %}{% row_url "payments:invoice_detail" as link %}{{ link|row_key:key }}')

    assert template.render({"key": key}) == render("{% url 'payments:invoice_detail' key %}").render({"key": key})


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_display_gives_the_choice_label_in_the_viewers_language(language):
    entries = [HoursEntry(format=value, status=status)
               for value in MentoringFormat.values for status in ConfirmationStatus.values]
    template = render('{% load list_rows %}{% for entry in entries %}{{ entry|display:"format" }}|'
                      '{{ entry|display:"status" }};{% endfor %}')

    with translation.override(language):
        shown = template.render({"entries": entries})
        expected = "".join(f"{escape(entry.get_format_display())}|{escape(entry.get_status_display())};"
                           for entry in entries)

    assert shown == expected


def test_display_labels_differ_per_language_and_an_unknown_value_shows_as_it_is():
    template = render('{% load list_rows %}{{ invoice|display:"kind" }}')

    with translation.override("en"):
        english = template.render({"invoice": Invoice(kind="exam")})
    with translation.override("zh-hans"):
        chinese = template.render({"invoice": Invoice(kind="exam")})

    assert english != chinese
    assert template.render({"invoice": Invoice(kind="not-a-kind")}) == "not-a-kind"


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_row_date_matches_the_date_filter(language):
    days = [datetime.date(2026, month, day) for month in (1, 5, 12) for day in (1, 9, 31 if month != 5 else 30)]
    template = render("{% load list_rows %}{% for day in days %}{{ day|row_date }};{% endfor %}")
    reference = render('{% for day in days %}{{ day|date:"DATE_FORMAT" }};{% endfor %}')

    with translation.override(language):
        assert template.render({"days": days}) == reference.render({"days": days})


def test_row_date_of_a_moment_is_the_day_in_the_viewers_time_zone():
    moment = datetime.datetime(2026, 3, 31, 20, 30, tzinfo=datetime.UTC)  # already 1 April in Shanghai
    template = render("{% load list_rows %}{{ moment|row_date }}|{{ none|row_date }}")

    with translation.override("en"):
        with timezone.override(zoneinfo.ZoneInfo("Asia/Shanghai")):
            in_shanghai = template.render({"moment": moment, "none": None})
        with timezone.override(zoneinfo.ZoneInfo("America/New_York")):
            in_new_york = template.render({"moment": moment, "none": None})

    assert in_shanghai == "1 Apr 2026|" and in_new_york == "31 Mar 2026|"
