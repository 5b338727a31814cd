"""The demo's content from data (pages, FAQ, the code of ethics, events and their programme, publications) reads in
Chinese on a Chinese page and in English on an English one, and running the demo seed again changes nothing but
giving Chinese to rows an earlier seed left without it."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from accreditation.models import ApplicationStatus, LevelApplication
from applicants.models import EthicsCode
from content.models import Expert, FaqEntry, FaqGroup, Page
from events.models import Event, EventKind, ProgrammeItem, Series
from publications.models import Article, Issue, Mailing, Publication, Research
from tests.conftest import rolled_back_after_the_module

CHINESE = {"accept-language": "zh-hans"}
ENGLISH = {"accept-language": "en"}
MODELS = [Page, FaqGroup, FaqEntry, Expert, EthicsCode, Series, Event, ProgrammeItem, Publication, Issue, Article,
          Research, Mailing]


@pytest.fixture(scope="module")
def demo_data(django_db_setup, django_db_blocker):
    """The demo data, built once for the module (seed_demo takes seconds)."""
    with rolled_back_after_the_module(django_db_blocker, lambda: call_command("seed_demo", stdout=io.StringIO())):
        yield


@pytest.fixture
def conference(demo_data, db):
    return Event.objects.get(kind=EventKind.CONFERENCE)


def _page(client, path: str, headers: dict) -> str:
    response = client.get(path, headers=headers)
    assert response.status_code == 200, path
    return response.content.decode()


def test_demo_about_page_and_faq_read_in_chinese_and_english(client, demo_data, db):
    chinese = _page(client, reverse("content:page", args=["who-can-join"]), CHINESE)
    english = _page(client, reverse("content:page", args=["who-can-join"]), ENGLISH)
    faq = _page(client, reverse("content:faq"), CHINESE)

    assert "谁可以加入" in chinese and "本协会的会员资格向所有人开放" in chinese and 'id="language-note"' not in chinese
    assert "Who can join" in english and "谁可以加入" not in english
    assert "我已持有 IPMA 证书，接下来该做什么？" in faq and "I already hold an IPMA certificate" not in faq


def test_demo_code_of_ethics_reads_in_chinese_in_the_application_step(client, demo_data, db):
    draft = LevelApplication.objects.filter(status=ApplicationStatus.DRAFT).select_related("applicant").first()
    client.force_login(draft.applicant)
    client.cookies["django_language"] = "zh-hans"

    html = _page(client, reverse("accreditation:application_step", args=[draft.pk, "ethics"]), {})

    assert "道德与行为准则 · " in html and "以学员的成长为先" in html and "Put the mentee" not in html


def test_demo_conference_and_programme_read_in_chinese_and_english(client, conference):
    chinese = _page(client, reverse("events:detail", args=[conference.slug]), CHINESE)
    programme = _page(client, reverse("events:programme", args=[conference.slug]), CHINESE)
    english = _page(client, reverse("events:detail", args=[conference.slug]), ENGLISH)

    assert f"IPMA {conference.starts_at.year} 年会" in chinese and "香港会议展览中心" in chinese
    assert "聚焦跨文化导师辅导" in chinese and "开普敦大学" in chinese and "Two days of keynotes" not in chinese
    assert "开幕主旨演讲：导师辅导为何能跨越国界" in programme and "Opening keynote" not in programme
    assert "主会场" in programme and "全体会议" in programme and "Main hall" not in programme
    assert "Two days of keynotes" in english and "Hong Kong Convention and Exhibition Centre" in english
    assert "年会" not in english


def test_demo_webinars_and_article_read_in_chinese(client, demo_data, db):
    events = _page(client, reverse("events:list"), CHINESE)
    article = _page(client, reverse("publications:article", args=["mentoring-new-teachers"]), CHINESE)

    assert "每月导师网络研讨会" in events and "Monthly mentoring webinar" not in events
    assert "陪伴新教师走过第一年的导师辅导" in article and "每周与导师见面的初任教师" in article
    assert "Mentoring new teachers" not in article


def test_demo_seed_again_creates_nothing_and_fills_chinese_an_earlier_seed_left_out(demo_data, db):
    counts = {model.__name__: model.objects.count() for model in MODELS}
    # As an earlier seed left them: English only.
    Page.objects.filter(slug="about").update(title_zh_hans=None, summary_zh_hans=None, body_zh_hans=None)
    FaqEntry.objects.update(question_zh_hans=None, answer_zh_hans=None)
    Expert.objects.update(affiliation_zh_hans="", bio_zh_hans="")
    EthicsCode.objects.update(title_zh_hans="Code of Ethics and Conduct", text_zh_hans=None)
    Event.objects.update(summary_zh_hans=None, description_zh_hans=None, venue_zh_hans=None)
    ProgrammeItem.objects.update(title_zh_hans=None)
    Article.objects.update(title_zh_hans=None, abstract_zh_hans=None, body_zh_hans=None)
    Research.objects.update(summary_zh_hans=None)

    call_command("seed_demo", stdout=io.StringIO())

    assert {model.__name__: model.objects.count() for model in MODELS} == counts
    assert Page.objects.get(slug="about").body_zh_hans.startswith("国际专业导师协会（IPMA）")
    assert not FaqEntry.objects.filter(answer_zh_hans__isnull=True).exists()
    assert Expert.objects.get(slug="mei-lin").bio_zh_hans == "研究高等教育中的跨文化导师辅导。"
    assert EthicsCode.objects.get(version=1).text_zh_hans.startswith("1. 以学员的成长为先")
    conference = Event.objects.get(kind=EventKind.CONFERENCE)
    assert (conference.venue_zh_hans, conference.description_zh_hans) == (
        "香港会议展览中心", "与来自世界各地的导师、项目负责人和研究人员见面交流。")
    assert not ProgrammeItem.objects.filter(title_zh_hans__isnull=True).exists()
    assert not Event.objects.filter(kind=EventKind.WEBINAR, summary_zh_hans__isnull=True).exists()
    assert not Article.objects.filter(body_zh_hans__isnull=True).exists()
    assert not Research.objects.filter(summary_zh_hans__isnull=True).exists()
    assert get_user_model().objects.filter(email="editor@ipma.example").count() == 1
