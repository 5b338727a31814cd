"""A person's pages kept rendered (applicants/dashboard.py, ``@person_page``): fast to open again, never stale after a
change to what they show, never someone else's, never a message twice, and every table they read is a declared source."""

import io
import re

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection
from django.http import HttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accreditation.models import Level
from applicants.dashboard import dashboard_sources
from tests.applicants.factories import HoursEntryFactory
from tests.applicants.test_hours import entry_data
from tests.factories import ApplicantFactory

pytestmark = pytest.mark.django_db

# Read for every signed-in page, not by the panels: the session, the account and its roles.
BASE_TABLES = {"django_session", "auth_group", "auth_permission", "auth_group_permissions", "applicants_user_groups",
               "applicants_user_user_permissions", "django_content_type"}
TABLE = re.compile(r'(?:FROM|JOIN)\s+"(\w+)"')
CSRF = re.compile(r'(name="csrfmiddlewaretoken" value=")([^"]*)(")')


def _without_tokens(page: str) -> str:
    """The page with its CSRF tokens blanked: each response masks the token afresh."""
    return CSRF.sub(r"\1\3", page)


@pytest.fixture
def keeping(settings):
    settings.DASHBOARD_CACHE_SECONDS = 120
    caches["dashboard"].clear()
    yield
    caches["dashboard"].clear()


def _open(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("applicants:dashboard"))
    assert response.status_code == 200
    return response.content.decode(), len(queries)


KEPT_PAGES = ("applicants:dashboard", "applicants:hours_list", "payments:invoice_list", "exams:booking_list",
              "accreditation:application_list")


def test_every_table_the_kept_pages_read_is_a_declared_source(client, settings):
    from accreditation.models import LevelApplication
    from partners.selectors import cohorts_for_staff

    settings.DASHBOARD_CACHE_SECONDS = 0
    call_command("seed_demo", stdout=io.StringIO())
    declared = {model._meta.db_table for model in dashboard_sources()}
    read = set()
    for user in get_user_model().objects.filter(is_staff=False, is_active=True):
        client.force_login(user)
        addresses = [reverse(name) for name in KEPT_PAGES] + [
            reverse("accreditation:application_detail", args=[pk])
            for pk in LevelApplication.objects.filter(applicant=user).values_list("pk", flat=True)] + [
            reverse("partners:cohort_detail", args=[pk])
            for pk in cohorts_for_staff(user).values_list("pk", flat=True)]
        for address in addresses:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(address).status_code == 200
            read |= {table for query in queries for table in TABLE.findall(query["sql"])}

    assert read - BASE_TABLES - declared == set()
    assert len(read - BASE_TABLES) >= 15  # the demo people's pages did read their panels and rows


def test_every_declared_source_is_a_model_with_paths_to_people():
    for model, paths in dashboard_sources().items():
        assert model in apps.get_models()
        for path in paths or ():
            assert path.split(":")[-1].split(".")[0] in {field.name for field in model._meta.get_fields()} | {
                field.attname for field in model._meta.concrete_fields} | {"pk"}


def test_opening_again_reads_no_panel(client, applicant, keeping):
    client.force_login(applicant)
    first_page, first = _open(client)
    again_page, again = _open(client)

    assert again <= 3  # the session's user and roles only
    assert first > again
    assert _without_tokens(again_page) == _without_tokens(first_page)


def test_a_change_to_the_persons_rows_shows_on_the_next_view(client, applicant, keeping):
    client.force_login(applicant)
    before, _ = _open(client)

    HoursEntryFactory(user=applicant, hours=37)
    after, queries = _open(client)

    assert after != before
    assert queries > 3


def test_a_change_to_someone_elses_rows_keeps_the_persons_copy(client, applicant, keeping):
    client.force_login(applicant)
    _open(client)

    HoursEntryFactory(user=ApplicantFactory(), hours=12)
    _page, queries = _open(client)

    assert queries <= 3


def test_a_change_to_shared_reference_rows_drops_every_copy(client, applicant, keeping):
    client.force_login(applicant)
    _open(client)

    level = Level.objects.get(code="AM")
    level.save()
    _page, queries = _open(client)

    assert queries > 3


def test_people_never_get_each_others_panels(client, keeping):
    first, second = ApplicantFactory(), ApplicantFactory()
    HoursEntryFactory(user=first, hours=41)
    client.force_login(first)
    first_page, _ = _open(client)
    client.force_login(second)
    second_page, queries = _open(client)

    assert queries > 3
    assert first_page != second_page


def test_each_language_is_kept_apart(client, applicant, keeping):
    client.force_login(applicant)
    english, _ = _open(client)
    client.cookies["django_language"] = "zh-hans"
    chinese, _ = _open(client)

    assert "欢迎" in chinese
    assert english != chinese


def test_the_kept_copy_carries_the_viewers_own_csrf_token(client, applicant, keeping):
    client.force_login(applicant)
    _open(client)
    page, _ = _open(client)

    tokens = [match.group(2) for match in CSRF.finditer(page)]
    assert tokens and all(len(token) == 64 for token in tokens)
    assert "\x00csrf\x00" not in page


def test_with_redis_away_the_dashboard_still_opens(client, applicant, keeping, monkeypatch):
    import redis

    def away(*args, **kwargs):
        raise redis.ConnectionError("away")

    cache = caches["dashboard"]
    monkeypatch.setattr(cache, "get_many", away)
    client.force_login(applicant)
    _open(client)  # the reference data is in memory now

    _page, first = _open(client)
    _page, again = _open(client)

    assert again == first > 3


def _hours_page(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("applicants:hours_list"))
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def test_the_hours_list_is_kept_and_follows_a_new_entry(client, applicant, keeping):
    HoursEntryFactory(user=applicant, hours=11)
    client.force_login(applicant)
    _hours_page(client)
    _page, again = _hours_page(client)

    client.post(reverse("applicants:hours_create"), entry_data(hours="23"))
    with_message = client.get(reverse("applicants:hours_list")).content.decode()
    after, _queries = _hours_page(client)

    assert again <= 3
    assert "The hours were added to your log." in with_message
    assert "The hours were added to your log." not in after  # a message is shown once, never kept
    assert after.count("/edit/") == with_message.count("/edit/") == 2


def test_a_page_showing_a_message_is_not_kept(client, applicant, keeping):
    from django.contrib.messages import constants
    from django.contrib.messages.storage.cookie import CookieStorage

    client.force_login(applicant)
    storage = CookieStorage(RequestFactory().get("/"))
    storage.add(constants.INFO, "A note for this view only")
    response = HttpResponse()
    storage.update(response)
    client.cookies["messages"] = response.cookies["messages"].value

    shown = client.get(reverse("applicants:dashboard")).content.decode()
    later, _queries = _open(client)

    assert "A note for this view only" in shown
    assert "A note for this view only" not in later


def test_a_cohorts_roster_is_kept_and_follows_a_new_trainee(client, keeping):
    from partners.services import enrolment_add
    from tests.partners.factories import ProgrammeFactory, QTSPFactory, coordinator_of
    from tests.partners.test_roster import roster_of

    qtsp = QTSPFactory()
    coordinator = coordinator_of(qtsp)
    programme = ProgrammeFactory(qtsp=qtsp)
    cohort = roster_of(programme, coordinator, rows=3, accepted=1)
    cohort.capacity = 10
    cohort.save()
    address = reverse("partners:cohort_detail", args=[cohort.pk])
    client.force_login(coordinator)
    client.get(address)
    with CaptureQueriesContext(connection) as kept:
        before = client.get(address).content.decode()

    enrolment_add(cohort=cohort, actor=coordinator, email="new.trainee@example.org", full_name="Nadia Newcomer")
    after = client.get(address).content.decode()

    assert len(kept) <= 4  # the account, its roles and the portal check
    assert "Nadia Newcomer" not in before and "Nadia Newcomer" in after


def test_new_roles_show_in_the_navigation_of_a_kept_page(client, applicant, keeping):
    from django.contrib.auth.models import Group

    from applicants.roles import QTSP_STAFF

    client.force_login(applicant)
    _open(client)
    before, _queries = _open(client)

    applicant.groups.add(Group.objects.get(name=QTSP_STAFF))
    after, _queries = _open(client)

    assert 'id="nav-qtsp"' not in before
    assert 'id="nav-qtsp"' in after


def test_a_kept_roster_is_never_served_to_staff_of_another_qtsp(client, keeping):
    from tests.partners.factories import ProgrammeFactory, QTSPFactory, coordinator_of
    from tests.partners.test_roster import roster_of

    qtsp = QTSPFactory()
    coordinator = coordinator_of(qtsp)
    cohort = roster_of(ProgrammeFactory(qtsp=qtsp), coordinator, rows=2)
    outsider = coordinator_of(QTSPFactory(name="Another Training Partner"))
    address = reverse("partners:cohort_detail", args=[cohort.pk])
    client.force_login(coordinator)
    client.get(address)
    assert client.get(address).status_code == 200  # kept for the coordinator now

    client.force_login(outsider)
    response = client.get(address)

    assert response.status_code == 404
    assert "Trainee 000" not in response.content.decode()
