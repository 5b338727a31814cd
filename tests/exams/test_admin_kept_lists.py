"""The committee's long lists kept rendered per reviewer (workflows.admin.LargeChangelistMixin with
ipma_portal.table_versions): opened again without the work, never stale after any write to a table they read (bulk
updates included), never another reviewer's, and never shown to someone who lost the access.

The writes here commit (transactional tests), as the portal's do: a table's version changes when a write commits."""

import re

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from exams.models import Booking, BookingStatus
from exams.services import booking_create
from tests.conftest import TOTP_SECRET
from tests.factories import ReviewerFactory

LIST = "/admin/exams/booking/?status__exact=booked"
CSRF = re.compile(r'(name="csrfmiddlewaretoken" value=")([^"]*)(")')


@pytest.fixture
def booked(keeping, candidate, session, level_am):
    return booking_create(candidate=candidate, session=session, level=level_am, needs="")


def _reviewer(full_name: str):
    user = ReviewerFactory(full_name=full_name)
    TOTP.activate(user, TOTP_SECRET)
    return user


def _open(client, address: str = LIST):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(address)
    assert response.status_code == 200
    return CSRF.sub(r"\1\3", response.content.decode()), len(queries)


def test_a_list_opened_again_is_the_same_page_without_its_queries(client, booked):
    client.force_login(_reviewer("Rania Reviewer"))
    first, rendered = _open(client)  # learns the tables the address reads
    _open(client)  # kept
    again, kept = _open(client)

    assert again == first and str(booked.candidate) in again
    assert kept < rendered - 3


def test_a_bulk_update_shows_on_the_next_opening(client, booked):
    client.force_login(_reviewer("Rania Reviewer"))
    _open(client), _open(client)
    Booking.objects.filter(pk=booked.pk).update(status=BookingStatus.CANCELLED)  # no save signal

    page, _queries = _open(client)
    assert str(booked.candidate) not in page  # no longer booked: the filtered list is empty


def test_a_renamed_candidate_shows_on_the_next_opening(client, booked):
    client.force_login(_reviewer("Rania Reviewer"))
    _open(client), _open(client)
    booked.candidate.full_name = "Adaeze Renamed"
    booked.candidate.save(update_fields=["full_name"])

    page, _queries = _open(client)
    assert "Adaeze Renamed" in page


def test_a_list_kept_for_one_reviewer_is_never_shown_to_another(client, booked):
    client.force_login(_reviewer("Rania Reviewer"))
    _open(client), _open(client)

    client.force_login(_reviewer("Omar Othername"))
    page, _queries = _open(client)
    assert "<strong>Omar</strong>" in page and "Rania" not in page


def test_a_reviewer_who_lost_the_role_is_refused_the_kept_list(client, booked):
    reviewer = _reviewer("Rania Reviewer")
    client.force_login(reviewer)
    _open(client), _open(client)
    reviewer.groups.clear()

    assert client.get(LIST).status_code == 403


def test_with_redis_away_the_list_is_rendered(client, booked, monkeypatch):
    import redis

    def away(*args, **kwargs):
        raise redis.ConnectionError("Redis is away")

    monkeypatch.setattr(type(caches["dashboard"]), "get_many", away)
    client.force_login(_reviewer("Rania Reviewer"))
    page, _queries = _open(client)
    assert str(booked.candidate) in page


def test_a_record_kept_shows_a_change_on_the_next_opening(client, booked):
    client.force_login(_reviewer("Rania Reviewer"))
    address = f"/admin/exams/booking/{booked.pk}/change/"
    first, rendered = _open(client, address)
    _open(client, address)
    again, kept = _open(client, address)
    assert again == first and kept < rendered

    Booking.objects.filter(pk=booked.pk).update(attempt_number=7)
    page, _queries = _open(client, address)
    assert page != first and re.search(r"readonly\">\s*7\s*<", page)


# The other long committee lists and their records keep their pages the same way (workflows.admin.KeptPagesMixin).
OTHER_LISTS = ["/admin/exams/examsession/", "/admin/applicants/hoursentry/", "/admin/partners/enrolment/",
               "/admin/organizations/organization/", "/admin/organizations/directorylisting/",
               "/admin/events/registration/", "/admin/applicants/user/"]


@pytest.mark.parametrize("address", OTHER_LISTS)
def test_another_long_list_opened_again_is_kept(client, booked, address):
    client.force_login(_reviewer("Rania Reviewer"))
    first, rendered = _open(client, address)
    _open(client, address)
    again, kept = _open(client, address)

    assert again == first and kept <= 3 < rendered


def test_a_new_hours_entry_shows_on_the_next_opening_of_the_hours_list(client, booked):
    from tests.applicants.factories import HoursEntryFactory

    client.force_login(_reviewer("Rania Reviewer"))
    _open(client, "/admin/applicants/hoursentry/"), _open(client, "/admin/applicants/hoursentry/")
    HoursEntryFactory(mentee="Zanele Newmentee")

    page, _queries = _open(client, "/admin/applicants/hoursentry/")
    assert "Zanele Newmentee" in page


def test_a_sessions_record_shows_a_changed_capacity_on_its_next_opening(client, booked):
    from exams.models import ExamSession

    address = f"/admin/exams/examsession/{booked.session_id}/change/"
    client.force_login(_reviewer("Rania Reviewer"))
    _open(client, address), _open(client, address)
    ExamSession.objects.filter(pk=booked.session_id).update(capacity=37)  # no save signal

    page, _queries = _open(client, address)
    assert 'name="capacity" value="37"' in page
