"""An invoice's history is immutable in PostgreSQL and keeps who acted after their account is gone."""

import pytest
from django.db import IntegrityError, InternalError, transaction
from django.db.models.deletion import ProtectedError

from payments.models import Invoice, InvoiceEvent, InvoiceStatus, PaymentEvent
from payments.services import bank_transfer_confirm
from tests.factories import ReviewerFactory
from workflows.models import InvalidTransition

pytestmark = pytest.mark.django_db

REFUSED = (IntegrityError, InternalError)  # the trigger raises integrity_constraint_violation


def test_an_invoice_event_cannot_be_updated(raise_invoice):
    invoice = raise_invoice()

    with pytest.raises(REFUSED, match="immutable"), transaction.atomic():
        InvoiceEvent.objects.filter(invoice=invoice).update(to_status=InvoiceStatus.PAID)

    assert InvoiceEvent.objects.get(invoice=invoice).to_status == InvoiceStatus.OPEN


def test_an_invoice_event_cannot_be_deleted(raise_invoice):
    invoice = raise_invoice()

    with pytest.raises(REFUSED, match="immutable"), transaction.atomic():
        InvoiceEvent.objects.filter(invoice=invoice).delete()

    assert InvoiceEvent.objects.filter(invoice=invoice).count() == 1


def test_an_invoice_with_history_cannot_be_deleted(raise_invoice):
    invoice = raise_invoice()

    with pytest.raises(ProtectedError), transaction.atomic():
        Invoice.objects.filter(pk=invoice.pk).delete()

    assert Invoice.objects.filter(pk=invoice.pk).exists()


def test_deleting_a_staff_account_keeps_their_name_on_the_invoice_and_payment(raise_invoice):
    invoice = raise_invoice()
    staff = ReviewerFactory(full_name="Bea Bookkeeper")
    bank_transfer_confirm(invoice=invoice, actor=staff, bank_reference="SWIFT-1")
    name = f"Bea Bookkeeper <{staff.email}>"

    staff.delete()

    event = InvoiceEvent.objects.get(invoice=invoice, to_status=InvoiceStatus.PAID)
    assert (event.actor, event.actor_name, event.by) == (None, name, name)
    payment = PaymentEvent.objects.get(invoice=invoice)
    assert (payment.actor, payment.actor_name) == (None, name)


def test_the_engine_refuses_a_move_not_in_the_invoices_table(raise_invoice):
    invoice = raise_invoice()

    assert not invoice.can_transition(InvoiceStatus.REFUNDED)
    with pytest.raises(InvalidTransition, match="cannot become"):
        invoice.check_transition(InvoiceStatus.REFUNDED)
