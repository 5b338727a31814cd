"""Money changed by hand takes two staff members: bank transfers, refunds and membership periods are proposed
by one and take effect when a second, different one approves (workflows.proposals)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone

from payments.models import InvoiceStatus, MembershipPeriod, Refund
from payments.services.proposals import bank_transfer_confirm_propose, refund_propose
from tests.conftest import TOTP_SECRET
from tests.factories import ApplicantFactory, ReviewerFactory
from workflows.models import Proposal, ProposalStatus
from workflows.proposals import proposal_approve, proposal_reject

pytestmark = pytest.mark.django_db

INVOICES = reverse("admin:payments_invoice_changelist")
PROPOSALS = reverse("admin:workflows_proposal_changelist")


@pytest.fixture
def checker(db):
    """The second committee member, who approves what ``reviewer`` proposes."""
    from allauth.mfa.totp.internal.auth import TOTP

    user = ReviewerFactory()
    TOTP.activate(user, TOTP_SECRET)
    return user


def _proposed_transfer(invoice, reviewer):
    return bank_transfer_confirm_propose(invoice=invoice, actor=reviewer, bank_reference="SWIFT-77")


def test_a_proposed_bank_transfer_changes_nothing_before_approval(raise_invoice, reviewer):
    invoice = raise_invoice()

    proposal = _proposed_transfer(invoice, reviewer)

    invoice.refresh_from_db()
    assert (proposal.status, invoice.status) == (ProposalStatus.PROPOSED, InvoiceStatus.OPEN)


def test_the_proposer_cannot_approve(raise_invoice, reviewer):
    invoice = raise_invoice()
    proposal = _proposed_transfer(invoice, reviewer)

    with pytest.raises(ValidationError, match="another staff member must approve"):
        proposal_approve(proposal=proposal, actor=reviewer)

    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.OPEN


def test_a_second_person_approves_and_both_are_recorded(raise_invoice, reviewer, checker):
    invoice = raise_invoice()
    proposal = _proposed_transfer(invoice, reviewer)

    proposal_approve(proposal=proposal, actor=checker, note="statement checked")

    invoice.refresh_from_db()
    proposal.refresh_from_db()
    assert (invoice.status, invoice.payment_reference) == (InvoiceStatus.PAID, "SWIFT-77")
    assert (proposal.proposer, proposal.approver, proposal.status) == (reviewer, checker, ProposalStatus.APPROVED)
    assert invoice.events.get(to_status="paid").actor == checker


def test_approving_twice_pays_once(raise_invoice, reviewer, checker):
    invoice = raise_invoice()
    proposal = _proposed_transfer(invoice, reviewer)

    proposal_approve(proposal=proposal, actor=checker)
    proposal_approve(proposal=proposal, actor=checker)

    assert invoice.events.filter(from_status="open", to_status="paid").count() == 1
    assert proposal.events.filter(to_status=ProposalStatus.APPROVED).count() == 1


def test_the_database_refuses_the_proposer_as_approver(raise_invoice, reviewer):
    proposal = _proposed_transfer(raise_invoice(), reviewer)

    with pytest.raises(IntegrityError):
        Proposal.objects.filter(pk=proposal.pk).update(approver=reviewer, decided_at=timezone.now())


def test_a_rejected_proposal_changes_nothing(raise_invoice, reviewer, checker):
    invoice = raise_invoice()
    proposal = _proposed_transfer(invoice, reviewer)

    proposal_reject(proposal=proposal, actor=checker, note="no such transfer on the statement")

    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.OPEN
    assert Proposal.objects.get(pk=proposal.pk).status == ProposalStatus.REJECTED


def test_nobody_proposes_a_payment_of_their_own_invoice(raise_invoice, reviewer):
    invoice = raise_invoice(payer=reviewer)

    with pytest.raises(ValidationError, match="it is yourself"):
        _proposed_transfer(invoice, reviewer)

    assert not Proposal.objects.exists()


def test_the_payer_cannot_approve_a_payment_of_their_own_invoice(raise_invoice, reviewer, checker):
    proposal = _proposed_transfer(raise_invoice(payer=checker), reviewer)

    with pytest.raises(ValidationError, match="Conflict of interest"):
        proposal_approve(proposal=proposal, actor=checker)


def test_a_refund_waits_for_the_second_person(raise_invoice, reviewer, checker):
    invoice = raise_invoice()
    proposal_approve(proposal=_proposed_transfer(invoice, reviewer), actor=checker)
    invoice.refresh_from_db()
    proposal = refund_propose(invoice=invoice, actor=reviewer, reason="paid twice")
    assert not Refund.objects.exists()

    proposal_approve(proposal=proposal, actor=checker)

    refund = Refund.objects.get(invoice=invoice)
    assert (refund.reason, refund.requested_by) == ("paid twice", checker)


# ---- the admin ------------------------------------------------------------------------------------------


def test_the_admin_action_only_proposes_a_bank_transfer(client, reviewer, raise_invoice):
    invoice = raise_invoice()
    client.force_login(reviewer)

    client.post(INVOICES, {"action": "confirm_bank_transfer", "_selected_action": [invoice.pk], "note": "SWIFT-9"})

    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.OPEN
    assert Proposal.objects.get().payload == {"bank_reference": "SWIFT-9"}


def test_the_proposer_is_not_offered_approve_but_a_second_person_is(client, reviewer, checker, raise_invoice):
    proposal = _proposed_transfer(raise_invoice(), reviewer)
    change = reverse("admin:workflows_proposal_change", args=[proposal.pk])
    approve = reverse("admin:workflows_proposal_decide", args=[proposal.pk, "approve"])

    client.force_login(reviewer)
    assert approve not in client.get(change).content.decode()
    client.force_login(checker)
    assert approve in client.get(change).content.decode()


def test_approving_in_the_admin_pays_the_invoice(client, reviewer, checker, raise_invoice):
    invoice = raise_invoice()
    proposal = _proposed_transfer(invoice, reviewer)
    client.force_login(checker)

    client.post(reverse("admin:workflows_proposal_decide", args=[proposal.pk, "approve"]), {"note": ""})

    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.PAID


def test_bulk_approval_refuses_the_proposers_own(client, reviewer, raise_invoice):
    proposal = _proposed_transfer(raise_invoice(), reviewer)
    client.force_login(reviewer)

    response = client.post(PROPOSALS, {"action": "approve_selected", "_selected_action": [proposal.pk]}, follow=True)

    assert "Refused" in response.content.decode()
    assert Proposal.objects.get(pk=proposal.pk).status == ProposalStatus.PROPOSED


def test_a_membership_period_added_in_the_admin_is_only_proposed(client, reviewer, checker):
    member = ApplicantFactory()
    client.force_login(reviewer)
    today = timezone.localdate()

    client.post(reverse("admin:payments_membershipperiod_add"), {
        "user": member.pk, "plan": "annual", "starts_on": today.isoformat(),
        "ends_on": (today + datetime.timedelta(days=364)).isoformat(), "reason": "speaker at the conference",
    })

    assert not MembershipPeriod.objects.exists()
    proposal_approve(proposal=Proposal.objects.get(), actor=checker)
    assert MembershipPeriod.objects.get().user == member


def test_nobody_grants_themselves_a_membership_period(client, reviewer):
    client.force_login(reviewer)
    today = timezone.localdate()

    response = client.post(reverse("admin:payments_membershipperiod_add"), {
        "user": reviewer.pk, "plan": "annual", "starts_on": today.isoformat(), "ends_on": "", "reason": "me",
    })

    assert "it is yourself" in response.content.decode()
    assert not Proposal.objects.exists()


def test_own_invoice_offers_no_decision_and_its_decide_url_refuses(client, reviewer, raise_invoice):
    invoice = raise_invoice(payer=reviewer)
    client.force_login(reviewer)
    decide = reverse("admin:payments_invoice_decide", args=[invoice.pk, "void"])

    page = client.get(reverse("admin:payments_invoice_change", args=[invoice.pk])).content.decode()
    response = client.post(decide, {"note": "mine"}, follow=True)

    assert decide not in page and "conflict of interest (it is yourself)" in page
    assert "conflict of interest" in response.content.decode()
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.OPEN


def test_bulk_actions_refuse_conflicted_rows_and_name_them(client, reviewer, raise_invoice):
    own, other = raise_invoice(payer=reviewer), raise_invoice()
    client.force_login(reviewer)

    response = client.post(INVOICES, {"action": "void_invoices", "_selected_action": [own.pk, other.pk]}, follow=True)

    own.refresh_from_db()
    other.refresh_from_db()
    assert (own.status, other.status) == (InvoiceStatus.OPEN, InvoiceStatus.VOID)
    assert f"{own}: conflict of interest (it is yourself)" in response.content.decode()


def test_the_proposals_list_names_and_filters_actions_in_the_readers_language(client, reviewer, checker,
                                                                              raise_invoice):
    proposal = _proposed_transfer(raise_invoice(), reviewer)
    client.force_login(checker)

    listed = client.get(PROPOSALS, {"action__exact": proposal.action}, HTTP_ACCEPT_LANGUAGE="en")
    record = client.get(reverse("admin:workflows_proposal_change", args=[proposal.pk])).content.decode()

    assert listed.status_code == 200 and list(listed.context["cl"].result_list) == [proposal]
    assert "Confirm a bank transfer" in listed.content.decode() and "Confirm a bank transfer" in record
    assert "payments.bank_transfer_confirm" not in record
