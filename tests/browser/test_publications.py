"""Content editors change the FAQ in the admin and visitors see it in both languages; a visitor subscribes
to the newsletter, confirms from the mail and leaves from the next mailing; every new public page passes axe."""

import re
import time
from importlib import import_module
from io import StringIO
from urllib.parse import urlsplit

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.apps import apps
from playwright.sync_api import expect

from content.models import FaqEntry, FaqGroup
from content.roles import CONTENT_EDITOR
from notifications.models import OutboxMessage
from notifications.services import outbox_message_bodies
from publications.models import Mailing, Subscriber
from publications.services import mailing_send_batch, mailing_start
from tests.browser.conftest import assert_accessible
from tests.conftest import TOTP_SECRET, totp_code
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private_media"
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def seeded():
    """The migrations' pages and publications (a transactional test flushed them), then the demo data."""
    import_module("content.migrations.0003_seed_pages_and_faq").seed(apps, None)
    import_module("publications.migrations.0002_connect_and_the_link").seed(apps, None)
    for app in ("content", "publications"):
        import_module(f"{app}.demo").seed(StringIO())


def _path(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def fresh_totp_code() -> str:
    if 30 - time.time() % 30 < 4:
        time.sleep(4.5)
    return totp_code()


def test_editor_changes_the_faq_and_visitors_see_it_in_both_languages(page, live_server):
    base = live_server.url
    editor = UserFactory(email="editor@example.org", role=CONTENT_EDITOR, is_staff=True)
    TOTP.activate(editor, TOTP_SECRET)
    group = FaqGroup.objects.create(slug="exams-faq", title_en="Exams", title_zh_hans="考试")
    entry = FaqEntry.objects.create(group=group, slug="retake", question_en="Draft question?", answer_en="Draft.")

    page.goto(base + "/accounts/login/")
    page.get_by_label("Email*").fill(editor.email)
    page.get_by_label("Password*").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.get_by_label("Code").fill(fresh_totp_code())
    page.get_by_role("button", name=re.compile("Sign In|Authenticate", re.I)).click()
    page.goto(base + f"/admin/content/faqentry/{entry.pk}/change/")
    page.locator("#id_question_en").fill("Can I retake the exam?")
    page.locator("#id_question_zh_hans").fill("我可以重考吗？")
    page.locator("#id_answer_en").fill("Yes, up to **three** times.")
    page.locator("#id_answer_zh_hans").fill("可以，最多三次。")
    page.locator("#id_published").check()
    page.locator("input[name=_save]").click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")

    visitor = page.context.browser.new_context(base_url=base).new_page()
    visitor.goto(base + "/faq/")
    expect(visitor.locator("#retake")).to_have_text("Can I retake the exam?")
    expect(visitor.locator(".faq-answer strong")).to_have_text("three")
    assert_accessible(visitor)
    visitor.goto(base + "/faq/#retake")
    visitor.locator("#nav-language > a").click()
    visitor.locator("#nav-language").get_by_role("button", name="简体中文").click()
    expect(visitor.locator("#retake")).to_have_text("我可以重考吗？")
    expect(visitor.get_by_text("可以，最多三次。")).to_be_visible()
    assert_accessible(visitor)


def test_visitor_subscribes_confirms_and_unsubscribes_from_the_next_mailing(page, live_server):
    base = live_server.url
    page.goto(base + "/")
    page.locator("#nav-about > a").click()
    page.get_by_role("link", name="Newsletter").click()
    expect(page.get_by_label("Your email address")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Your email address").fill("reader@example.org")
    page.get_by_label(re.compile("I agree to receive")).check()
    page.get_by_role("button", name="Subscribe").click()
    expect(page.get_by_role("heading", name="Check your mail to confirm")).to_be_visible()
    assert Subscriber.objects.get().status == Subscriber.Status.PENDING

    confirmation = OutboxMessage.objects.get(key__startswith="newsletter-confirm:")
    link = re.search(r"https?://\S+/newsletter/confirm/\S+/", outbox_message_bodies(confirmation)[0]).group(0)
    page.goto(base + _path(link))
    assert_accessible(page)
    page.get_by_role("button", name="Yes, subscribe me").click()
    expect(page.locator("#subscription-status")).to_have_text("Confirmed")
    assert_accessible(page)

    mailing = Mailing.objects.create(subject="Connect, issue 4", body="Hello readers.")
    mailing_start(mailing=mailing, actor=None)
    mailing_send_batch(mailing_id=mailing.pk)
    mail = OutboxMessage.objects.get(key__startswith=f"newsletter:{mailing.pk}:")
    assert mail.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe = re.search(r"https?://\S+/newsletter/unsubscribe/\S+/", outbox_message_bodies(mail)[0]).group(0)

    page.goto(base + _path(unsubscribe))
    assert_accessible(page)
    page.get_by_role("button", name="Unsubscribe").click()
    expect(page.locator("#unsubscribed")).to_be_visible()
    assert Subscriber.objects.get().status == Subscriber.Status.UNSUBSCRIBED


@pytest.mark.parametrize("path", [
    "/pages/about/", "/pages/core-competencies/", "/faq/", "/leadership/", "/code-of-ethics/", "/contact/",
    "/publications/", "/publications/connect/", "/publications/connect/1/", "/articles/tacit-knowledge-at-work/",
    "/research/", "/search/?q=mentoring", "/newsletter/",
])
def test_public_content_pages_are_accessible(page, live_server, seeded, path):
    page.goto(live_server.url + path)

    expect(page.locator("main h1").first).to_be_visible()
    assert_accessible(page)
