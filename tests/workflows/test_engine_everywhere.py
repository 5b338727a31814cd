"""Every workflow of the portal stands on the one engine: declared tables, protected and immutable history."""

import pytest
from django.apps import apps
from django.db import connection, models

from workflows.models import Workflow, WorkflowEvent
from workflows.operations import FUNCTION

pytestmark = pytest.mark.django_db

EVENT_MODELS = [model for model in apps.get_models() if issubclass(model, WorkflowEvent)]
WORKFLOW_MODELS = [model for model in apps.get_models() if issubclass(model, Workflow)]
OLD_NAMES = ("can_move_to", "can_become", "can_transition_to")


def test_the_portal_has_its_workflows_on_the_engine():
    # Level and programme applications, fast track, referrals, bookings, invoices, QTSPs, certificates,
    # PDU claims, renewals: none of them keeps a copy of the machinery.
    assert len(WORKFLOW_MODELS) >= 10
    assert len(EVENT_MODELS) >= 10


@pytest.mark.parametrize("model", EVENT_MODELS, ids=lambda model: model._meta.label)
def test_event_table_refuses_update_and_delete_through_the_shared_trigger(model):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT t.tgtype FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid "
            "WHERE t.tgrelid = %s::regclass AND p.proname = %s AND NOT t.tgisinternal",
            [model._meta.db_table, FUNCTION],
        )
        rows = cursor.fetchall()

    assert len(rows) == 1, f"{model._meta.db_table} has no immutability trigger"
    (tgtype,) = rows[0]
    row_level, before, delete, update = 1, 2, 8, 16
    assert tgtype & row_level and tgtype & before and tgtype & delete and tgtype & update


# A mentor may delete an unlocked hours entry (and an erased account's entries go) while its history stays:
# that history names its entry without a database constraint and keeps nothing personal.
LOOSE_HISTORY = {"applicants.HoursEntryEvent"}


@pytest.mark.parametrize("model", EVENT_MODELS, ids=lambda model: model._meta.label)
def test_event_history_outlives_its_subject_and_its_actor(model):
    history_keys = [
        field for field in model._meta.concrete_fields
        if isinstance(field, models.ForeignKey) and field.remote_field.related_name == "events"
    ]
    actor = model._meta.get_field("actor")

    assert history_keys, "the event names its workflow row with related_name='events'"
    if model._meta.label in LOOSE_HISTORY:
        assert all(field.remote_field.on_delete is models.DO_NOTHING and not field.db_constraint
                   for field in history_keys)
    else:
        assert all(field.remote_field.on_delete is models.PROTECT for field in history_keys)
    assert actor.remote_field.on_delete is models.SET_NULL
    assert model._meta.get_field("actor_name").max_length >= 200


@pytest.mark.parametrize("model", WORKFLOW_MODELS, ids=lambda model: model._meta.label)
def test_workflow_declares_a_complete_transitions_table(model):
    statuses = {value for value, _label in model._meta.get_field("status").choices}

    # "" stands for a row not created yet, where a table says which statuses a new row may start in.
    assert set(model.TRANSITIONS) - {""} == statuses
    assert all(set(targets) <= statuses for targets in model.TRANSITIONS.values())
    assert not [name for name in OLD_NAMES if hasattr(model, name)]
