import pytest
from django.urls import reverse

from content.models import Page
from publications.models import Research
from publications.selectors import search

pytestmark = pytest.mark.django_db


def test_search_ranks_title_matches_first_and_marks_the_matched_words(article_factory):
    article_factory(title="Reverse mentoring in banks", abstract="How juniors teach seniors.", members_only=False)
    article_factory(title="Annual report", abstract="Notes.", body="A paragraph mentions reverse mentoring once.",
                    members_only=False)

    results = search(text="reverse mentoring")

    assert [r.title for r in results][:2] == ["Reverse mentoring in banks", "Annual report"]
    assert "<mark>reverse</mark>" in results[1].snippet.lower()


def test_search_never_matches_or_shows_a_members_only_body(article_factory):
    article_factory(title="Members piece", abstract="Abstract words.", body="zeppelin secrets inside",
                    members_only=True)

    assert search(text="zeppelin") == []
    results = search(text="abstract")
    assert results and "zeppelin" not in results[0].snippet


def test_search_covers_research_and_pages():
    Research.objects.create(title="Mentoring outcomes in nursing", authors="Kim, J.", year=2021,
                            summary="A study of mentoring outcomes.", url="https://example.org/paper")
    Page.objects.create(slug="ccr-demo", title="Renewal with PDUs", body="Earn professional development units.",
                        status=Page.Status.PUBLISHED)
    Page.objects.create(slug="draft-demo", title="Draft about units", body="units", status=Page.Status.DRAFT)

    kinds = {(r.kind, r.title) for r in search(text="nursing")} | {(r.kind, r.title) for r in search(text="units")}

    assert ("research", "Mentoring outcomes in nursing (2021)") in kinds
    assert ("page", "Renewal with PDUs") in kinds
    assert all(title != "Draft about units" for _kind, title in kinds)


def test_search_snippet_escapes_markup_from_the_text(article_factory):
    article_factory(title="Safe", abstract="<script>alert(1)</script> Q&A: mentoring tips", members_only=False)

    snippet = search(text="tips")[0].snippet

    assert "<mark>tips</mark>" in snippet
    assert "<" not in snippet.replace("<mark>", "").replace("</mark>", "")


def test_highlighting_escapes_the_text_and_marks_only_the_matches():
    from publications.selectors import _START, _STOP, _highlight

    assert _highlight(f"<b>Q&A</b> {_START}tips{_STOP}") == "&lt;b&gt;Q&amp;A&lt;/b&gt; <mark>tips</mark>"


def test_search_in_chinese_matches_substrings(article_factory):
    article_factory(title="Chinese", title_zh_hans="导师的成长", abstract_zh_hans="关于专业导师的研究", members_only=False)

    results = search(text="导师", language="zh-hans")

    assert results and "<mark>导师</mark>" in results[0].snippet


def test_search_page_is_reachable_from_every_page_and_shows_results(client, article_factory):
    article_factory(title="Supervision skills explained", members_only=False)

    home = client.get(reverse("home")).content.decode()
    response = client.get(reverse("publications:search"), {"q": "supervision"})

    assert 'action="/search/"' in home and 'name="q"' in home
    assert "Supervision skills explained" in response.content.decode()


def test_empty_search_shows_the_form_only(client):
    response = client.get(reverse("publications:search"))

    assert response.status_code == 200 and 'id="result-count"' not in response.content.decode()


# ---- what a visitor types: word starts, all required, whatever the accents ------------------------------------


def _titles(text: str) -> list[str]:
    """The articles and research found (the pages seeded by content's migrations are searched too)."""
    return sorted(result.title for result in search(text=text) if result.kind != "page")


def test_search_finds_the_start_of_a_word(article_factory):
    article_factory(title="Supervision skills explained", abstract="For new supervisors.", members_only=False)
    article_factory(title="Annual report", members_only=False)

    assert _titles("superv") == ["Supervision skills explained"]
    assert _titles("Skil EXPL") == ["Supervision skills explained"]
    assert _titles("ervision") == []  # the middle of a word is not its start
    found = next(result for result in search(text="superv") if result.kind == "article")
    assert "<mark>supervisors</mark>" in found.snippet


def test_search_requires_every_word(article_factory):
    article_factory(title="Reverse mentoring in banks", members_only=False)
    article_factory(title="Mentoring in schools", members_only=False)

    assert _titles("mentor bank") == ["Reverse mentoring in banks"]
    assert _titles("mentor hospital") == []


def test_search_keeps_english_forms_of_a_whole_word(article_factory):
    article_factory(title="How mentors learn", members_only=False)

    assert _titles("mentoring") == ["How mentors learn"]
    assert _titles("learning") == ["How mentors learn"]


def test_search_ignores_accents_both_ways(article_factory):
    article_factory(title="Mentoría en España", abstract="Entrevista con Lucía Fernández.", members_only=False)
    article_factory(title="Notes from Malaga", abstract="By Jose Lucia.", members_only=False)
    Research.objects.create(title="Mentoring in Zürich", authors="Müller, A.", year=2022, summary="A survey.")

    assert _titles("mentoria espana") == ["Mentoría en España"]
    assert _titles("Lucia Fernandez") == ["Mentoría en España"]
    assert _titles("lucía") == ["Mentoría en España", "Notes from Malaga"]
    assert _titles("málaga josé") == ["Notes from Malaga"]
    assert _titles("zurich muller") == ["Mentoring in Zürich (2022)"]


@pytest.mark.parametrize("text", ["'", "&&", "-", "!", "<->", ":*", "\\", "x" * 500, "leadership " * 30, "😀",
                                  "\u200b"])
def test_search_of_input_without_a_word_that_can_match_finds_nothing(article_factory, client, text):
    article_factory(title="Leadership in mentoring", abstract="A x b.", members_only=False)

    response = client.get(reverse("publications:search"), {"q": text})

    assert search(text=text) == []
    assert response.status_code == 200


@pytest.mark.parametrize("text", ["a:* | !(", "x & y", "(leader", "leader)", "Ökafor\u0301", "导师 | !", "\x7f"])
def test_search_page_answers_odd_input(client, text):
    assert client.get(reverse("publications:search"), {"q": text}).status_code == 200


def test_search_takes_query_syntax_as_words(article_factory):
    article_factory(title="Leadership in mentoring", members_only=False)

    assert _titles("leader:* & !mentoring") == ["Leadership in mentoring"]  # both words, no negation
    assert _titles("'leadership'") == ["Leadership in mentoring"]
    assert _titles("leadership | astronauts") == []
