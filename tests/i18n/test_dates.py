"""Dates and time zones read in the language of the page: no "星期日 14 二月 2027, 09:00 AEDT" on a Chinese page,
no ISO date where a person reads it, no raw tz database name ("Asia/Hong_Kong")."""

import datetime
import re
import zoneinfo
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from exams.models import ExamSession, TestCentre
from tests.events.factories import EventFactory
from tests.exams.factories import ExamSessionFactory, TestCentreFactory
from tests.factories import ApplicantFactory

SYDNEY = zoneinfo.ZoneInfo("Australia/Sydney")
SUNDAY_MORNING = datetime.datetime(2027, 2, 14, 9, 0, tzinfo=SYDNEY)
CHINESE_WEEKDAYS = ["星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日"]
# A date pattern that only reads well in English: "星期日 14 二月 2027" in Chinese.
ENGLISH_ORDER_IN_CHINESE = re.compile(r"\d{1,2} [一二三四五六七八九十]+月 \d{4}")


def render(source: str, language: str, **context) -> str:
    with translation.override(language), timezone.override(SYDNEY):
        return Template("{% load dates %}" + source).render(Context(context))


def chinese_datetime(moment: datetime.datetime) -> str:
    return f"{moment.year}年{moment.month}月{moment.day}日 {CHINESE_WEEKDAYS[moment.weekday()]} {moment:%H:%M}"


@pytest.mark.parametrize(("source", "english", "chinese"), [
    ("{{ when|long_date }}", "Sunday 14 February 2027", "2027年2月14日 星期日"),
    ("{{ when|long_datetime }}", "Sunday 14 February 2027, 09:00", "2027年2月14日 星期日 09:00"),
    ('{{ when|long_datetime:"zone" }}', "Sunday 14 February 2027, 09:00 AEDT", "2027年2月14日 星期日 09:00 AEDT"),
    ('{{ when|medium_datetime:"zone" }}', "Sun 14 Feb 2027, 09:00 AEDT", "2027年2月14日 星期日 09:00 AEDT"),
    ("{{ when|formal_date }}", "14 February 2027", "2027年2月14日"),
])
def test_written_out_dates_follow_the_language(source, english, chinese):
    assert render(source, "en", when=SUNDAY_MORNING) == english
    assert render(source, "zh-hans", when=SUNDAY_MORNING) == chinese


def test_written_out_dates_of_nothing_are_empty():
    assert render("[{{ when|long_date }}][{{ when|long_datetime }}]", "zh-hans", when=None) == "[][]"


def test_exam_mail_gives_the_session_time_in_chinese_with_the_zone():
    centre = TestCentre(name="Sydney Exam Rooms", time_zone="Australia/Sydney")
    session = ExamSession(centre=centre, starts_at=SUNDAY_MORNING)

    with translation.override("zh-hans"):
        text = render_to_string("exams/email/session_when.txt", {"session": session, "centre": centre})

    assert text == "2027年2月14日 星期日 09:00 AEDT"


@pytest.mark.django_db
def test_exam_calendar_in_chinese_writes_the_session_date_the_chinese_way(client):
    tokyo = TestCentreFactory(name="Shibuya Exam Hall", city="Tokyo", country="JP", time_zone="Asia/Tokyo")
    session = ExamSessionFactory(centre=tokyo)

    html = client.get(reverse("exams:calendar"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()

    assert f"{chinese_datetime(timezone.localtime(session.starts_at, tokyo.zone))} JST" in html
    assert not ENGLISH_ORDER_IN_CHINESE.search(html)


@pytest.mark.django_db
def test_event_programme_in_chinese_heads_each_day_the_chinese_way_and_names_the_zone_readably(client):
    start = timezone.now() + datetime.timedelta(days=60)
    event = EventFactory(kind="conference", format="in_person", venue="Hong Kong", time_zone="Asia/Hong_Kong",
                         starts_at=start, ends_at=start + datetime.timedelta(hours=8))
    event.programme.create(title="Opening keynote", starts_at=start, ends_at=start + datetime.timedelta(hours=1))

    html = client.get(reverse("events:programme", args=[event.slug]), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()

    day = timezone.localtime(start, zoneinfo.ZoneInfo("Asia/Hong_Kong"))
    assert f"{day.year}年{day.month}月{day.day}日 {CHINESE_WEEKDAYS[day.weekday()]}" in html
    assert "Asia/Hong Kong" in html and "Asia/Hong_Kong" not in html
    assert not ENGLISH_ORDER_IN_CHINESE.search(html)


@pytest.mark.django_db
def test_event_page_names_the_venue_and_format_without_doubled_brackets_and_the_zone_readably(client):
    event = EventFactory(kind="conference", format="hybrid", venue="Hong Kong Convention Centre",
                         time_zone="Asia/Hong_Kong")

    html = client.get(reverse("events:detail", args=[event.slug]), HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "Hong Kong Convention Centre · Hybrid (in person and online)" in html
    assert "(Hybrid (in person and online))" not in html
    assert "at the venue (Asia/Hong Kong)" in html and "Asia/Hong_Kong" not in html


@pytest.mark.django_db
def test_dashboard_and_footer_name_the_persons_time_zone_readably(client):
    person = ApplicantFactory(time_zone="Asia/Hong_Kong")
    client.force_login(person)

    html = client.get(reverse("applicants:dashboard")).content.decode()

    assert "Asia/Hong Kong" in html and "Times are shown in Asia/Hong Kong" in html
    assert "Asia/Hong_Kong" not in html


# Patterns that are the same in every language, or pages that are not in the reader's language: the QTSP mark is an
# image with English text that partners embed, the admin's monthly totals are keyed by month.
ENGLISH_ONLY_TEMPLATES = {"partners/qtsp_mark.svg", "admin/payments/invoice/change_list.html"}
LANGUAGE_NEUTRAL = {"T", "Ymd", "c", "H:i", "U"}
FORMAT_NAMES = re.compile(r"^[A-Z_]+_FORMAT$")


def test_no_template_writes_a_date_in_a_fixed_pattern():
    """A fixed pattern with a weekday's or a month's name (l, D, F, M, N, E) reads in English word order on a Chinese
    page, and an ISO date is not how people write one: templates use the format settings or the dates filters."""
    root = Path(settings.BASE_DIR) / "templates"
    found = []
    for path in sorted(root.rglob("*")):
        if not path.is_file() or str(path.relative_to(root)) in ENGLISH_ONLY_TEMPLATES:
            continue
        for pattern in re.findall(r"""\|(?:date|time):["']([^"']*)["']""", path.read_text(errors="replace")):
            if pattern not in LANGUAGE_NEUTRAL and not FORMAT_NAMES.match(pattern):
                found.append(f"{path.relative_to(root)}: {pattern}")

    assert found == []


@pytest.mark.django_db
def test_a_session_to_move_to_is_named_with_the_readers_date_format_not_an_iso_date():
    from exams.forms import SessionChoiceField

    tokyo = TestCentreFactory(name="Shibuya Exam Hall", city="Tokyo", country="JP", time_zone="Asia/Tokyo")
    session = ExamSessionFactory(centre=tokyo)
    local = timezone.localtime(session.starts_at, tokyo.zone)

    with translation.override("zh-hans"):
        label = SessionChoiceField(queryset=None).label_from_instance(session)

    assert f"{local:%Y}年{local.month}月{local.day}日" in label and "JST" in label
    assert not re.search(r"\d{4}-\d{2}-\d{2}", label)
