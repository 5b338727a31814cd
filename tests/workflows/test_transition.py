"""The one writer: a move in the table is saved with its event; a move outside it changes nothing."""

import pytest
from django.core.exceptions import ValidationError

from payments.models import Invoice, InvoiceStatus
from tests.factories import UserFactory
from workflows.models import InvalidTransition
from workflows.services import event_record, transition

pytestmark = pytest.mark.django_db


@pytest.fixture
def invoice():
    return Invoice.objects.create(number="IPMA-TEST-000001", payer=UserFactory(), kind="membership",
                                  reference="membership:test", amount="10.00")


def test_transition_saves_the_status_and_writes_one_event(invoice):
    actor = UserFactory(full_name="Ada Reviewer")

    event = transition(invoice, InvoiceStatus.VOID, actor=actor, note="duplicate")

    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.VOID
    assert (event.from_status, event.to_status, event.note) == (InvoiceStatus.OPEN, InvoiceStatus.VOID, "duplicate")
    assert event.actor_name == f"Ada Reviewer <{actor.email}>"
    assert list(invoice.events.values_list("to_status", flat=True)) == [InvoiceStatus.VOID]


def test_transition_outside_the_table_is_refused_with_a_readable_message(invoice):
    transition(invoice, InvoiceStatus.VOID, actor=None)

    with pytest.raises(InvalidTransition, match="cannot become") as refused:
        transition(invoice, InvoiceStatus.PAID, actor=None)

    assert isinstance(refused.value, ValidationError)
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.VOID
    assert invoice.events.count() == 1


def test_event_record_writes_history_without_moving(invoice):
    event = event_record(invoice, actor=None, note="reminder sent")

    assert (event.from_status, event.to_status) == (InvoiceStatus.OPEN, InvoiceStatus.OPEN)
    assert event.by == "the portal"
