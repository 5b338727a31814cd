import uuid
from importlib import import_module

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from organizations import services
from organizations.models import Sector
from tests.factories import ReviewerFactory, UserFactory
from tests.organizations import factories


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private_media"
    return settings.PRIVATE_MEDIA_ROOT


@pytest.fixture(autouse=True)
def ratelimit_namespace(settings):
    """Rate-limit counters may live in a shared cache: each test counts under a prefix of its own."""
    alias = getattr(settings, "RATELIMIT_USE_CACHE", "default")
    settings.CACHES = {**settings.CACHES, alias: {**settings.CACHES[alias], "KEY_PREFIX": f"test-org-{uuid.uuid4().hex}"}}


@pytest.fixture(autouse=True)
def reference_data(request):
    """Levels, the fee schedule and the standards come from data migrations; a transactional test run
    before this one flushed them, so put them back (the migrations' functions are idempotent)."""
    if "db" not in request.fixturenames and "transactional_db" not in request.fixturenames:
        return
    request.getfixturevalue("db" if "db" in request.fixturenames else "transactional_db")
    import_module("accreditation.migrations.0002_levels").add_levels(apps, None)
    import_module("payments.migrations.0003_fee_schedule").add_fees(apps, None)
    import_module("organizations.migrations.0002_numbers_events_standards").standards_add(apps, None)


@pytest.fixture
def organization(db):
    return factories.organization_with_staff()


@pytest.fixture
def owner(organization):
    return organization[1]


@pytest.fixture
def contact(organization):
    return organization[2]


@pytest.fixture
def org(organization):
    return organization[0]


@pytest.fixture
def reviewers(reviewer):
    from allauth.mfa.totp.internal.auth import TOTP

    from tests.conftest import TOTP_SECRET

    other = ReviewerFactory()
    TOTP.activate(other, TOTP_SECRET)
    return [reviewer, other]


def certificate_render(number: str) -> None:
    """Render a certificate's PDF now (the certificates app does it in a Celery task after commit)."""
    from certificates.selectors import certificates_active
    from certificates.services.rendering import certificate_render as render

    render(certificate_id=certificates_active().get(number=number).pk)


@pytest.fixture
def mentor_certificate(db):
    """Issue an individual certificate through the certificates app's own service."""
    def issue(user=None, *, level_code="PM", legal_name=None):
        from certificates.services import certificate_issue
        from tests.factories import UserFactory

        user = user or UserFactory()
        return certificate_issue(user=user, level_code=level_code, legal_name=legal_name or user.full_name or "A Mentor",
                                 actor=None)
    return issue


@pytest.fixture
def listed_mentor(mentor_certificate):
    """A mentor with a certificate at ``level_code`` and a directory entry (opted in unless told)."""
    def make(*, level_code="PM", opted_in=True, email=None, **fields):
        user = UserFactory(**({"email": email} if email else {}))
        certificate = mentor_certificate(user, level_code=level_code)
        defaults = {"display_name": user.full_name or "Mentor", "headline": "Mentor of new managers",
                    "profile": "I mentor first-time managers.", "country": "NL", "city": "Utrecht",
                    "languages": ["en", "nl"], "sectors": [Sector.BUSINESS]}
        listing = services.listing_save(user=user, opted_in=opted_in, **{**defaults, **fields})
        return listing, certificate
    return make


def directory_queries(client, **query) -> int:
    """The queries of one directory page asked twice (the levels and the header's menus are kept in memory)."""
    client.get(reverse("organizations:directory"), query)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("organizations:directory"), query)
    assert response.status_code == 200
    return len(captured)


def directory_names(client, **query) -> list[str]:
    """The names a directory page lists (mentors, programmes or QTSPs, by ``show``)."""
    response = client.get(reverse("organizations:directory"), query)
    assert response.status_code == 200
    page = response.context["page"]
    if query.get("show") == "programmes":
        return [entry.programme.name for entry in page.object_list]
    if query.get("show") == "qtsps":
        return [entry.name for entry in page.object_list]
    return [entry.display_name for entry in page.object_list]
