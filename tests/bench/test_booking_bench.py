"""bench/booking.py and bench/profile_page.py measure what a candidate's browser does, and change nothing."""

from email.message import Message

import pytest

from bench.booking import BookingRun
from bench.profile_page import _sender
from tests.factories import ApplicantFactory


def _answer(location: str, *set_cookies: str) -> Message:
    answer = Message()
    answer["Location"] = location
    for header in set_cookies:
        answer["Set-Cookie"] = header
    return answer


def test_booking_bench_follows_a_redirect_with_the_cookies_the_answer_set():
    run = object.__new__(BookingRun)  # no server: only the redirect step
    asked = []
    run.request = lambda path, cookies: asked.append((path, cookies)) or (200, Message(), b"")

    status = run._follow(_answer("https://portal.example/exams/bookings/7/?from=book",
                                 "messages=abc; Path=/; Secure; HttpOnly"), "sessionid=s1; csrftoken=t1")

    assert status == 200
    assert asked == [("/exams/bookings/7/?from=book", {"sessionid": "s1", "csrftoken": "t1", "messages": "abc"})]


class _PostingClient:
    """Stands in for the test client's POST: the post writes a row, as a booking that succeeds does."""

    def post(self, path, data, secure):
        ApplicantFactory(email=data["email"])
        return path


@pytest.mark.django_db
def test_profile_post_with_rollback_leaves_nothing_behind():
    from applicants.models import User

    send = _sender("post", {"email": "posted@example.org"}, rollback=True)

    assert send(_PostingClient(), "/somewhere/") == "/somewhere/"
    assert not User.objects.filter(email="posted@example.org").exists()


@pytest.mark.django_db
def test_profile_post_without_rollback_keeps_its_changes():
    from applicants.models import User

    _sender("post", {"email": "kept@example.org"}, rollback=False)(_PostingClient(), "/somewhere/")

    assert User.objects.filter(email="kept@example.org").exists()
