"""Issue 16 item 7, "Languages complete": values that come from data (level names, training requirements,
curriculum topics) and labels built in code (seasons, "Open Badge") read in Chinese on a Chinese page."""

import io
import re
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from accreditation.models import Level, LevelApplication
from certificates.models import Certificate
from exams.models import Topic
from partners.models import Cohort, TrainingProgramme

SEASONS = ("spring", "summer", "autumn", "winter")


class _VisibleText(HTMLParser):
    """The text a reader sees (and hears): text nodes outside script and style, plus the attributes that a
    screen reader or a tooltip reads out."""

    SPOKEN_ATTRIBUTES = {"title", "aria-label", "alt", "placeholder"}

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in {"script", "style", "template"}:
            self._hidden += 1
        self.parts.extend(value for name, value in attrs if name in self.SPOKEN_ATTRIBUTES and value)

    def handle_endtag(self, tag):
        if tag in {"script", "style", "template"} and self._hidden:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _VisibleText()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def english_reference_words() -> list[str]:
    """The English of every translatable reference value, read from the database, and the fixed labels."""
    with translation.override("en"):
        words = {level.name for level in Level.objects.all()}
        words |= {level.training for level in Level.objects.all()}
        words |= {topic.name for topic in Topic.objects.all()}
    return sorted(words | set(SEASONS) | {"Open Badge"})


def partners_own_words() -> list[str]:
    """What training partners write themselves (programme titles, cohort names) is shown as they wrote it: it is
    their content, not the body's reference data, and no translation of it exists to show."""
    return [*TrainingProgramme.objects.values_list("title", flat=True), *Cohort.objects.values_list("name", flat=True)]


def untranslated(html: str, words: list[str], exempt: list[str] = ()) -> list[str]:
    # The body's own name ("International Professional Mentor Association") is a proper name, not a level.
    text = visible_text(html).replace(settings.BODY_NAME, "")
    for phrase in sorted(exempt, key=len, reverse=True):
        text = text.replace(phrase, "")
    return [word for word in words if re.search(rf"\b{re.escape(word)}\b", text, re.IGNORECASE)]


@pytest.fixture
def demo_data(transactional_db):
    call_command("seed_demo", stdout=io.StringIO())


def _client_in_chinese(client, email: str | None = None):
    if email:
        client.force_login(get_user_model().objects.get(email=email))
    client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    return client


def test_the_finder_sees_an_english_level_name_left_on_a_page(db):
    """The check itself: it finds an English value in the text and ignores one inside a script."""
    words = english_reference_words()

    assert untranslated("<p>You hold <b>Senior Mentor</b>.</p>", words) == ["Senior Mentor"]
    assert untranslated("<p>春季</p><script>var season = 'spring';</script>", words) == []
    assert untranslated('<a title="Open Badge" href="/b/">徽章</a>', words) == ["Open Badge"]
    assert untranslated(f"<footer>{settings.BODY_NAME}</footer>", words) == []
    assert untranslated("<p>Online cohort — spring</p>", words, ["Online cohort — spring"]) == []


def test_main_pages_in_chinese_show_no_english_reference_data(client, demo_data):
    words, exempt = english_reference_words(), partners_own_words()
    application = LevelApplication.objects.filter(applicant__email="applicant@ipma.example").first()
    certificate = Certificate.objects.filter(holder__email="applicant@ipma.example").first()
    assert application is not None and certificate is not None, "the demo data gives the applicant both"
    public = [reverse("home"), reverse("accreditation:level_list"), reverse("payments:fees"),
              reverse("exams:curriculum"), reverse("exams:calendar"), reverse("events:list")]
    private = [reverse("applicants:dashboard"), reverse("accreditation:application_detail", args=[application.pk]),
               reverse("certificates:detail", args=[certificate.number]),
               reverse("accreditation:application_list"), reverse("events:list")]

    found = {}
    anonymous = _client_in_chinese(client)
    for path in public:
        found[path] = _untranslated_on(anonymous, path, words, exempt)
    signed_in = _client_in_chinese(client, "applicant@ipma.example")
    for path in private:
        found[f"{path} (signed in)"] = _untranslated_on(signed_in, path, words, exempt)

    assert {path: hits for path, hits in found.items() if hits} == {}


def _untranslated_on(client, path: str, words: list[str], exempt: list[str]) -> list[str]:
    response = client.get(path)
    assert response.status_code == 200, path
    assert '<html lang="zh-hans">' in response.content.decode(), path
    return untranslated(response.content.decode(), words, exempt)
