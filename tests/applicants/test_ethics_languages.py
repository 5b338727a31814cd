"""The Code of Ethics and Conduct reads in the reader's language; whichever language it is read in, people adopt
the version (one adoption per version)."""

from importlib import import_module

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import translation

from applicants.demo import ETHICS_TEXT, ethics_seed
from applicants.models import EthicsAdoption, EthicsCode
from applicants.services import ethics_code_publish
from tests.applicants.factories import EthicsCodeFactory

pytestmark = pytest.mark.django_db

MIGRATION = "0007_ethics_code_translations"
CHINESE = {"accept-language": "zh-hans"}
ENGLISH = {"accept-language": "en"}


def _chinese(client):
    client.cookies["django_language"] = "zh-hans"
    return client


def test_public_code_of_ethics_reads_in_chinese_and_in_english(client):
    ethics_seed()

    chinese = client.get(reverse("content:ethics"), headers=CHINESE).content.decode()
    english = client.get(reverse("content:ethics"), headers=ENGLISH).content.decode()

    assert "<h1 class=\"h2\">道德与行为准则</h1>" in chinese and "以学员的成长为先" in chinese
    assert "Put the mentee" not in chinese and '<div class="ethics-text"><p>1. 以学员' in chinese
    assert "<h1 class=\"h2\">Code of Ethics and Conduct</h1>" in english and "Put the mentee&#x27;s growth first" in english
    assert "以学员" not in english and "道德与行为准则" not in english


def test_applicant_adopts_the_version_read_in_chinese_and_english_shows_it_adopted(client, applicant):
    code = ethics_seed()
    client.force_login(applicant)
    _chinese(client)

    page = client.get(reverse("applicants:ethics")).content.decode()
    client.post(reverse("applicants:ethics"), {"version": code.version, "agree": "on"})

    assert "道德与行为准则" in page and "为学员保密" in page and "Keep confidences" not in page
    assert list(EthicsAdoption.objects.filter(user=applicant).values_list("code__version", flat=True)) == [1]
    client.cookies["django_language"] = "en"
    english = client.get(reverse("applicants:ethics")).content.decode()
    assert "Keep confidences" in english and "You adopted this version" in english


def test_a_version_not_translated_yet_shows_its_english_marked_as_english(client):
    EthicsCodeFactory(version=1, text="Mentor honestly.")

    html = client.get(reverse("content:ethics"), headers=CHINESE).content.decode()

    assert '<div class="ethics-text" lang="en"><p>Mentor honestly.</p></div>' in html


def test_a_version_published_in_chinese_only_is_never_blank_in_english(client):
    with translation.override("zh-hans"):
        code = ethics_code_publish(text="只有中文的文本。", actor=None)

    html = client.get(reverse("content:ethics"), headers=ENGLISH).content.decode()

    assert (code.text_en, code.title_en) == (None, "Code of Ethics and Conduct")
    assert '<div class="ethics-text" lang="zh-hans"><p>只有中文的文本。</p></div>' in html
    assert '<h1 class="h2">Code of Ethics and Conduct</h1>' in html


def test_migration_makes_the_existing_code_english_and_translates_the_published_version():
    published = EthicsCode.objects.create(version=1, text=ETHICS_TEXT)
    reworded = EthicsCode.objects.create(version=2, text="A reworded code.", title="Our code")
    # As the rows were before the migration: only the original columns hold the title and the text.
    EthicsCode.objects.update(text_en=None, text_zh_hans=None, title_en="Code of Ethics and Conduct",
                              title_zh_hans="Code of Ethics and Conduct")
    state = MigrationExecutor(connection).loader.project_state(("applicants", MIGRATION)).apps
    migration = import_module(f"applicants.migrations.{MIGRATION}")

    migration.english_copy(state, None)
    migration.translate(state, None)

    published.refresh_from_db()
    reworded.refresh_from_db()
    assert (published.text_en, published.title_en) == (ETHICS_TEXT, "Code of Ethics and Conduct")
    assert published.text_zh_hans.startswith("1. 以学员的成长为先") and published.title_zh_hans == "道德与行为准则"
    assert (reworded.text_en, reworded.title_en, reworded.text_zh_hans) == ("A reworded code.", "Our code", None)
    with translation.override("zh-hans"):
        assert (reworded.title, reworded.text) == ("Our code", "A reworded code.")


def test_translation_keeps_a_chinese_text_already_there():
    code = EthicsCodeFactory(version=1, text=ETHICS_TEXT, text_zh_hans="编辑者的译文。")

    ethics_seed()

    code.refresh_from_db()
    assert code.text_zh_hans == "编辑者的译文。" and code.title_zh_hans == "道德与行为准则"
    assert EthicsCode.objects.count() == 1
