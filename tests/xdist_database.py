"""Test databases under pytest-xdist: the first worker migrates, the others copy its database.

Migrating takes a worker about 27 s of the suite's 2 cores, and every worker did it at the same time.
PostgreSQL copies a database in a second or two (``CREATE DATABASE ... TEMPLATE``), but only from one no
session is connected to. So the first worker to take the lock (a file in the run's temporary directory,
shared by its workers) migrates its database as usual, copies it to a template and lets the lock go; the
others, waiting on the lock meanwhile, make theirs from the template. The first worker drops the template
when it ends. Without xdist, or with ``--reuse-db``, pytest-django's own set-up runs unchanged.
"""

import fcntl
import os
from dataclasses import dataclass
from typing import IO

import pytest


@dataclass
class _Plan:
    lock: IO
    template: str
    makes_template: bool = False

    def release(self) -> None:
        if not self.lock.closed:
            fcntl.flock(self.lock, fcntl.LOCK_UN)
            self.lock.close()


def _template_name(test_name: str) -> str:
    """``test_ipma_gw1`` -> ``test_ipma_template``: one template per run, whatever worker makes it."""
    return test_name.rsplit("_gw", 1)[0] + "_template"


def _database_exists(connection, name: str) -> bool:
    with connection.creation._nodb_cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        return cursor.fetchone() is not None


def _copy_database(connection, *, source: str, target: str) -> None:
    connection.close()
    quote = connection.ops.quote_name
    with connection.creation._nodb_cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {quote(target)}")
        cursor.execute(f"CREATE DATABASE {quote(target)} TEMPLATE {quote(source)}")


def _create_test_db_from(connection, template: str):
    """A stand-in for ``DatabaseCreation.create_test_db``: the test database copied from the template."""
    from django.conf import settings

    def create_test_db(verbosity=1, autoclobber=False, serialize=True, keepdb=False):
        name = connection.creation._get_test_db_name()
        _copy_database(connection, source=template, target=name)
        settings.DATABASES[connection.alias]["NAME"] = name
        connection.settings_dict["NAME"] = name
        if serialize:
            connection._test_serialized_contents = connection.creation.serialize_db_to_string()
        connection.ensure_connection()
        return name

    return create_test_db


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings, django_db_keepdb, django_db_createdb,
                                 django_db_blocker, tmp_path_factory):
    from django.db import connections

    if not os.environ.get("PYTEST_XDIST_WORKER") or (django_db_keepdb and not django_db_createdb) or list(connections) != ["default"]:
        yield None
        return
    connection = connections["default"]
    if connection.vendor != "postgresql":
        yield None
        return
    lock = open(tmp_path_factory.getbasetemp().parent / "test-database.lock", "w")  # noqa: SIM115 (held until set up)
    fcntl.flock(lock, fcntl.LOCK_EX)
    plan = _Plan(lock=lock, template=_template_name(connection.creation._get_test_db_name()))
    ready = tmp_path_factory.getbasetemp().parent / "test-database.template"
    with django_db_blocker.unblock():
        copy = ready.exists() and _database_exists(connection, plan.template)
    if copy:
        monkeypatch = pytest.MonkeyPatch()
        monkeypatch.setattr(connection.creation, "create_test_db", _create_test_db_from(connection, plan.template))
        plan.release()
        yield plan
        monkeypatch.undo()
        return
    plan.makes_template = True
    try:
        yield plan
    finally:
        plan.release()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_modify_db_settings, django_db_blocker, tmp_path_factory):
    from django.db import connections

    plan = django_db_modify_db_settings
    if plan is None or not plan.makes_template:
        yield
        return
    connection = connections["default"]
    with django_db_blocker.unblock():
        _copy_database(connection, source=connection.settings_dict["NAME"], target=plan.template)
    (tmp_path_factory.getbasetemp().parent / "test-database.template").touch()
    plan.release()
    yield
    with django_db_blocker.unblock(), connection.creation._nodb_cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {connection.ops.quote_name(plan.template)}")
