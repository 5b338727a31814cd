"""Admin forms that the crawl of the committee's pages found wide or blocked: they fit 1280 px in both languages,
and the periodic task's form runs its script under the Content Security Policy (no console error)."""

import pytest
from django_celery_beat.models import CrontabSchedule
from playwright.sync_api import expect

from content.models import FaqEntry, FaqGroup
from publications.models import Article, Issue, Publication
from tests.browser.conftest import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def superuser(superuser_signed_in):
    return superuser_signed_in


def console_errors(page) -> list[str]:
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    return errors


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_a_faq_group_and_an_issue_with_their_entries_fit_1280_px(page, live_server, superuser, language):
    group = FaqGroup.objects.create(title_en="Applying", title_zh_hans="申请", slug="applying-test", position=9)
    for n in range(3):
        FaqEntry.objects.create(group=group, position=n, slug=f"question-{n}", question_en=f"A long question {n}?" * 3,
                                question_zh_hans=f"一个很长的问题 {n}？" * 3, answer_en="An answer.")
    publication, _created = Publication.objects.get_or_create(slug="connect-test", defaults={"name": "Connect"})
    issue = Issue.objects.create(publication=publication, title_en="Issue 99", title_zh_hans="第99期", number=99)
    Article.objects.create(issue=issue, title_en="A long article title " * 3, title_zh_hans="很长的文章标题" * 3,
                           slug="a-long-article", position=1)
    page.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])

    for path in (f"/admin/content/faqgroup/{group.pk}/change/", f"/admin/publications/issue/{issue.pk}/change/"):
        page.goto(live_server.url + path)
        assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0, path


def test_the_periodic_task_form_shows_the_crontab_in_words_without_a_blocked_script(page, live_server, superuser):
    crontab = CrontabSchedule.objects.create(minute="0", hour="4", timezone="UTC")
    errors = console_errors(page)

    page.goto(live_server.url + "/admin/django_celery_beat/periodictask/add/")
    page.locator("#id_crontab").select_option(str(crontab.pk))

    expect(page.locator(".field-crontab .help")).to_contain_text("In words: At 04:00")
    assert errors == []
    assert_accessible(page)


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_admins_own_widgets_are_named_and_an_events_programme_fits_1280_px(page, live_server, superuser,
                                                                              language):
    """The sweep of every admin page found, besides an event's programme three times too wide for the window: the
    magnifier of a two-box selector with an aria-label on a bare span; autocomplete boxes, the price rows' boxes, a
    list's editable columns and an inline's date and time boxes without a name; a "clear all" cross inside an
    autocomplete's list; the roster link of a session's results page told from its text by colour alone."""
    from content.models import Expert
    from events.models import ProgrammeItem
    from organizations.models import Criterion
    from tests.events.factories import EventFactory
    from tests.exams.factories import ExamSessionFactory

    speakers = [Expert.objects.create(name=f"Speaker {n}", slug=f"speaker-{n}") for n in range(2)]
    event = EventFactory(kind="conference", prices=("250", "400"))
    for n in range(3):
        item = ProgrammeItem.objects.create(
            event=event, title_en=f"A session with a long title {n}", title_zh_hans=f"很长的会议标题 {n}",
            starts_at=event.starts_at, ends_at=event.ends_at, room_en="Hall A", track_en="Practice")
        item.speakers.set(speakers)
    for n in range(3):
        Criterion.objects.get_or_create(code=f"criterion-{n}", defaults={"name": f"Criterion {n}", "position": n})
    group = FaqGroup.objects.create(title_en="Applying", slug="applying-widgets", position=9)
    FaqEntry.objects.create(group=group, position=1, slug="a-question", question_en="A question?", answer_en="Yes.")
    session = ExamSessionFactory()
    page.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])

    failures = {}
    for path in (f"/admin/events/event/{event.pk}/change/", "/admin/events/event/add/", "/admin/auth/group/add/",
                 "/admin/organizations/criterion/", "/admin/content/faqentry/", "/admin/content/leadershipterm/add/",
                 "/admin/publications/article/add/", f"/admin/exams/examsession/{session.pk}/results/"):
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        try:
            assert_accessible(page)
        except AssertionError as error:
            failures[path] = error.args[0]
    assert not failures, "\n".join(f"{path}: {error}" for path, error in failures.items())


def test_a_records_change_history_shows_without_a_blocked_style(page, live_server, superuser):
    group = FaqGroup.objects.create(title_en="History test", slug="history-test", position=8)
    errors = console_errors(page)

    page.goto(live_server.url + f"/admin/content/faqgroup/{group.pk}/history/")

    expect(page.locator("p.paginator")).to_be_attached()
    assert errors == []
