"""Reads for the public pages: the archive, articles (members-only bodies), the library, and full-text search."""

from __future__ import annotations

import operator
import re
import unicodedata
from dataclasses import dataclass
from functools import reduce

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.db.models import Case, F, Func, Q, TextField, Value, When
from django.db.models.functions import Coalesce
from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from content.models import Page
from payments.selectors import membership_active
from publications.models import Article, Issue, Publication, Research
from workflows.search import search_words

# Words as written (no stemming, no stop words), so that every start of a word matches; English stemming only widens
# what was typed ("mentors" finds "mentoring"). The same search as the directory's (organizations.selectors).
SEARCH_CONFIG = "simple"
SEARCH_STEMMING_CONFIG = "english"
RESULTS_PER_KIND = 20
# PostgreSQL's parser does not split Chinese into words; text with CJK characters is matched as a substring.
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
# Sentinels around matched words in a headline: the text is escaped, then they become <mark>.
_START, _STOP = "\x02", "\x03"


def publications_list():
    return Publication.objects.order_by("position", "name")


def issues_of(publication: Publication):
    return Issue.objects.published().filter(publication=publication).order_by("-number")


def issue_published(*, slug: str, number: int) -> Issue:
    return Issue.objects.published().select_related("publication").get(publication__slug=slug, number=number)


def articles_of(issue: Issue):
    return (Article.objects.published().filter(issue=issue)
            .prefetch_related("authors").order_by("position", "pk"))


def article_published(*, slug: str) -> Article:
    return (Article.objects.published().select_related("issue__publication")
            .prefetch_related("authors", "topics").get(slug=slug))


def articles_for_feed(publication: Publication, limit: int = 30):
    return (Article.objects.published().filter(issue__publication=publication)
            .select_related("issue").prefetch_related("authors")
            .order_by("-issue__published_on", "-issue__number", "position")[:limit])


def can_read_body(*, user, article: Article) -> bool:
    """Public bodies are for everyone; a members-only body for members with a valid membership (and staff)."""
    if not article.members_only:
        return True
    if not user.is_authenticated:
        return False
    if user.is_staff and user.has_perm("publications.view_article"):
        return True
    return membership_active(user=user) is not None


def can_read_issue_pdf(*, user) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_staff and user.has_perm("publications.view_issue"):
        return True
    return membership_active(user=user) is not None


def research_by_topic(*, topic_code: str = ""):
    research = Research.objects.published().prefetch_related("topics")
    if topic_code:
        research = research.filter(topics__code=topic_code)
    return research.order_by("-year", "title")


# Search -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SearchResult:
    kind: str
    title: str
    url: str
    snippet: SafeString
    rank: float


class _Fold(Func):
    """Text without accents ("Lucía" → "Lucia"): PostgreSQL's ``search_fold``, made by organizations' migration 0008
    for the directory's indexes."""

    function = "search_fold"
    output_field = TextField()


def _vector(expression, weight: str) -> SearchVector:
    return SearchVector(_Fold(expression), weight=weight, config=SEARCH_CONFIG)


def _query(text: str) -> SearchQuery | None:
    """Every word typed as a word start, all required, whatever the case and the accents; None when nothing typed
    can match. ``search_words`` lets only letters, digits and ``_@.-`` into the quoted lexemes: never tsquery syntax.
    """
    words = [word for word in search_words(unicodedata.normalize("NFKC", text)) or ()
             if any(character.isalnum() for character in word)]
    if not words:
        return None
    lexemes = [_Fold(Value(f"'{word}':*")) for word in words]
    return reduce(operator.and_, (SearchQuery(lexeme, search_type="raw", config=SEARCH_CONFIG)
                                  | SearchQuery(lexeme, search_type="raw", config=SEARCH_STEMMING_CONFIG)
                                  for lexeme in lexemes))


def _highlight(text: str | None) -> SafeString:
    text = escape(text or "")
    return mark_safe(text.replace(_START, "<mark>").replace(_STOP, "</mark>"))  # only our own tags added


def _headline(expression, query):
    # The text as written: a word matched only once folded ("Lucia" typed, "Lucía" written) is found, not marked.
    return SearchHeadline(expression, query, config=SEARCH_CONFIG, start_sel=_START, stop_sel=_STOP,
                          max_words=35, min_words=15, max_fragments=2)


def _public_text(field: str, language: str):
    """The field in ``language`` when written, else in English (as the pages show it)."""
    suffix = language.replace("-", "_")
    return Coalesce(F(f"{field}_{suffix}"), F(f"{field}_en"), Value(""), output_field=TextField())


def _article_searchable_body(language: str):
    # A members-only body never enters the index or a snippet: it would leak through either.
    return Case(When(members_only=True, then=Value("")), default=_public_text("body", language),
                output_field=TextField())


def search(*, text: str, language: str = "en") -> list[SearchResult]:
    """Published articles, research and pages matching ``text``, best first, with matched words marked."""
    text = text.strip()[:200]
    if not text:
        return []
    if _CJK.search(text):
        return _search_substring(text, language)
    query = _query(text)
    if query is None:
        return []
    results: list[SearchResult] = []

    article_text = {"title": _public_text("title", language), "abstract": _public_text("abstract", language),
                    "body": _article_searchable_body(language)}
    vector = _vector(article_text["title"], "A") + _vector(article_text["abstract"], "B") + _vector(article_text["body"], "C")
    articles = (Article.objects.published().annotate(search=vector, rank=SearchRank(vector, query))
                .filter(search=query)
                .annotate(snippet=_headline(article_text["abstract"], query),
                          body_snippet=_headline(article_text["body"], query),
                          shown_title=article_text["title"])
                .order_by("-rank", "pk")[:RESULTS_PER_KIND])
    for article in articles:
        snippet = next((s for s in (article.snippet, article.body_snippet) if s and _START in s), article.snippet)
        results.append(SearchResult("article", article.shown_title, article.get_absolute_url(),
                                    _highlight(snippet), article.rank))

    research_text = _public_text("summary", language)
    vector = _vector(F("title"), "A") + _vector(F("authors"), "B") + _vector(research_text, "C")
    research = (Research.objects.published().annotate(search=vector, rank=SearchRank(vector, query))
                .filter(search=query).annotate(snippet=_headline(research_text, query))
                .order_by("-rank", "pk")[:RESULTS_PER_KIND])
    for item in research:
        results.append(SearchResult("research", f"{item.title} ({item.year})", item.url or "",
                                    _highlight(item.snippet), item.rank))

    page_title, page_body = _public_text("title", language), _public_text("body", language)
    vector = _vector(page_title, "A") + _vector(page_body, "C")
    pages = (Page.objects.published().annotate(search=vector, rank=SearchRank(vector, query))
             .filter(search=query).annotate(snippet=_headline(page_body, query), shown_title=page_title)
             .order_by("-rank", "pk")[:RESULTS_PER_KIND])
    for page in pages:
        results.append(SearchResult("page", page.shown_title, page.get_absolute_url(), _highlight(page.snippet),
                                    page.rank))
    return sorted(results, key=lambda result: -result.rank)


def _substring_snippet(text: str, needle: str, width: int = 60) -> SafeString:
    at = text.find(needle)
    if at < 0:
        return _highlight(text[: width * 2])
    start = max(0, at - width)
    fragment = text[start: at] + _START + needle + _STOP + text[at + len(needle): at + len(needle) + width]
    return _highlight(("…" if start else "") + fragment)


def _search_substring(text: str, language: str) -> list[SearchResult]:
    """Chinese queries: substring matches in the fields of ``language``, titles first."""
    with translation.override(language):  # the translated attributes below read that language
        return _search_substring_in(text, language)


def _search_substring_in(text: str, language: str) -> list[SearchResult]:
    results: list[SearchResult] = []
    suffix = language.replace("-", "_")
    articles = Article.objects.published().filter(
        Q(**{f"title_{suffix}__icontains": text}) | Q(**{f"abstract_{suffix}__icontains": text})
        | (Q(members_only=False) & Q(**{f"body_{suffix}__icontains": text}))
    )[:RESULTS_PER_KIND]
    for article in articles:
        in_title = text in article.title
        source = article.abstract if text in article.abstract or article.members_only else article.body
        results.append(SearchResult("article", article.title, article.get_absolute_url(),
                                    _substring_snippet(source, text), 1.0 if in_title else 0.5))
    research = Research.objects.published().filter(
        Q(title__icontains=text) | Q(**{f"summary_{suffix}__icontains": text}))[:RESULTS_PER_KIND]
    for item in research:
        results.append(SearchResult("research", f"{item.title} ({item.year})", item.url or "",
                                    _substring_snippet(item.summary, text), 1.0 if text in item.title else 0.5))
    pages = Page.objects.published().filter(
        Q(**{f"title_{suffix}__icontains": text}) | Q(**{f"body_{suffix}__icontains": text}))[:RESULTS_PER_KIND]
    for page in pages:
        results.append(SearchResult("page", page.title, page.get_absolute_url(), _substring_snippet(page.body, text),
                                    1.0 if text in page.title else 0.5))
    return sorted(results, key=lambda result: -result.rank)


