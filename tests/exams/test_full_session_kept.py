"""The refusal of a full session, kept per process for every candidate (exams.views.FULL_SESSIONS, built on
content.shared_answers): rendered once, then served with each candidate's own name, address and CSRF token, until a
table it shows is written. Committed writes (``transaction=True``): a table's version changes when a write commits."""

import re

import pytest
from django.test import Client

from exams.models import Booking, ExamSession
from tests.factories import ApplicantFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("keeping")]

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture
def full_session(session_factory):
    session = session_factory(capacity=2)
    ExamSession.objects.filter(pk=session.pk).update(seats_taken=2)
    return session


def _refused(client, session, level):
    response = client.post(f"/exams/sessions/{session.pk}/book/", {"level": level.pk})
    assert response.status_code == 200
    return response.content.decode()


def _candidate(name: str, acceptances):
    person = ApplicantFactory(full_name=name)
    acceptances.accept(person, "AM")
    client = Client()
    client.force_login(person)
    return client


def test_a_kept_refusal_costs_only_the_sign_in_queries(full_session, level_am, acceptances,
                                                       django_assert_num_queries):
    first, second = _candidate("Ada First", acceptances), _candidate("Bo Second", acceptances)
    _refused(first, full_session, level_am)  # learns what the refusal reads
    _refused(first, full_session, level_am)  # kept

    with django_assert_num_queries(2):  # the user and their roles: no exam session, no level
        page = _refused(second, full_session, level_am)

    assert "No seats left in this session." in page and "Join the waiting list" in page


def test_each_candidate_sees_their_own_name_and_gets_their_own_token(full_session, level_am, acceptances):
    first = _candidate("Ada <b>First</b>", acceptances)
    second = Client(enforce_csrf_checks=True)
    person = ApplicantFactory(full_name="Bo Second")
    second.force_login(person)
    _refused(first, full_session, level_am)
    _refused(first, full_session, level_am)
    token = TOKEN.search(second.get("/hours/").content.decode()).group(1)

    response = second.post(f"/exams/sessions/{full_session.pk}/book/",
                           {"level": level_am.pk, "csrfmiddlewaretoken": token})
    page = response.content.decode()

    assert response.status_code == 200 and "No seats left in this session." in page
    assert "Bo" in page and "Ada" not in page
    tokens = set(TOKEN.findall(page))
    assert len(tokens) == 1 and "\x00" not in page  # every form of the answer carries this request's token
    assert second.post(f"/exams/sessions/{full_session.pk}/waiting-list/",
                       {"level": level_am.pk, "csrfmiddlewaretoken": tokens.pop()}).status_code == 302


def test_a_seat_freed_is_booked_at_once(full_session, level_am, acceptances):
    first, second = _candidate("Ada First", acceptances), _candidate("Bo Second", acceptances)
    _refused(first, full_session, level_am)
    _refused(first, full_session, level_am)

    ExamSession.objects.filter(pk=full_session.pk).update(seats_taken=1)  # a cancellation commits
    response = second.post(f"/exams/sessions/{full_session.pk}/book/", {"level": level_am.pk})

    assert response.status_code == 302
    assert Booking.objects.filter(session=full_session).count() == 1


def test_a_renamed_centre_shows_on_the_next_refusal(full_session, level_am, acceptances):
    first = _candidate("Ada First", acceptances)
    _refused(first, full_session, level_am)
    _refused(first, full_session, level_am)

    full_session.centre.name = "Renamed Exam Hall"
    full_session.centre.save()

    assert "Renamed Exam Hall" in _refused(first, full_session, level_am)


def test_a_waiting_message_is_shown_with_the_refusal(full_session, level_am, acceptances):
    first = _candidate("Ada First", acceptances)
    _refused(first, full_session, level_am)
    _refused(first, full_session, level_am)
    joined = first.post(f"/exams/sessions/{full_session.pk}/waiting-list/", {"level": level_am.pk})
    assert joined.status_code == 302  # its message waits for the next page

    page = _refused(first, full_session, level_am)

    assert "You are on the waiting list." in page and "No seats left in this session." in page


def test_the_refusal_in_another_language_is_kept_apart(full_session, level_am, acceptances):
    first = _candidate("Ada First", acceptances)
    _refused(first, full_session, level_am)
    _refused(first, full_session, level_am)

    first.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    page = _refused(first, full_session, level_am)

    assert 'lang="zh-hans"' in page and "No seats left in this session." not in page


def test_a_session_begun_is_not_refused_from_the_kept_page(full_session, level_am, acceptances):
    import time_machine

    first = _candidate("Ada First", acceptances)
    _refused(first, full_session, level_am)
    _refused(first, full_session, level_am)

    with time_machine.travel(full_session.starts_at, tick=False):
        response = first.post(f"/exams/sessions/{full_session.pk}/book/", {"level": level_am.pk})

    assert response.status_code == 404


def test_without_redis_the_refusal_is_rendered(full_session, level_am, acceptances, monkeypatch):
    from ipma_portal import table_versions

    first = _candidate("Ada First", acceptances)
    monkeypatch.setattr(table_versions, "versions", lambda tables: None)

    assert "No seats left in this session." in _refused(first, full_session, level_am)
    assert "No seats left in this session." in _refused(first, full_session, level_am)
