import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from notifications.models import OutboxMessage
from notifications.services import _as_email, outbox_message_bodies
from publications import services
from publications.models import Mailing, MailingDelivery, Subscriber
from publications.tokens import confirm_token, manage_token

pytestmark = pytest.mark.django_db


def _confirmed(email, topics=()):
    subscriber = Subscriber.objects.create(email=email, status=Subscriber.Status.CONFIRMED)
    subscriber.topics.set(topics)
    return subscriber


def _mailing(**fields):
    mailing = Mailing.objects.create(subject="Connect, issue 3", body="Hello members.", **fields)
    services.mailing_start(mailing=mailing, actor=None)
    return mailing


def _newsletter_mails(mailing):
    return OutboxMessage.objects.filter(key__startswith=f"newsletter:{mailing.pk}:")


def test_subscribing_sends_only_a_confirmation(client):
    response = client.post(reverse("publications:newsletter"), {"email": "ana@example.org", "consent": "on"})

    assert response.status_code == 302
    subscriber = Subscriber.objects.get()
    assert subscriber.status == Subscriber.Status.PENDING
    mail = OutboxMessage.objects.get()
    assert mail.to == ["ana@example.org"] and "/newsletter/confirm/" in outbox_message_bodies(mail)[0]
    # The link records consent: staff reading the outbox never see it.
    assert mail.sensitive and "/newsletter/confirm/" not in mail.body_text


def test_subscribing_requires_consent(client):
    client.post(reverse("publications:newsletter"), {"email": "ana@example.org"})

    assert not Subscriber.objects.exists()


def test_a_mailing_never_reaches_an_unconfirmed_or_unsubscribed_address():
    Subscriber.objects.create(email="pending@example.org")
    Subscriber.objects.create(email="left@example.org", status=Subscriber.Status.UNSUBSCRIBED)
    _confirmed("yes@example.org")

    mailing = _mailing()
    services.mailing_send_batch(mailing_id=mailing.pk)

    assert [m.to for m in _newsletter_mails(mailing)] == [["yes@example.org"]]


def test_confirming_takes_a_post_and_records_consent(client):
    subscriber = Subscriber.objects.create(email="ana@example.org")
    url = reverse("publications:newsletter_confirm", args=[confirm_token(subscriber.pk)])

    client.get(url)
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.PENDING

    client.post(url)
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.CONFIRMED
    assert subscriber.consent_at is not None and subscriber.consent_source == "confirmation link"


def test_a_forged_confirmation_link_is_refused(client):
    subscriber = Subscriber.objects.create(email="ana@example.org")

    response = client.post(reverse("publications:newsletter_confirm", args=[f"{subscriber.pk}:forged"]))

    assert response.status_code == 404
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.PENDING


def test_a_mailing_run_twice_sends_one_copy_per_subscriber(settings):
    settings.PUBLICATIONS_MAILING_BATCH_SIZE = 2
    for i in range(5):
        _confirmed(f"s{i}@example.org")
    mailing = _mailing()

    for _ in range(6):  # every batch, then each again: a redelivered task or a second beat
        services.mailing_send_batch(mailing_id=mailing.pk)
    Mailing.objects.filter(pk=mailing.pk).update(status=Mailing.Status.SENDING, cursor=0)
    services.mailing_send_batch(mailing_id=mailing.pk, batch_size=10)

    assert _newsletter_mails(mailing).count() == 5
    assert MailingDelivery.objects.filter(mailing=mailing).count() == 5
    assert sorted(m.to[0] for m in _newsletter_mails(mailing)) == [f"s{i}@example.org" for i in range(5)]


def test_a_worker_killed_halfway_leaves_nothing_half_done(monkeypatch):
    for i in range(4):
        _confirmed(f"s{i}@example.org")
    mailing = _mailing()
    original = MailingDelivery.objects.bulk_create

    def die(*args, **kwargs):
        raise SystemExit("worker killed")

    monkeypatch.setattr(MailingDelivery.objects, "bulk_create", die)
    with pytest.raises(SystemExit):
        services.mailing_send_batch(mailing_id=mailing.pk)
    assert _newsletter_mails(mailing).count() == 0  # the outbox rows written before the crash rolled back

    monkeypatch.setattr(MailingDelivery.objects, "bulk_create", original)
    services.mailings_continue()
    services.mailings_continue()

    assert _newsletter_mails(mailing).count() == 4
    mailing.refresh_from_db()
    assert mailing.status == Mailing.Status.SENT and mailing.queued == 4


def test_a_mailing_reaches_the_subscribers_of_its_topics_and_those_of_every_topic():
    from exams.models import Topic

    coaching, ethics = Topic.objects.order_by("position")[:2]
    _confirmed("coaching@example.org", [coaching])
    _confirmed("ethics@example.org", [ethics])
    _confirmed("everything@example.org")
    mailing = Mailing.objects.create(subject="Coaching special")
    mailing.topics.set([coaching])
    services.mailing_start(mailing=mailing, actor=None)

    services.mailing_send_batch(mailing_id=mailing.pk)

    assert sorted(m.to[0] for m in _newsletter_mails(mailing)) == ["coaching@example.org", "everything@example.org"]


def test_every_mailing_carries_one_click_unsubscribe_headers_and_link():
    subscriber = _confirmed("ana@example.org")
    mailing = _mailing()
    # The link is signed with the time: frozen, the link worked out below is the one mailed, whatever the clock does.
    with time_machine.travel(timezone.now(), tick=False):
        services.mailing_send_batch(mailing_id=mailing.pk)
        unsubscribe = reverse("publications:newsletter_unsubscribe", args=[manage_token(subscriber.pk)])

    message = _newsletter_mails(mailing).get()
    email = _as_email(message).message()

    assert email["List-Unsubscribe"] == f"<http://testserver{unsubscribe}>" or unsubscribe in email["List-Unsubscribe"]
    assert email["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe in outbox_message_bodies(message)[0]
    # The subscriber's own links are sealed from staff like any other secret.
    assert message.sensitive and unsubscribe not in message.body_text


def test_one_click_unsubscribe_works_without_signing_in_or_csrf(settings):
    from django.test import Client

    subscriber = _confirmed("ana@example.org")
    client = Client(enforce_csrf_checks=True)
    url = reverse("publications:newsletter_unsubscribe", args=[manage_token(subscriber.pk)])

    response = client.post(url, {"List-Unsubscribe": "One-Click"})

    assert response.status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED
    assert subscriber.unsubscribe_source == "one-click (RFC 8058)"


def test_unsubscribing_withdraws_copies_still_waiting_in_the_outbox():
    subscriber = _confirmed("ana@example.org")
    mailing = _mailing()
    services.mailing_send_batch(mailing_id=mailing.pk)

    services.subscriber_unsubscribe(subscriber_id=subscriber.pk, source="test")

    assert not _newsletter_mails(mailing).exists()


def test_the_unsubscribe_link_in_a_mail_asks_once_and_needs_no_login(client):
    subscriber = _confirmed("ana@example.org")
    url = reverse("publications:newsletter_unsubscribe", args=[manage_token(subscriber.pk)])

    assert 'id="unsubscribe"' in client.get(url).content.decode()
    response = client.post(url)

    assert 'id="unsubscribed"' in response.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED


def test_the_unsubscribe_page_naming_the_address_is_kept_by_no_shared_cache(client):
    subscriber = _confirmed("ana@example.org")
    url = reverse("publications:newsletter_unsubscribe", args=[manage_token(subscriber.pk)])

    page = client.get(url)

    assert "ana@example.org" in page.content.decode()
    assert page["Cache-Control"] == "private, no-store" and page["X-Robots-Tag"] == "noindex"


def test_manage_page_shows_and_exports_the_subscription(client):
    subscriber = _confirmed("ana@example.org")
    token = manage_token(subscriber.pk)

    page = client.get(reverse("publications:newsletter_manage", args=[token]))
    export = client.get(reverse("publications:newsletter_export", args=[token])).json()

    assert "ana@example.org" in page.content.decode() and page["Cache-Control"] == "private, no-store"
    assert export["email"] == "ana@example.org" and export["status"] == "confirmed"


def test_manage_page_refuses_a_guessed_token(client):
    _confirmed("ana@example.org")

    assert client.get(reverse("publications:newsletter_manage", args=["1"])).status_code == 404
    assert client.get(reverse("publications:newsletter_export", args=["1:abc"])).status_code == 404


def test_a_batch_uses_the_same_number_of_queries_whatever_its_size():
    def run(count, prefix):
        for i in range(count):
            _confirmed(f"{prefix}{i}@example.org")
        mailing = _mailing()
        with CaptureQueriesContext(connection) as queries:
            services.mailing_send_batch(mailing_id=mailing.pk, batch_size=1000)
        return len(queries.captured_queries)

    assert run(3, "few") == run(60, "many")


def test_subscribe_form_does_not_reveal_who_is_subscribed(client):
    _confirmed("ana@example.org")

    response = client.post(reverse("publications:newsletter"), {"email": "ANA@example.org", "consent": "on"})

    assert response.status_code == 302 and response["Location"] == reverse("publications:newsletter_pending")
    assert Subscriber.objects.count() == 1 and not OutboxMessage.objects.exists()


def test_confirmation_mails_are_limited_when_the_form_is_repeated(client):
    for _ in range(3):
        client.post(reverse("publications:newsletter"), {"email": "ana@example.org", "consent": "on"})

    assert OutboxMessage.objects.filter(key__startswith="newsletter-confirm:").count() == 1


def test_confirmation_link_from_the_mail_works(client):
    client.post(reverse("publications:newsletter"), {"email": "ana@example.org", "consent": "on"})
    link = re.search(r"http\S+/newsletter/confirm/\S+/", outbox_message_bodies(OutboxMessage.objects.get())[0]).group(0)

    client.post(link.split("testserver")[-1].replace("http://127.0.0.1:8000", ""))

    assert Subscriber.objects.get().status == Subscriber.Status.CONFIRMED
