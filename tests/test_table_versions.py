"""Table versions (ipma_portal/table_versions.py): every write Django makes changes its table's version when it
commits, bulk updates and raw SQL included, and nothing does for a write rolled back.

A table is noted once per transaction: in a test whose transaction never commits, a table written before a
``django_capture_on_commit_callbacks`` block is not noted again inside it (such tests write it only inside, or commit).
"""

import pytest
import redis
from django.core.cache import caches
from django.db import connection, transaction
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from accreditation.models import Level
from ipma_portal import table_versions
from tests.factories import ApplicantFactory

pytestmark = pytest.mark.django_db

USERS = "applicants_user"


@pytest.fixture(autouse=True)
def keeping(settings):
    settings.DASHBOARD_CACHE_SECONDS = 120
    caches["dashboard"].clear()
    yield
    caches["dashboard"].clear()


def _version(table: str) -> str:
    return table_versions.versions([table])[table]


def test_a_saved_row_changes_its_tables_version_when_it_commits(django_capture_on_commit_callbacks):
    before = _version(USERS)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        ApplicantFactory()
    assert _version(USERS) == before  # not yet committed: another reader still sees the old rows

    for callback in callbacks:
        callback()
    assert _version(USERS) != before


def test_a_bulk_update_changes_the_version_no_save_signal_would_have_sent(django_capture_on_commit_callbacks):
    before = _version("accreditation_level")
    with django_capture_on_commit_callbacks(execute=True):
        Level.objects.filter(code="AM").update(rank=F("rank"))
    assert _version("accreditation_level") != before


def test_raw_sql_changes_the_version(django_capture_on_commit_callbacks):
    before = _version("accreditation_level")
    with django_capture_on_commit_callbacks(execute=True), connection.cursor() as cursor:
        cursor.execute('UPDATE "accreditation_level" SET "rank" = "rank" WHERE "code" = %s', ["AM"])
    assert _version("accreditation_level") != before


def test_raw_sql_with_an_unquoted_table_name_changes_the_version(django_capture_on_commit_callbacks):
    before = _version("accreditation_level")
    with django_capture_on_commit_callbacks(execute=True), connection.cursor() as cursor:
        cursor.execute("update accreditation_level set rank = rank where code = %s", ["AM"])
    assert _version("accreditation_level") != before


@pytest.mark.django_db(transaction=True)
def test_a_sign_in_changes_no_version_but_a_new_name_does():
    """Committed writes (autocommit), as a sign-in's in the portal: the version changes at once, or not at all."""
    from django.contrib.auth.models import update_last_login

    person = ApplicantFactory()
    before = _version(USERS)
    update_last_login(None, person)  # what every sign-in writes: no kept page shows it
    assert _version(USERS) == before

    type(person).objects.filter(pk=person.pk).update(last_login=None, full_name="New Name")
    assert _version(USERS) != before


def test_reading_changes_no_version(django_capture_on_commit_callbacks):
    before = _version("accreditation_level")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        list(Level.objects.all())
    assert callbacks == [] and _version("accreditation_level") == before


def test_a_write_rolled_back_changes_nothing(django_capture_on_commit_callbacks):
    before = _version(USERS)
    with (django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError),
          transaction.atomic()):
        ApplicantFactory()
        raise RuntimeError("rolled back")
    assert _version(USERS) == before


def test_many_writes_to_a_table_in_a_transaction_make_one_change(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        for _ in range(5):
            Level.objects.filter(code="AM").update(rank=F("rank"))
    assert len(callbacks) == 1


def test_the_tables_of_a_transaction_change_in_one_redis_write(monkeypatch, django_capture_on_commit_callbacks):
    before = table_versions.versions([USERS, "accreditation_level"])
    writes = []
    renew = table_versions.renew

    def counted(keys):
        writes.append(set(keys))
        renew(writes[-1])

    monkeypatch.setattr(table_versions, "renew", counted)
    with django_capture_on_commit_callbacks(execute=True):
        Level.objects.filter(code="AM").update(rank=F("rank"))
        ApplicantFactory()

    # (the people's page versions are renewed apart, by applicants.dashboard)
    [tables] = [keys for keys in writes if any(key.startswith("table:") for key in keys)]
    assert {"table:accreditation_level", f"table:{USERS}"} <= tables
    after = table_versions.versions([USERS, "accreditation_level"])
    assert all(after[table] != before[table] for table in before)


def test_a_write_after_a_savepoint_rolled_back_still_changes_the_version(django_capture_on_commit_callbacks):
    """The change noted inside the rolled-back savepoint went with it; the later write must note it again."""
    before = _version(USERS)
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            ApplicantFactory()
            raise RuntimeError("rolled back")
        ApplicantFactory()
    assert _version(USERS) != before


def test_the_tables_a_block_reads_are_named():
    with table_versions.tables_read() as read:
        list(Level.objects.select_related().all())
        ApplicantFactory._meta.model.objects.filter(groups__name="x").exists()
    assert {"accreditation_level", USERS, "auth_group", "applicants_user_groups"} <= read


def test_without_redis_there_are_no_versions_and_writes_go_on(monkeypatch, django_capture_on_commit_callbacks):
    calls = []

    def away(*args, **kwargs):
        calls.append(args)
        raise redis.ConnectionError("Redis is away")

    monkeypatch.setattr(type(caches["dashboard"]), "get_many", away)
    monkeypatch.setattr(type(caches["dashboard"]), "set_many", away)
    monkeypatch.setattr(table_versions, "_unavailable_until", 0.0)
    assert table_versions.versions([USERS]) is None
    calls.clear()
    with django_capture_on_commit_callbacks(execute=True):
        ApplicantFactory(full_name="Still saved")
        Level.objects.filter(code="AM").update(rank=F("rank"))
    assert ApplicantFactory._meta.model.objects.filter(full_name="Still saved").exists()
    assert len(calls) == 1  # the first version to renew failed; the next ones do not wait on Redis again


def test_reference_data_taken_from_memory_counts_as_read():
    from accreditation.selectors import LEVELS

    LEVELS.get()  # built and kept in this process
    with table_versions.tables_read() as read, CaptureQueriesContext(connection) as queries:
        LEVELS.get()
    assert "accreditation_level" in read and not [q for q in queries if "accreditation_level" in q["sql"]]
