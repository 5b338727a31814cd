"""Nobody edits or deletes a line of the audit trail: the database refuses it, whatever the client."""

import pytest
from django.db import IntegrityError, connection, transaction

from audit.models import AuditAction, AuditEntry
from audit.services import audit_record
from tests.factories import ReviewerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry(db):
    return audit_record(action=AuditAction.SIGN_IN, actor=ReviewerFactory())


def test_an_orm_update_is_refused(entry):
    entry.action = AuditAction.SIGN_OUT

    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        entry.save()


def test_an_orm_delete_is_refused(entry):
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        entry.delete()


@pytest.mark.parametrize("statement", [
    "UPDATE audit_auditentry SET address = '192.0.2.1' WHERE id = %s",
    "UPDATE audit_auditentry SET actor_name = 'someone else' WHERE id = %s",
    "DELETE FROM audit_auditentry WHERE id = %s",
])
def test_raw_sql_cannot_change_or_delete_a_line(entry, statement):
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement, [entry.pk])

    assert AuditEntry.objects.get(pk=entry.pk).actor_name == entry.actor_name


def test_deleting_the_actors_account_keeps_their_name(entry):
    name = entry.actor_name

    entry.actor.delete()

    entry.refresh_from_db()
    assert (entry.actor, entry.actor_name) == (None, name)
