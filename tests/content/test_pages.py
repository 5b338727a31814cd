from importlib import import_module

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import translation

from content.models import FaqEntry, FaqGroup, Page
from content.rendering import markdown_render

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("body, forbidden", [
    ("<script>alert(1)</script>Hello", "<script"),
    ('<img src="x" onerror="alert(1)">', "onerror"),
    ("[click](javascript:alert(1))", "javascript:"),
    ('<a href="javascript:alert(1)">x</a>', "javascript:"),
    ('<p onclick="steal()">text</p>', "onclick"),
    ("<iframe src='https://evil.example'></iframe>", "<iframe"),
    ('<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>', "data:"),
])
def test_sanitizer_removes_unsafe_markup(body, forbidden):
    assert forbidden not in markdown_render(body).lower()


def test_sanitizer_keeps_markdown_formatting():
    html = markdown_render("## Title\n\n**bold** and [a link](https://ipma.example/) and a list:\n\n- one\n- two")

    assert "<h2>Title</h2>" in html and "<strong>bold</strong>" in html
    assert 'href="https://ipma.example/"' in html and "<li>one</li>" in html


def _page(**fields):
    defaults = {"slug": "test-page", "title": "Test page", "body": "English body", "status": Page.Status.PUBLISHED}
    return Page.objects.create(**{**defaults, **fields})


def test_published_page_shows_sanitized_body_to_anonymous_visitor(client):
    _page(body="Hello **world** <script>alert('x')</script>")

    response = client.get(reverse("content:page", args=["test-page"]))

    assert response.status_code == 200
    html = response.content.decode()
    assert "<strong>world</strong>" in html and "alert('x')" not in html


def test_draft_page_is_not_found(client):
    _page(status=Page.Status.DRAFT)

    assert client.get(reverse("content:page", args=["test-page"])).status_code == 404


def test_page_without_chinese_version_shows_english_with_a_note(client):
    _page(body_en="Only in English")

    response = client.get(reverse("content:page", args=["test-page"]), HTTP_ACCEPT_LANGUAGE="zh-hans")

    html = response.content.decode()
    assert "Only in English" in html and 'id="language-note"' in html


def test_page_with_chinese_version_shows_it_without_note(client):
    _page(body_en="English body", body_zh_hans="中文内容", title_zh_hans="测试页")

    response = client.get(reverse("content:page", args=["test-page"]), HTTP_ACCEPT_LANGUAGE="zh-hans")

    html = response.content.decode()
    assert "中文内容" in html and "English body" not in html and 'id="language-note"' not in html


def test_page_edits_keep_history_with_who_and_when(reviewer):
    page = _page()
    page._history_user = reviewer
    page.body_en = "Changed"
    page.save()

    history = list(page.history.order_by("history_date"))
    assert len(history) == 2
    assert history[-1].history_user == reviewer and history[-1].body_en == "Changed"


def test_seeded_pages_are_published_and_in_menus(client):
    # A transactional test elsewhere may have flushed the migration's rows; the seed is idempotent.
    import_module("content.migrations.0003_seed_pages_and_faq").seed(apps, None)

    response = client.get(reverse("home"))

    html = response.content.decode()
    for slug in ["about", "individual-accreditation", "core-competencies", "ccr-pdu", "training-partners",
                 "organization-accreditation", "who-can-join", "leadership"]:
        assert f'href="/pages/{slug}/"' in html
    assert "51 countries" in client.get(reverse("content:page", args=["about"])).content.decode()


def test_faq_groups_and_entries_have_anchors_and_drafts_are_hidden(client):
    group = FaqGroup.objects.create(slug="exams-faq", title="Exams")
    FaqEntry.objects.create(group=group, slug="when-are-exams", question="When are exams held?",
                            answer="Every *quarter*.", published=True)
    FaqEntry.objects.create(group=group, slug="secret-draft", question="Draft question?", answer="x")

    html = client.get(reverse("content:faq")).content.decode()

    assert 'id="exams-faq"' in html and 'id="when-are-exams"' in html and "<em>quarter</em>" in html
    assert "Draft question?" not in html


def test_faq_query_count_does_not_grow_with_entries(client, django_assert_max_num_queries):
    def add(count, prefix):
        for g in range(count):
            group = FaqGroup.objects.create(slug=f"{prefix}-g{g}", title=f"Group {g}")
            for e in range(count):
                FaqEntry.objects.create(group=group, slug=f"{prefix}-{g}-{e}", question="Q?", answer="A",
                                        published=True)

    add(2, "few")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(reverse("content:faq"))  # the header's menus are then kept in memory
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("content:faq"))
    add(6, "many")
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("content:faq"))

    assert len(many.captured_queries) == len(few.captured_queries)


def test_faq_question_is_shown_in_the_visitors_language(client):
    group = FaqGroup.objects.create(slug="g", title_en="General", title_zh_hans="一般问题")
    FaqEntry.objects.create(group=group, slug="q", question_en="What is IPMA?", question_zh_hans="什么是IPMA？",
                            answer_en="A body.", answer_zh_hans="一个机构。", published=True)

    english = client.get(reverse("content:faq")).content.decode()
    with translation.override("zh-hans"):
        chinese = client.get(reverse("content:faq"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()

    assert "What is IPMA?" in english and "什么是IPMA？" in chinese
