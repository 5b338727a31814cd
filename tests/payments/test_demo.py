import io

import pytest

from payments import demo
from payments.models import Invoice, InvoiceStatus, MembershipPeriod
from payments.selectors import membership_status

pytestmark = pytest.mark.django_db


def test_demo_seed_is_idempotent_and_leaves_a_member_who_may_upgrade():
    demo.seed(io.StringIO())
    out = io.StringIO()
    demo.seed(out)

    invoice = Invoice.objects.get(payer__email=demo.APPLICANT_EMAIL)
    assert invoice.status == InvoiceStatus.PAID and invoice.provider == "demo"
    assert MembershipPeriod.objects.filter(user=invoice.payer).count() == 2
    assert membership_status(user=invoice.payer).upgrade_allowed is True
    assert "applicant@ipma.example is a member" in out.getvalue()
