"""Payments, exams and the contracts other apps call."""

import types

import pytest
from django.dispatch import Signal

from accreditation.models import ApplicationStatus
from accreditation.receivers import exam_passed_received, invoice_paid_received, receivers_connect
from accreditation.selectors import application_accepted_for_exam
from accreditation.services import (
    application_accept_for_exam,
    application_lapse,
    application_payment_received,
    application_submit,
    application_withdraw,
)
from tests.accreditation.conftest import draft_for, make_eligible, submitted

pytestmark = pytest.mark.django_db
S = ApplicationStatus


def test_submission_raises_the_fee_and_waits_for_payment(applicant, other_apps):
    other_apps.with_payments(paid=False)
    make_eligible(applicant, "PM")

    application = application_submit(application=draft_for(applicant, "PM"), actor=applicant)

    application.refresh_from_db()
    assert application.status == S.SUBMITTED
    invoice = other_apps.invoices[("accreditation", f"application:{application.pk}")]
    assert (invoice["level_code"], invoice["payer"]) == ("PM", applicant)


def test_paid_signal_starts_the_review_once(applicant, other_apps):
    other_apps.with_payments(paid=False)
    make_eligible(applicant, "AM")
    application = application_submit(application=draft_for(applicant), actor=applicant)
    invoice = types.SimpleNamespace(kind="accreditation", reference=f"application:{application.pk}")

    invoice_paid_received(sender=None, invoice=invoice)
    invoice_paid_received(sender=None, invoice=invoice)

    application.refresh_from_db()
    assert application.status == S.UNDER_REVIEW
    assert application.events.filter(action="review_started").count() == 1
    assert application.events.get(action="review_started").note == "The accreditation fee was paid."


def test_other_invoices_are_ignored(applicant, other_apps):
    other_apps.with_payments(paid=False)
    make_eligible(applicant, "AM")
    application = application_submit(application=draft_for(applicant), actor=applicant)

    invoice_paid_received(sender=None, invoice=types.SimpleNamespace(kind="exam", reference=f"application:{application.pk}"))
    assert application_payment_received(reference="booking:12") is None
    assert application_payment_received(reference="application:999999") is None

    application.refresh_from_db()
    assert application.status == S.SUBMITTED


def test_a_fee_already_paid_starts_the_review_at_once(applicant, other_apps):
    other_apps.with_payments(paid=True)
    make_eligible(applicant, "AM")

    application = application_submit(application=draft_for(applicant), actor=applicant)

    assert application.status == S.UNDER_REVIEW


def test_withdrawal_before_payment_voids_the_invoice(applicant, other_apps):
    other_apps.with_payments(paid=False)
    make_eligible(applicant, "AM")
    application = application_submit(application=draft_for(applicant), actor=applicant)

    application_withdraw(application=application, actor=applicant)

    assert other_apps.invoices[("accreditation", f"application:{application.pk}")]["void"] is True


def test_receivers_listen_to_the_signals_that_exist(applicant, reviewer, other_apps):
    exam_passed, invoice_paid = Signal(), Signal()
    other_apps.modules["exams.signals"] = types.SimpleNamespace(exam_passed=exam_passed)
    other_apps.modules["payments.signals"] = types.SimpleNamespace(invoice_paid=invoice_paid)
    application = submitted(applicant)
    application_accept_for_exam(application=application, actor=reviewer)

    assert receivers_connect() == ["exams.signals.exam_passed", "payments.signals.invoice_paid"]
    exam_passed.send(sender=None, candidate=applicant, level_code="AM", result=object())

    application.refresh_from_db()
    assert application.status == S.APPROVED


def test_receivers_skip_signals_that_do_not_exist(other_apps):
    other_apps.absent("exams.signals", "payments.signals")

    assert receivers_connect() == []


def test_exam_passed_receiver_takes_the_contract_arguments(applicant, reviewer):
    application = submitted(applicant)
    application_accept_for_exam(application=application, actor=reviewer)

    exam_passed_received(sender=None, candidate=applicant, level_code="AM", result=None)

    application.refresh_from_db()
    assert application.status == S.APPROVED


def test_application_accepted_for_exam_contract(applicant, reviewer, applicant_factory):
    application = submitted(applicant)
    assert application_accepted_for_exam(user=applicant, level_code="AM") is None

    application_accept_for_exam(application=application, actor=reviewer)

    found = application_accepted_for_exam(user=applicant, level_code="AM")
    assert found == application and found.accepted_at is not None
    assert application_accepted_for_exam(user=applicant, level_code="PM") is None
    assert application_accepted_for_exam(user=applicant_factory(), level_code="AM") is None
    application_lapse(application_id=application.pk, actor=None, reason="Attempts used")
    assert application_accepted_for_exam(user=applicant, level_code="AM") is None
