"""The pages of the header's "About" menu and the FAQ, as the migrations seed them, read in Chinese on a Chinese
page and in English on an English one; an edit in the admin is never overwritten by the seeded translation."""

from importlib import import_module

import pytest
from django.apps import apps
from django.urls import reverse

from content.models import FaqEntry, FaqGroup, Page
from content.rendering import markdown_render

pytestmark = pytest.mark.django_db

SEED = import_module("content.migrations.0003_seed_pages_and_faq")
TRANSLATION = import_module("content.migrations.0004_pages_and_faq_in_chinese")
CHINESE = {"accept-language": "zh-hans"}
ENGLISH = {"accept-language": "en"}


@pytest.fixture
def seeded_pages():
    # A transactional test elsewhere may have flushed the migrations' rows; both loaders are idempotent.
    SEED.seed(apps, None)
    TRANSLATION.translate(apps, None)


@pytest.mark.parametrize("slug", list(TRANSLATION.PAGES_ZH_HANS))
def test_seeded_page_reads_in_chinese_and_in_english(client, seeded_pages, slug):
    title_zh, summary_zh, body_zh = TRANSLATION.PAGES_ZH_HANS[slug]
    english_title = next(page[3] for page in SEED.PAGES if page[0] == slug)

    chinese = client.get(reverse("content:page", args=[slug]), headers=CHINESE).content.decode()
    english = client.get(reverse("content:page", args=[slug]), headers=ENGLISH).content.decode()

    assert f'<h1 class="h2 mb-3">{title_zh}</h1>' in chinese
    assert 'id="language-note"' not in chinese and markdown_render(body_zh.strip()) in chinese
    assert f'<h1 class="h2 mb-3">{english_title}</h1>' in english and title_zh not in english


def test_about_menu_lists_the_pages_in_chinese(client, seeded_pages):
    html = client.get(reverse("home"), headers=CHINESE).content.decode()

    for slug, (title_zh, _summary, _body) in TRANSLATION.PAGES_ZH_HANS.items():
        assert f'href="/pages/{slug}/">{title_zh}</a>' in html


def test_faq_reads_in_chinese_and_in_english(client, seeded_pages):
    chinese = client.get(reverse("content:faq"), headers=CHINESE).content.decode()
    english = client.get(reverse("content:faq"), headers=ENGLISH).content.decode()

    assert "关于认证" in chinese and "什么是 IPMA 认证？" in chinese and "自签发之日起五年。" in chinese
    assert "What are IPMA accreditations?" not in chinese
    assert "What are IPMA accreditations?" in english and "Five years from the day it is issued." in english
    assert "什么是 IPMA 认证？" not in english


def test_translation_leaves_a_reworded_page_and_an_existing_chinese_value_alone(client):
    SEED.seed(apps, None)
    Page.objects.filter(slug="about").update(body_en="Reworded by the committee.", body_zh_hans=None)
    Page.objects.filter(slug="leadership").update(title_zh_hans="理事会与执行委员会")
    FaqEntry.objects.filter(slug="how-long-valid").update(answer_zh_hans="")

    TRANSLATION.translate(apps, None)
    TRANSLATION.translate(apps, None)

    about, leadership = Page.objects.get(slug="about"), Page.objects.get(slug="leadership")
    assert (about.title_zh_hans, about.body_zh_hans) == ("关于 IPMA", None)
    assert leadership.title_zh_hans == "理事会与执行委员会"
    assert FaqEntry.objects.get(slug="how-long-valid").answer_zh_hans == "自签发之日起五年。"
    assert FaqGroup.objects.get(slug="accreditation").title_zh_hans == "关于认证"
    html = client.get(reverse("content:page", args=["about"]), headers=CHINESE).content.decode()
    assert 'id="language-note"' in html and "Reworded by the committee." in html
