"""Certificates, PDU claims and renewals on the workflow engine: immutable histories that keep who acted."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from certificates.models import (
    CertificateEvent,
    CertificateStatus,
    PDUClaimEvent,
    PDUClaimStatus,
    RenewalEvent,
    RenewalStatus,
)
from certificates.services import certificate_revoke, pdu_claim_withdraw, renewal_apply
from tests.factories import ReviewerFactory
from workflows.models import InvalidTransition

pytestmark = pytest.mark.django_db


@pytest.fixture
def events(certificate_factory, pdu_claim_factory, evidence):
    """One event row in each of certificates' three event tables."""
    from certificates.periods import today
    from certificates.services import pdu_claim_submit

    certificate = certificate_factory.expiring_in(45, level_code="AM")
    claim = pdu_claim_submit(certificate=certificate, actor=certificate.holder, activity="Course", provider="QTSP",
                             activity_date=today(), hours=Decimal("30"), category="education", evidence=evidence)
    renewal = renewal_apply(certificate=certificate, actor=certificate.holder)
    revoked = certificate_revoke(certificate=certificate_factory(), actor=ReviewerFactory(), reason="Forged")
    return {CertificateEvent: revoked.events.get(), PDUClaimEvent: claim.events.get(),
            RenewalEvent: renewal.events.get()}


@pytest.mark.parametrize("model", [CertificateEvent, PDUClaimEvent, RenewalEvent])
def test_update_and_delete_are_refused_by_the_database(events, model):
    event = events[model]

    with pytest.raises(IntegrityError, match="immutable"), transaction.atomic():
        model.objects.filter(pk=event.pk).update(note="rewritten")
    with pytest.raises(IntegrityError, match="immutable"), transaction.atomic():
        model.objects.filter(pk=event.pk).delete()
    assert model.objects.get(pk=event.pk).note == event.note


def test_deleting_a_staff_account_keeps_its_name_on_the_certificate_history(certificate_factory):
    revoker = ReviewerFactory(full_name="Ada Revoker")
    certificate = certificate_revoke(certificate=certificate_factory(), actor=revoker, reason="Forged references")

    revoker.delete()

    event = certificate.events.get()
    assert (event.actor_id, event.actor_name) == (None, f"Ada Revoker <{revoker.email}>")


def test_a_certificate_refuses_a_move_not_in_its_table(certificate_factory):
    certificate = certificate_factory(status=CertificateStatus.REVOKED, revocation_reason="x")

    with pytest.raises(InvalidTransition) as refused:
        certificate.check_transition(CertificateStatus.ACTIVE)

    assert refused.value.messages == [f"This certificate ({certificate}) is “Revoked” and cannot become “Active”."]


def test_a_pdu_claim_and_a_renewal_refuse_moves_not_in_their_tables(pdu_claim_factory, renewal_factory):
    claim = pdu_claim_factory(status=PDUClaimStatus.APPROVED)
    renewal = renewal_factory(status=RenewalStatus.UNDER_REVIEW)

    with pytest.raises(InvalidTransition, match="is “Approved” and cannot become “Withdrawn”"):
        pdu_claim_withdraw(claim=claim, actor=claim.holder)
    with pytest.raises(InvalidTransition, match="is “Under review” and cannot become “Withdrawn”"):
        renewal.check_transition(RenewalStatus.WITHDRAWN)
