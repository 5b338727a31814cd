"""bench/booking.py and bench/profile_page.py measure what a candidate's browser does, and change nothing."""

import os
from email.message import Message
from importlib import import_module

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


@pytest.mark.django_db
def test_booking_bench_candidates_are_signed_in_as_a_sign_in_leaves_them():
    from django.conf import settings
    from django.contrib.auth import SESSION_KEY
    from django.core.cache import caches
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    run = object.__new__(BookingRun)  # no server: only the round's data
    run.round = 0

    _sessions, cookies, _level = run._round_data(clients=2, sessions=1, seats=1)

    store = import_module(settings.SESSION_ENGINE).SessionStore(cookies[0])
    with CaptureQueriesContext(connection) as queries:
        assert store[SESSION_KEY]
    assert len(queries) == 0  # read from its Redis copy, as a signed-in candidate's is
    assert caches[settings.SESSION_CACHE_ALIAS].get(store.cache_key)


def test_booking_bench_counts_the_workers_cpu():
    import subprocess
    import sys
    import time
    from types import SimpleNamespace

    busy = "import time\nend = time.process_time() + 0.3\nwhile time.process_time() < end: pass\ntime.sleep(30)"
    worker = subprocess.Popen([sys.executable, "-c", busy])  # a child of this process, as a worker is of gunicorn
    try:
        run = object.__new__(BookingRun)
        run.gunicorn = SimpleNamespace(pid=os.getpid())
        time.sleep(0.8)

        assert 0.25 <= run.workers_cpu() < 5
    finally:
        worker.kill()
        worker.wait()
