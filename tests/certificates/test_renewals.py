import datetime
from decimal import Decimal

import pytest
from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from certificates.models import CertificateStatus, PDUClaimStatus, Renewal, RenewalStatus
from certificates.periods import today
from certificates.selectors import certificate_verify
from certificates.services import renewal_apply, renewal_approve, renewal_reject, renewal_withdraw
from notifications.models import OutboxMessage
from payments.models import InvoiceStatus
from payments.selectors import invoice_for
from tests.factories import ApplicantFactory


@pytest.fixture
def holder_ready(certificate_factory, pdu_claim_factory, settings):
    """An AM holder 60 days before expiry with exactly the PDUs the level requires."""
    settings.CERTIFICATES_PDU_REQUIRED = {**settings.CERTIFICATES_PDU_REQUIRED, "AM": 30}
    certificate = certificate_factory.expiring_in(60, level_code="AM")
    pdu_claim_factory(certificate=certificate, hours=Decimal("20"))
    pdu_claim_factory(certificate=certificate, hours=Decimal("10"))
    pdu_claim_factory(certificate=certificate, hours=Decimal("50"), status=PDUClaimStatus.IN_AUDIT)
    return certificate


def test_apply_is_refused_until_the_pdus_are_met(certificate_factory, pdu_claim_factory):
    certificate = certificate_factory(level_code="SM")
    pdu_claim_factory(certificate=certificate, hours=Decimal("59.5"))

    with pytest.raises(ValidationError, match="59.5 of the 60"):
        renewal_apply(certificate=certificate, actor=certificate.holder)
    assert not Renewal.objects.exists()


def test_apply_raises_the_renewal_fee_invoice(holder_ready):
    renewal = renewal_apply(certificate=holder_ready, actor=holder_ready.holder)

    assert renewal.status == RenewalStatus.AWAITING_PAYMENT
    assert (renewal.pdu_hours, renewal.pdu_required) == (Decimal("30"), 30)
    invoice = invoice_for(kind="renewal", reference=f"renewal:{renewal.pk}")
    assert invoice.status == InvoiceStatus.OPEN and invoice.payer == holder_ready.holder
    assert renewal.events.get().to_status == RenewalStatus.AWAITING_PAYMENT


def test_only_the_holder_applies_and_only_once(holder_ready):
    with pytest.raises(PermissionDenied):
        renewal_apply(certificate=holder_ready, actor=ApplicantFactory())
    renewal_apply(certificate=holder_ready, actor=holder_ready.holder)

    with pytest.raises(ValidationError, match="already open"):
        renewal_apply(certificate=holder_ready, actor=holder_ready.holder)


def test_paying_the_fee_sends_the_renewal_to_the_committee(holder_ready, pay_renewal):
    renewal = renewal_apply(certificate=holder_ready, actor=holder_ready.holder)

    pay_renewal(renewal)

    assert renewal.status == RenewalStatus.UNDER_REVIEW
    assert [event.to_status for event in renewal.events.all()] == ["awaiting_payment", "under_review"]


def test_the_paid_signal_twice_moves_the_renewal_once(holder_ready, pay_renewal):
    from certificates.services import renewal_fee_paid

    renewal = renewal_apply(certificate=holder_ready, actor=holder_ready.holder)
    pay_renewal(renewal)
    renewal_fee_paid(renewal_id=renewal.pk)

    assert renewal.events.count() == 2


def test_approval_starts_the_next_period_and_supersedes_the_old_certificate(holder_ready, pay_renewal, reviewer):
    renewal = renewal_apply(certificate=holder_ready, actor=holder_ready.holder)
    pay_renewal(renewal)

    new = renewal_approve(renewal=renewal, actor=reviewer, note="All in order")

    holder_ready.refresh_from_db()
    renewal.refresh_from_db()
    assert holder_ready.status == CertificateStatus.SUPERSEDED
    assert (new.status, new.previous, new.holder, new.level) == (
        CertificateStatus.ACTIVE, holder_ready, holder_ready.holder, holder_ready.level)
    assert new.valid_from == holder_ready.expires_on  # no time lost by renewing early
    assert new.expires_on == holder_ready.expires_on + relativedelta(years=5)
    assert new.issued_on == today() and new.number != holder_ready.number
    assert (renewal.status, renewal.new_certificate, renewal.decided_by) == (RenewalStatus.APPROVED, new, reviewer)
    assert OutboxMessage.objects.filter(key=f"renewal-approved:{renewal.pk}").exists()
    assert certificate_verify(holder_ready.number).status == "superseded"
    assert certificate_verify(new.number).status == "active"


def test_approval_needs_the_fee_paid(holder_ready, reviewer):
    renewal = renewal_apply(certificate=holder_ready, actor=holder_ready.holder)

    with pytest.raises(ValidationError, match="cannot become “Approved”"):
        renewal_approve(renewal=renewal, actor=reviewer)

    Renewal.objects.filter(pk=renewal.pk).update(status=RenewalStatus.UNDER_REVIEW)  # as if paid, but no invoice paid
    with pytest.raises(ValidationError, match="not paid"):
        renewal_approve(renewal=renewal, actor=reviewer)


def test_rejection_gives_reasons_and_leaves_the_certificate(holder_ready, pay_renewal, reviewer):
    renewal = renewal_apply(certificate=holder_ready, actor=holder_ready.holder)
    pay_renewal(renewal)

    with pytest.raises(ValidationError, match="reasons"):
        renewal_reject(renewal=renewal, actor=reviewer, reason="")
    renewal_reject(renewal=renewal, actor=reviewer, reason="The supervision hours are not from this period.")

    renewal.refresh_from_db()
    holder_ready.refresh_from_db()
    assert renewal.status == RenewalStatus.REJECTED and holder_ready.status == CertificateStatus.ACTIVE
    assert "not from this period" in OutboxMessage.objects.get(key=f"renewal-rejected:{renewal.pk}").body_text
    # A new application is possible after a rejection.
    assert renewal_apply(certificate=holder_ready, actor=holder_ready.holder).status == RenewalStatus.AWAITING_PAYMENT


def test_withdrawing_before_paying_voids_the_invoice(holder_ready):
    renewal = renewal_apply(certificate=holder_ready, actor=holder_ready.holder)

    renewal_withdraw(renewal=renewal, actor=holder_ready.holder)

    renewal.refresh_from_db()
    assert renewal.status == RenewalStatus.WITHDRAWN
    assert invoice_for(kind="renewal", reference=renewal.payment_reference).status == InvoiceStatus.VOID


def test_a_paid_renewal_cannot_be_withdrawn(holder_ready, pay_renewal):
    renewal = renewal_apply(certificate=holder_ready, actor=holder_ready.holder)
    pay_renewal(renewal)

    with pytest.raises(ValidationError):
        renewal_withdraw(renewal=renewal, actor=holder_ready.holder)


def test_renewal_in_the_grace_period(certificate_factory, pdu_claim_factory, pay_renewal, reviewer, settings):
    settings.CERTIFICATES_GRACE_DAYS = 90
    certificate = certificate_factory.expiring_in(-30, status=CertificateStatus.EXPIRED)
    pdu_claim_factory(certificate=certificate, hours=Decimal("30"))

    renewal = renewal_apply(certificate=certificate, actor=certificate.holder)
    assert certificate_verify(certificate.number).status == "renewal_in_progress"
    pay_renewal(renewal)
    new = renewal_approve(renewal=renewal, actor=reviewer)

    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.SUPERSEDED
    assert new.valid_from == certificate.expires_on  # the cycle continues: no extra time for renewing late
    assert new.expires_on == certificate.expires_on + relativedelta(years=5)


def test_after_the_grace_period_the_accreditation_has_lapsed(certificate_factory, pdu_claim_factory, settings):
    settings.CERTIFICATES_GRACE_DAYS = 90
    certificate = certificate_factory.expiring_in(-90, status=CertificateStatus.EXPIRED)
    pdu_claim_factory(certificate=certificate, hours=Decimal("30"))

    with pytest.raises(ValidationError, match="grace period .* ended"):
        renewal_apply(certificate=certificate, actor=certificate.holder)


def test_renewal_needs_payments_to_be_known_paid(holder_ready, monkeypatch, reviewer):
    """Without the payments app the fee is unknown, never taken as paid."""
    import sys

    renewal = renewal_apply(certificate=holder_ready, actor=holder_ready.holder)
    Renewal.objects.filter(pk=renewal.pk).update(status=RenewalStatus.UNDER_REVIEW)
    monkeypatch.setitem(sys.modules, "payments.selectors", None)

    with pytest.raises(ValidationError, match="not paid"):
        renewal_approve(renewal=renewal, actor=reviewer)


# The holder's pages ----------------------------------------------------------------------------


def test_holder_applies_from_the_certificate_page_and_lands_on_the_invoice(client, holder_ready):
    client.force_login(holder_ready.holder)
    page = client.get(reverse("certificates:detail", args=[holder_ready.number]))
    assert "Apply to renew" in page.content.decode()

    response = client.post(reverse("certificates:renewal_apply", args=[holder_ready.number]))

    renewal = Renewal.objects.get()
    invoice = invoice_for(kind="renewal", reference=renewal.payment_reference)
    assert response["Location"] == reverse("payments:invoice_detail", args=[invoice.number])


def test_apply_refused_shows_the_reason(client, certificate_factory):
    certificate = certificate_factory()
    client.force_login(certificate.holder)

    response = client.post(reverse("certificates:renewal_apply", args=[certificate.number]), follow=True)

    assert "0 of the 30 approved PDUs" in response.content.decode()


def test_the_renewal_card_adds_no_english_full_stops_to_chinese(client, holder_ready):
    renewal_apply(certificate=holder_ready, actor=holder_ready.holder)
    client.force_login(holder_ready.holder)
    client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})

    page = client.get(reverse("certificates:detail", args=[holder_ready.number])).content.decode()

    assert "个 PDU" in page and "个 PDU." not in page
    assert "您的续期：" in page and "待缴续期费用" in page and "待缴续期费用." not in page


def test_certificate_page_permissions(client, holder_ready, reviewer):
    url = reverse("certificates:detail", args=[holder_ready.number])

    assert client.get(url).status_code == 302
    client.force_login(ApplicantFactory())
    assert client.get(url).status_code == 404
    client.force_login(reviewer)
    page = client.get(url)
    assert page.status_code == 200 and "Apply to renew" not in page.content.decode()  # staff read, never act


def test_holder_withdraws_from_the_page(client, holder_ready):
    renewal = renewal_apply(certificate=holder_ready, actor=holder_ready.holder)
    client.force_login(holder_ready.holder)

    client.post(reverse("certificates:renewal_withdraw", args=[renewal.pk]))

    renewal.refresh_from_db()
    assert renewal.status == RenewalStatus.WITHDRAWN


def test_expiry_boundary_for_a_renewal_in_progress(certificate_factory, renewal_factory):
    certificate = certificate_factory.expiring_in(-1, status=CertificateStatus.EXPIRED)
    renewal_factory(certificate=certificate, status=RenewalStatus.UNDER_REVIEW)

    assert certificate.expires_on == today() - datetime.timedelta(days=1)
    assert certificate_verify(certificate.number).status_label == "Expired — renewal in progress"
