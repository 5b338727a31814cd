import datetime

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.core.management import call_command
from django.urls import reverse

from content.models import FaqEntry, FaqGroup, LeadershipTerm
from content.roles import CONTENT_EDITOR
from notifications.models import OutboxMessage
from publications.models import Mailing, Subscriber
from tests.conftest import TOTP_SECRET
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(db):
    user = UserFactory(role=CONTENT_EDITOR, is_staff=True)
    TOTP.activate(user, TOTP_SECRET)
    return user


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.mark.parametrize("model", [
    "content_page", "content_faqgroup", "content_faqentry", "content_leadershipterm", "content_contactmessage",
    "content_expert", "publications_publication", "publications_issue", "publications_article",
    "publications_research", "publications_subscriber", "publications_mailing",
])
def test_content_editor_opens_every_content_screen(editor_client, model):
    assert editor_client.get(reverse(f"admin:{model}_changelist")).status_code == 200
    if model not in {"content_contactmessage", "publications_subscriber"}:
        assert editor_client.get(reverse(f"admin:{model}_add")).status_code == 200


def test_an_applicant_cannot_open_the_page_admin(client, applicant):
    client.force_login(applicant)

    response = client.get(reverse("admin:content_page_changelist"))

    assert response.status_code == 302 and "login" in response["Location"]


def test_editor_publishes_a_faq_entry_and_it_is_recorded_in_the_history(editor_client, editor, client):
    group = FaqGroup.objects.create(slug="exams-faq", title="Exams")
    entry = FaqEntry.objects.create(group=group, slug="retake", question="Can I retake the exam?", answer="Yes.")

    response = editor_client.post(reverse("admin:content_faqentry_change", args=[entry.pk]), {
        "group": group.pk, "slug": "retake", "question_en": "Can I retake the exam?", "question_zh_hans": "可以重考吗？",
        "answer_en": "Yes, up to three times.", "answer_zh_hans": "可以，最多三次。", "position": 10, "published": "on",
    })

    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.published and entry.history.latest().history_user == editor


def test_leadership_admin_refuses_a_21st_board_member_with_a_message(editor_client):
    start, end = datetime.date(2026, 1, 1), datetime.date(2027, 12, 31)
    LeadershipTerm.objects.bulk_create(
        [LeadershipTerm(name=f"M{i}", starts_on=start, ends_on=end) for i in range(20)])

    response = editor_client.post(reverse("admin:content_leadershipterm_add"), {
        "name": "One too many", "role": "board", "starts_on": "2026-06-01", "ends_on": "2027-05-31",
        "affiliation_en": "", "affiliation_zh_hans": "",
    })

    assert response.status_code == 200 and "at most 20" in response.content.decode()
    assert LeadershipTerm.objects.count() == 20


def test_editor_sends_a_mailing_from_the_admin(editor_client, django_capture_on_commit_callbacks):
    Subscriber.objects.create(email="reader@example.org", status=Subscriber.Status.CONFIRMED)
    mailing = Mailing.objects.create(subject="Hello readers")

    with django_capture_on_commit_callbacks(execute=False):
        response = editor_client.post(reverse("admin:publications_mailing_decide", args=[mailing.pk, "send"]),
                                      {"note": ""})

    assert response.status_code == 302
    mailing.refresh_from_db()
    assert mailing.status == Mailing.Status.SENDING
    assert [e.to_status for e in mailing.events.all()] == ["sending"]
    page = editor_client.get(reverse("admin:publications_mailing_change", args=[mailing.pk])).content.decode()
    assert "0 sent / 0 failed / 0 waiting" in page
    assert not OutboxMessage.objects.exists()


def test_demo_data_loads_twice_without_duplicates(capsys):
    call_command("seed_demo")
    counts = (LeadershipTerm.objects.count(), Mailing.objects.count())
    call_command("seed_demo")

    assert (LeadershipTerm.objects.count(), Mailing.objects.count()) == counts
    assert counts[0] >= 13
