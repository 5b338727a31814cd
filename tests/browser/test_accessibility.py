"""Every page a person can reach, walked as each role, with axe-core (WCAG 2.2 A/AA) on each.

The demo data (``seed_demo``, every app's ``demo.seed``) gives each role pages with real rows: an
applicant with a draft application, hours and a booking; a QTSP with cohorts and rosters; an
organization with programme applications; reviewers with applications, bookings and invoices to decide.
From a few entry points per role the walk follows the links on each page (same site, GET, no downloads)
up to a budget, so new pages are covered without listing them here.
"""

import io
import re
import threading
from urllib.parse import urldefrag, urlparse

import pytest
from django.core.management import call_command
from django.db import connections
from django.test import Client
from playwright.sync_api import Error as PlaywrightError

from applicants.models import User
from tests.browser.conftest import assert_accessible
from tests.conftest import REFERENCE_DATA

# Each test runs in a transaction of its own that is rolled back; the demo data is committed once per module
# (the ``site`` fixture), before them, and is what the live server reads.
pytestmark = [pytest.mark.browser, pytest.mark.django_db]

# Links that change state on GET, download files, or lead off the pages people read. Whatever else answers with
# something other than HTML (feeds, calendar files) is left out by its content type.
SKIP = re.compile(
    r"/accounts/logout/|/i18n/|/download|\.pdf$|\.csv$|\.ics$|\.json$|\.png$|\.svg$|/export|/logo|"
    r"/admin/(r/|logout/|jsi18n/|.*/(delete|history)/)|/admin/password_change/|/accounts/(reauthenticate|"
    r"password/change)|/mfa/|/healthz|/badges/|/documents/|/confirm-email/|/stripe/"
)
PAGES_PER_ROLE = 45


class DemoSite:
    """A live server on a database seeded once for the module (the demo data takes a minute to build)."""

    def __init__(self, server):
        self.server, self.url = server, server.url

    def sign_in(self, page, email: str) -> None:
        """A session the live server can read: made on a connection of its own, committed at once."""
        sessions = []

        def sign_in_committed():
            try:
                client = Client()
                client.force_login(User.objects.get(email=email))
                sessions.append(client.cookies["sessionid"].value)
            finally:
                connections.close_all()

        thread = threading.Thread(target=sign_in_committed)
        thread.start()
        thread.join()
        assert sessions, f"{email} could not be signed in"
        page.context.clear_cookies()
        page.context.add_cookies([{"name": "sessionid", "value": sessions[0], "url": self.url}])


@pytest.fixture(scope="module")
def site(django_db_setup, django_db_blocker):
    """The demo data set of every app on reference data, served live; flushed afterwards for the next tests."""
    from importlib import import_module

    from django.apps import apps
    from django.db import transaction
    from pytest_django.live_server_helper import LiveServer

    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)  # whatever an earlier test left
        with transaction.atomic():
            for module, loader in REFERENCE_DATA:
                getattr(import_module(module), loader)(apps, None)
        call_command("seed_demo", stdout=io.StringIO())
        _book_a_seat_for_someone_eligible()
    server = LiveServer("localhost")
    server._live_server_modified_settings.enable()
    try:
        yield DemoSite(server)
    finally:
        server._live_server_modified_settings.disable()
        server.stop()
        with django_db_blocker.unblock():
            call_command("flush", interactive=False, verbosity=0)


@pytest.fixture
def walker(context):
    """A page of its own (the suite's ``page`` fixture would flush the database after each test)."""
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    page.close()


def _book_a_seat_for_someone_eligible() -> None:
    """The demo makes people eligible but books no seat: the committee's booking pages need one."""
    from accreditation.models import Level
    from exams.eligibility import exam_eligibility
    from exams.models import ExamSession
    from exams.services import booking_create

    for user in User.objects.filter(email__endswith="@ipma.example").order_by("email"):
        for level in Level.objects.order_by("rank"):
            session = ExamSession.objects.upcoming().filter(levels=level).order_by("starts_at").first()
            if session and exam_eligibility(user=user, level=level).eligible:
                booking_create(candidate=user, session=session, level=level)
                return
    raise AssertionError("the demo data made nobody eligible to book an exam")


def _links(page, origin: str) -> list[str]:
    hrefs = page.eval_on_selector_all("main a[href], header a[href]", "els => els.map(e => e.href)")
    found = []
    for href in hrefs:
        url, _fragment = urldefrag(href)
        if url.startswith(origin) and not SKIP.search(urlparse(url).path):
            found.append(url)
    return found


def _report(failures: dict[str, tuple]) -> str:
    return "\n".join(f"{path}: {args[0]}" for path, args in failures.items())


def _walk(page, origin: str, entry_points: list[str]) -> tuple[list[str], dict[str, list]]:
    """Visit HTML pages breadth-first from the entry points; axe-core on each. Returns (visited, failures)."""
    queue = [origin + path for path in entry_points]
    seen, visited, failures = set(queue), [], {}
    while queue and len(visited) < PAGES_PER_ROLE:
        url = queue.pop(0)
        where = urlparse(url).path + ("?" + urlparse(url).query if urlparse(url).query else "")
        try:
            response = page.goto(url)
        except PlaywrightError as error:
            if "Download is starting" not in str(error):
                failures[where] = (str(error).splitlines()[0],)
            continue
        if response is not None and response.status >= 500:
            failures[where] = (f"answered {response.status}",)
            continue
        if (response is None or response.status >= 400 or not page.url.startswith(origin)
                or not (response.header_value("content-type") or "").startswith("text/html")):
            continue  # refused (tested per app), another site, or not a page (Atom feeds, calendar files)
        visited.append(urlparse(url).path)
        try:
            assert_accessible(page)
        except AssertionError as error:
            failures[where] = error.args
        for link in _links(page, origin):
            # One page per kind of detail (/partners/portal/cohorts/3/ stands for every cohort): numbers vary.
            kind = re.sub(r"\d+", "N", urlparse(link).path)
            if link not in seen and kind not in {re.sub(r"\d+", "N", urlparse(s).path) for s in seen}:
                seen.add(link)
                queue.append(link)
    return visited, failures


PUBLIC = ["/", "/levels/", "/fees/", "/curriculum/", "/exams/calendar/", "/partners/", "/training/", "/fast-track/",
          "/verify/", "/directory/", "/membership/", "/accounts/login/", "/accounts/signup/",
          "/accounts/password/reset/", "/partners/apply/", "/publications/", "/faq/", "/search/?q=mentoring"]


def test_public_pages_have_no_accessibility_violations(walker, site):
    visited, failures = _walk(walker, site.url, PUBLIC)

    assert len(visited) >= 15
    assert {"/training/", "/partners/"} <= set(visited)
    assert not failures, _report(failures)


def test_applicant_pages_have_no_accessibility_violations(walker, site):
    site.sign_in(walker, "applicant@ipma.example")

    visited, failures = _walk(walker, site.url, [
        "/dashboard/", "/profile/", "/hours/", "/hours/new/", "/hours/import/", "/ethics/", "/applications/",
        "/applications/new/", "/exams/bookings/", "/invoices/", "/account/preferences/", "/directory/my-entry/",
        "/fast-track/", "/accounts/email/", "/training/",
    ])

    assert {"/dashboard/", "/hours/", "/applications/"} <= set(visited)
    assert any(path.startswith("/applications/") and path != "/applications/" for path in visited)
    assert not failures, _report(failures)


def test_qtsp_portal_pages_have_no_accessibility_violations(walker, site):
    site.sign_in(walker, "qtsp@ipma.example")

    visited, failures = _walk(walker, site.url, ["/partners/portal/", "/partners/portal/referrals/", "/dashboard/"])

    assert any("/cohorts/" in path for path in visited)
    assert not failures, _report(failures)


def test_organization_portal_pages_have_no_accessibility_violations(walker, site):
    site.sign_in(walker, "org@ipma.example")

    visited, failures = _walk(walker, site.url, ["/organizations/", "/organizations/register/", "/dashboard/"])

    assert any("/organizations/applications/" in path for path in visited)
    assert not failures, _report(failures)


COMMITTEE_MODELS = ["accreditation/levelapplication", "exams/booking", "payments/invoice", "exams/examsession"]


def _session_with_bookings() -> int:
    from exams.models import ExamSession

    return ExamSession.objects.filter(bookings__isnull=False).order_by("pk").values_list("pk", flat=True).first()


def test_committee_admin_pages_have_no_accessibility_violations(walker, site):
    site.sign_in(walker, "reviewer@ipma.example")
    origin = site.url
    pages = ["/admin/", "/admin/insights/"]
    for model in COMMITTEE_MODELS:
        pages.append(f"/admin/{model}/")
        walker.goto(f"{origin}/admin/{model}/")
        change = re.compile(rf"^/admin/{model}/\d+/change/")
        links = [urlparse(href).path for href in walker.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")]
        pages.append(next(path for path in links if change.match(path)))
    # The results-entry page of a session with candidates: a score and an absent box per candidate.
    pages.append(f"/admin/exams/examsession/{_session_with_bookings()}/results/")

    failures = {}
    for path in pages:
        response = walker.goto(origin + path)
        assert response.status == 200, path
        try:
            assert_accessible(walker)
        except AssertionError as error:
            failures[path] = error.args

    assert len(pages) == 11
    assert not failures, _report(failures)
