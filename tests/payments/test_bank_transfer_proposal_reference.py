"""The bank reference of a proposed bank transfer is checked when it is proposed, not when it is approved."""

import pytest
from django.core.exceptions import ValidationError

from payments.services.proposals import bank_transfer_confirm_propose
from workflows.models import Proposal

pytestmark = pytest.mark.django_db


def test_a_bank_reference_too_long_for_the_payment_record_is_refused_when_proposed(raise_invoice, reviewer):
    invoice = raise_invoice()

    with pytest.raises(ValidationError, match="at most 255 characters"):
        bank_transfer_confirm_propose(invoice=invoice, actor=reviewer, bank_reference="REF-" + "9" * 400)

    assert not Proposal.objects.exists()
