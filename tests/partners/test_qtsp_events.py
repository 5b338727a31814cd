"""The QTSP workflow on the engine: its history is immutable in PostgreSQL and keeps who acted."""

import pytest
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.urls import reverse

from partners.models import QTSP, QTSPEvent
from partners.services import qtsp_transition
from tests.partners.factories import QTSPFactory
from workflows.models import InvalidTransition

pytestmark = pytest.mark.django_db

Status = QTSP.Status


@pytest.fixture
def rejected(reviewer):
    qtsp = QTSPFactory(name="Andes Mentoring Partners", status=Status.SUBMITTED)
    qtsp_transition(qtsp=qtsp, to_status=Status.REJECTED, actor=reviewer, note="No trainers listed")
    return qtsp


def test_the_database_refuses_to_update_a_qtsp_event(rejected):
    event = rejected.events.get()

    with pytest.raises(IntegrityError, match="immutable"), transaction.atomic():
        QTSPEvent.objects.filter(pk=event.pk).update(note="Rewritten")

    assert QTSPEvent.objects.get(pk=event.pk).note == "No trainers listed"


def test_the_database_refuses_to_delete_a_qtsp_event(rejected):
    event = rejected.events.get()

    with pytest.raises(IntegrityError, match="immutable"), transaction.atomic():
        QTSPEvent.objects.filter(pk=event.pk).delete()

    assert QTSPEvent.objects.filter(pk=event.pk).exists()


def test_a_qtsp_with_history_cannot_be_deleted(rejected):
    with pytest.raises(ProtectedError):
        rejected.delete()

    assert rejected.events.count() == 1


def test_deleting_the_deciding_account_keeps_their_name_in_the_history(user_factory):
    clerk = user_factory(is_staff=True, full_name="Rosa Reviewer", email="rosa@ipma.example")
    qtsp = QTSPFactory(status=Status.SUBMITTED)
    qtsp_transition(qtsp=qtsp, to_status=Status.REJECTED, actor=clerk, note="Incomplete")

    clerk.delete()

    event = qtsp.events.get()
    assert event.actor_id is None
    assert event.actor_name == "Rosa Reviewer <rosa@ipma.example>"
    assert event.by == "Rosa Reviewer <rosa@ipma.example>"


def test_a_move_outside_the_table_raises_a_readable_invalid_transition(rejected, reviewer):
    with pytest.raises(InvalidTransition) as refused:
        qtsp_transition(qtsp=rejected, to_status=Status.APPROVED, actor=reviewer)

    assert refused.value.messages == [
        "This QTSP (Andes Mentoring Partners) is “Rejected” and cannot become “Approved”."
    ]
    assert QTSP.objects.get(pk=rejected.pk).status == Status.REJECTED
    assert rejected.events.count() == 1


def test_a_suspended_qtsp_is_reinstated_from_the_decision_page(client, reviewer):
    qtsp = QTSPFactory(status=Status.SUSPENDED)
    client.force_login(reviewer)

    page = client.get(reverse("admin:partners_qtsp_change", args=[qtsp.pk])).content.decode()
    assert reverse("admin:partners_qtsp_decide", args=[qtsp.pk, "reinstated"]) in page
    assert reverse("admin:partners_qtsp_decide", args=[qtsp.pk, "approved"]) not in page

    client.post(reverse("admin:partners_qtsp_decide", args=[qtsp.pk, "reinstated"]), {"note": "Audit passed"})

    assert QTSP.objects.get(pk=qtsp.pk).status == Status.APPROVED
    assert qtsp.events.get().from_status == Status.SUSPENDED
