import time
from contextlib import contextmanager
from importlib import import_module

import pytest
from allauth.account.authentication import AUTHENTICATION_METHODS_SESSION_KEY
from allauth.account.internal.flows.login import _AUTHENTICATION_METHODS_USER_SESSION_KEY
from allauth.account.internal.userkit import user_id_to_str
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from django.apps import apps
from django.db import transaction
from django.test import Client
from django.utils import translation

from applicants.roles import user_is_privileged
from content.shared_answers import shared_answers_reset
from ipma_portal import public_cache, table_versions
from ipma_portal.reference_cache import reference_data_reset
from tests.factories import ApplicantFactory, QTSPStaffFactory, ReviewerFactory, UserFactory
from tests.xdist_database import django_db_modify_db_settings, django_db_setup  # noqa: F401 (xdist workers copy one migrated database)

TOTP_SECRET = "JBSWY3DPEHPK3PXP"

# Reference data that data migrations load (each loader is idempotent). A transactional test ends
# with a flush that empties every table, so whatever test comes next gets it back from here.
REFERENCE_DATA = [
    ("applicants.migrations.0002_site", "name_site"),
    ("accreditation.migrations.0002_levels", "add_levels"),
    ("exams.migrations.0002_curriculum", "add_curriculum"),
    ("accreditation.migrations.0006_level_translations", "fill_translations"),
    ("accreditation.migrations.0007_level_confirmed_hours_share", "shares_set"),
    ("exams.migrations.0005_topic_translations", "fill_translations"),
    ("payments.migrations.0003_fee_schedule", "add_fees"),
    ("organizations.migrations.0002_numbers_events_standards", "standards_add"),
]


# Tables the migrations fill and no test changes. The flush that ends a transactional test (the browser journeys,
# the concurrency tests) keeps them, so it needs no post_migrate signal to create the content types, permissions
# and role groups again: that took about 1.5 s of every such test.
KEPT_THROUGH_FLUSH = {"django_content_type", "auth_permission", "auth_group", "auth_group_permissions"}


@pytest.fixture(scope="session", autouse=True)
def _flush_keeps_the_schema_data():
    from django.core.management.commands import flush

    def sql_flush(style, connection, reset_sequences=True, allow_cascade=False):
        tables = [table for table in connection.introspection.django_table_names(only_existing=True,
                                                                                 include_views=False)
                  if table not in KEPT_THROUGH_FLUSH]
        return connection.ops.sql_flush(style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)

    patch = pytest.MonkeyPatch()
    patch.setattr(flush, "sql_flush", sql_flush)
    patch.setattr(flush, "emit_post_migrate_signal", lambda *args, **kwargs: None)
    yield
    patch.undo()


def _uses_database(request) -> bool:
    return request.node.get_closest_marker("django_db") is not None or bool(
        {"db", "transactional_db", "live_server"} & set(request.fixturenames)
    )


@pytest.fixture(autouse=True)
def _language_reset():
    """A request in Chinese leaves the language active in this thread; the next test starts in English."""
    yield
    translation.deactivate()


_force_login_without_two_factor = Client.force_login


def force_login_without_two_factor(client: Client, user, backend=None) -> None:
    """Sign in as a session that has not passed two-factor (what a stolen password gives)."""
    _force_login_without_two_factor(client, user, backend)


def mark_session_two_factor(client: Client, user) -> None:
    """Record a completed TOTP step in the client's session, as allauth's MFA stage does on sign-in."""
    session = client.session
    now = time.time()
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [
        {"method": "password", "at": now, "email": user.email},
        {"method": "mfa", "at": now, "type": "totp"},
    ]
    session[_AUTHENTICATION_METHODS_USER_SESSION_KEY] = user_id_to_str(user)
    session.save()


@pytest.fixture(autouse=True)
def _staff_sign_in_with_two_factor(monkeypatch):
    """``client.force_login`` signs privileged users in as if they had entered their TOTP code, so the
    suite's staff and admin clients pass StaffMFARequiredMiddleware; tests of the middleware itself
    use ``force_login_without_two_factor`` (tests/test_staff_sessions.py)."""

    def force_login(self, user, backend=None):
        _force_login_without_two_factor(self, user, backend)
        if user_is_privileged(user):
            mark_session_two_factor(self, user)

    monkeypatch.setattr(Client, "force_login", force_login)


@pytest.fixture(autouse=True)
def _reference_cache_reset():
    """Reference data kept in memory from a rolled-back test (no signal tells the cache) is forgotten."""
    reference_data_reset()
    public_cache.store.clear()
    shared_answers_reset()
    table_versions._unavailable_until = 0.0  # a Redis outage an earlier test simulated is over
    yield
    reference_data_reset()
    public_cache.store.clear()
    shared_answers_reset()


@pytest.fixture(autouse=True)
def _no_random_audits(settings):
    """Audits pick a random share of submissions; a test that wants one sets the share itself."""
    settings.ACCREDITATION_AUDIT_SHARE = 0.0
    settings.CERTIFICATES_PDU_AUDIT_SHARE = 0.0


@pytest.fixture(autouse=True)
def _reference_data(request):
    if not _uses_database(request):
        return
    request.getfixturevalue("_django_db_helper")
    _reference_data_load()


def _reference_data_load() -> None:
    from accreditation.models import Level

    if Level.objects.exists():
        return
    with transaction.atomic():  # the curriculum's weights are checked when this commits
        for module, loader in REFERENCE_DATA:
            getattr(import_module(module), loader)(apps, None)


@contextmanager
def rolled_back_after_the_module(django_db_blocker, build=None):
    """For a module-scoped fixture: rows written inside (by ``build()``, whose result it yields) stay for the
    module's tests (each runs in a savepoint within) and are rolled back after the last, so costly data is built
    once per module, not once per test."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        _reference_data_load()  # an earlier transactional test may have flushed it
    try:
        with django_db_blocker.unblock():
            built = build() if build else None
        yield built
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def user_factory(db):
    return UserFactory


@pytest.fixture
def applicant(db):
    return ApplicantFactory()


@pytest.fixture
def reviewer(db):
    """A committee reviewer with an authenticator app, as the admin requires."""
    user = ReviewerFactory()
    TOTP.activate(user, TOTP_SECRET)
    return user


@pytest.fixture
def qtsp_staff(db):
    return QTSPStaffFactory()


def totp_code(secret: str = TOTP_SECRET, at: float | None = None) -> str:
    import time

    return format_hotp_value(hotp_value(secret, int(at if at is not None else time.time()) // 30))
