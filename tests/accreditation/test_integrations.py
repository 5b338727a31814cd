"""Payments (the real app: invoices and its paid signal) and the services exams calls."""

import types

import pytest
from django.test import TestCase

from accreditation.models import ApplicationStatus
from accreditation.receivers import invoice_paid_received
from accreditation.selectors import application_accepted_for_exam
from accreditation.services import (
    application_accept_for_exam,
    application_exam_passed,
    application_lapse,
    application_payment_received,
    application_submit,
    application_withdraw,
)
from payments.models import InvoiceStatus
from payments.selectors import invoice_for
from payments.services import bank_transfer_confirm, invoice_raise
from tests.accreditation.conftest import draft_for, fee_paid, make_eligible, submitted

pytestmark = pytest.mark.django_db
S = ApplicationStatus


def test_submission_raises_the_fee_and_waits_for_payment(applicant):
    make_eligible(applicant, "PM")

    application = application_submit(application=draft_for(applicant, "PM"), actor=applicant)

    application.refresh_from_db()
    assert application.status == S.SUBMITTED
    invoice = invoice_for(kind="accreditation", reference=f"application:{application.pk}")
    assert (invoice.level.code, invoice.payer, invoice.status) == ("PM", applicant, InvoiceStatus.OPEN)


def test_paid_signal_starts_the_review_once(applicant):
    make_eligible(applicant, "AM")
    application = application_submit(application=draft_for(applicant), actor=applicant)

    invoice = fee_paid(application)
    invoice_paid_received(sender=None, invoice=invoice)  # a redelivered signal changes nothing

    application.refresh_from_db()
    assert application.status == S.UNDER_REVIEW
    assert application.events.filter(action="review_started").count() == 1
    assert application.events.get(action="review_started").note == "The accreditation fee was paid."


def test_other_invoices_are_ignored(applicant):
    make_eligible(applicant, "AM")
    application = application_submit(application=draft_for(applicant), actor=applicant)

    invoice_paid_received(sender=None, invoice=types.SimpleNamespace(kind="exam", reference=f"application:{application.pk}"))
    assert application_payment_received(reference="booking:12") is None
    assert application_payment_received(reference="application:999999") is None

    application.refresh_from_db()
    assert application.status == S.SUBMITTED


def test_a_fee_already_paid_starts_the_review_at_once(applicant):
    make_eligible(applicant, "AM")
    application = draft_for(applicant)
    invoice = invoice_raise(payer=applicant, kind="accreditation", reference=application.payment_reference,
                            level_code="AM", actor=applicant)
    with TestCase.captureOnCommitCallbacks(execute=True):
        bank_transfer_confirm(invoice=invoice, actor=None, bank_reference="EARLY")  # a draft does not move

    application = application_submit(application=application, actor=applicant)

    assert application.status == S.UNDER_REVIEW
    assert application.events.get(action="review_started").note == "The fee was already paid."


def test_withdrawal_before_payment_voids_the_invoice(applicant):
    make_eligible(applicant, "AM")
    application = application_submit(application=draft_for(applicant), actor=applicant)

    application_withdraw(application=application, actor=applicant)

    assert invoice_for(kind="accreditation", reference=application.payment_reference).status == InvoiceStatus.VOID


def test_exam_passed_service_takes_the_arguments_exams_passes(applicant, reviewer):
    application = submitted(applicant)
    application_accept_for_exam(application=application, actor=reviewer)

    application_exam_passed(candidate=applicant, level_code="AM")

    application.refresh_from_db()
    assert application.status == S.APPROVED


def test_application_accepted_for_exam_for_exams(applicant, reviewer, applicant_factory):
    application = submitted(applicant)
    assert application_accepted_for_exam(user=applicant, level_code="AM") is None

    application_accept_for_exam(application=application, actor=reviewer)

    found = application_accepted_for_exam(user=applicant, level_code="AM")
    assert found == application and found.accepted_at is not None
    assert application_accepted_for_exam(user=applicant, level_code="PM") is None
    assert application_accepted_for_exam(user=applicant_factory(), level_code="AM") is None
    application_lapse(application_id=application.pk, actor=None, reason="Attempts used")
    assert application_accepted_for_exam(user=applicant, level_code="AM") is None
