import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from applicants.models import EthicsCode
from content.models import ContactMessage, LeadershipRole, LeadershipTerm
from content.services import leadership_term_save
from notifications.models import OutboxMessage
from tests.factories import UserFactory

START = datetime.date(2026, 1, 1)
END = datetime.date(2027, 12, 31)


def _term(name, role=LeadershipRole.BOARD, starts_on=START, ends_on=END):
    return LeadershipTerm(name=name, role=role, starts_on=starts_on, ends_on=ends_on)


@pytest.mark.django_db
def test_board_refuses_a_21st_member(reviewer):
    for i in range(20):
        leadership_term_save(term=_term(f"Member {i}"), actor=reviewer)

    with pytest.raises(ValidationError, match="at most 20"):
        leadership_term_save(term=_term("Member 21"), actor=reviewer)

    assert LeadershipTerm.objects.count() == 20


@pytest.mark.django_db
def test_board_accepts_a_member_whose_term_follows_a_full_board(reviewer):
    for i in range(20):
        leadership_term_save(term=_term(f"Member {i}"), actor=reviewer)

    leadership_term_save(term=_term("Next", starts_on=END + datetime.timedelta(days=1),
                                    ends_on=END + datetime.timedelta(days=730)), actor=reviewer)

    assert LeadershipTerm.objects.count() == 21


@pytest.mark.django_db
def test_an_office_has_one_holder_at_a_time(reviewer):
    leadership_term_save(term=_term("Ana", role=LeadershipRole.PRESIDENT), actor=reviewer)

    with pytest.raises(ValidationError, match="Someone else holds the office"):
        leadership_term_save(term=_term("Ben", role=LeadershipRole.PRESIDENT, starts_on=END - datetime.timedelta(days=1),
                                        ends_on=END + datetime.timedelta(days=700)), actor=reviewer)


@pytest.mark.django_db(transaction=True)
def test_board_limit_holds_under_simultaneous_additions(reviewer):
    for i in range(18):
        leadership_term_save(term=_term(f"Member {i}"), actor=reviewer)
    barrier = threading.Barrier(4)
    outcomes = []

    def add(n):
        try:
            barrier.wait()
            leadership_term_save(term=_term(f"Racer {n}"), actor=None)
            outcomes.append("ok")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=add, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["ok", "ok", "refused", "refused"]
    assert LeadershipTerm.objects.count() == 20


@pytest.mark.django_db
def test_leadership_page_shows_current_officers_board_and_past_terms(client):
    today = timezone.localdate()
    year = datetime.timedelta(days=365)
    LeadershipTerm.objects.create(name="Ana President", role=LeadershipRole.PRESIDENT, starts_on=today - year,
                                  ends_on=today + year)
    LeadershipTerm.objects.create(name="Bo Board", starts_on=today - year, ends_on=today + year)
    LeadershipTerm.objects.create(name="Old Officer", role=LeadershipRole.SECRETARY_TREASURER,
                                  starts_on=today - 3 * year, ends_on=today - year)

    html = client.get(reverse("content:leadership")).content.decode()

    assert html.index("Ana President") < html.index("Bo Board") < html.index("Past terms") < html.index("Old Officer")


@pytest.mark.django_db
def test_code_of_ethics_is_public_with_its_version_history(client):
    now = timezone.now()
    EthicsCode.objects.create(version=1, text="First text.", published_at=now - datetime.timedelta(days=400))
    EthicsCode.objects.create(version=2, text="Current text.", published_at=now - datetime.timedelta(days=1))
    EthicsCode.objects.create(version=3, text="Not yet in force.", published_at=now + datetime.timedelta(days=10))

    current = client.get(reverse("content:ethics")).content.decode()
    earlier = client.get(reverse("content:ethics_version", args=[1])).content.decode()

    assert "Current text." in current and "Not yet in force." not in current
    assert reverse("content:ethics_version", args=[1]) in current
    assert "First text." in earlier and "earlier version" in earlier
    assert client.get(reverse("content:ethics_version", args=[3])).status_code == 404


CONTACT = {"topic": "fasttrack", "name": "Lee", "email": "lee@example.org", "subject": "Fast track question",
           "message": "Can I apply with an MBA?"}


@pytest.mark.django_db
def test_contact_message_reaches_the_topics_address_and_nothing_goes_to_an_address_typed_in(client):
    response = client.post(reverse("content:contact"), CONTACT)

    assert response.status_code == 302
    contact = ContactMessage.objects.get()
    committee = OutboxMessage.objects.get(key=f"contact-message:{contact.pk}")
    assert committee.to == ["sm-fasttrack@ipmaglobal.org"] and "Can I apply with an MBA?" in committee.body_text
    # A copy of any text to any address typed in would let anyone mail anyone through the portal.
    assert list(OutboxMessage.objects.values_list("key", flat=True)) == [committee.key]


@pytest.mark.django_db
def test_a_signed_in_sender_gets_a_copy_at_their_own_verified_address_only(client):
    from allauth.account.models import EmailAddress

    user = UserFactory(email="lee@example.org")
    EmailAddress.objects.update_or_create(user=user, email="lee@example.org", defaults={"verified": True})
    client.force_login(user)

    client.post(reverse("content:contact"), CONTACT)
    client.post(reverse("content:contact"), {**CONTACT, "email": "someone.else@example.org"})

    first, second = ContactMessage.objects.order_by("pk")
    copy = OutboxMessage.objects.get(key=f"contact-message-copy:{first.pk}")
    assert copy.to == ["lee@example.org"] and "Can I apply with an MBA?" in copy.body_text
    assert not OutboxMessage.objects.filter(key=f"contact-message-copy:{second.pk}").exists()


@pytest.mark.django_db
def test_contact_honeypot_sends_nothing(client):
    response = client.post(reverse("content:contact"), {**CONTACT, "website": "http://spam.example"})

    assert response.status_code == 302
    assert not ContactMessage.objects.exists() and not OutboxMessage.objects.exists()


@pytest.mark.django_db
def test_contact_form_is_rate_limited_per_client(client, settings):
    settings.CONTENT_CONTACT_RATE = "2/h"

    statuses = [client.post(reverse("content:contact"), CONTACT).status_code for _ in range(3)]

    assert statuses == [302, 302, 429]
    assert ContactMessage.objects.count() == 2


@pytest.mark.django_db
def test_contact_form_rejects_an_invalid_address(client):
    response = client.post(reverse("content:contact"), {**CONTACT, "email": "not-an-address"})

    assert response.status_code == 200 and not ContactMessage.objects.exists()


@pytest.mark.django_db
def test_contact_form_preselects_the_topic_from_the_link(client):
    html = client.get(reverse("content:contact") + "?topic=fasttrack").content.decode()

    assert '<option value="fasttrack" selected>' in html
