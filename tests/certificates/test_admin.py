"""The committee's screens, used as a reviewer (staff with the role's permissions, not a superuser)."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from certificates.models import Certificate, CertificateStatus, PDUClaimStatus, RenewalStatus
from certificates.services import renewal_apply
from notifications.models import OutboxMessage
from tests.applicants.factories import ProfileFactory
from tests.factories import QTSPStaffFactory

CERTIFICATES = reverse("admin:certificates_certificate_changelist")
AUDIT_QUEUE = reverse("admin:certificates_pduaudit_changelist")
RENEWALS = reverse("admin:certificates_renewal_changelist")


@pytest.fixture
def staff_client(client, reviewer):
    client.force_login(reviewer)
    return client


@pytest.mark.parametrize("model", ["certificate", "pduclaim", "pduaudit", "renewal"])
def test_reviewer_opens_every_list(staff_client, model, certificate_factory):
    certificate_factory()

    assert staff_client.get(reverse(f"admin:certificates_{model}_changelist")).status_code == 200


def test_qtsp_staff_cannot_open_the_admin(client, db):
    client.force_login(QTSPStaffFactory())

    assert client.get(CERTIFICATES).status_code == 302


def test_certificate_list_filters(staff_client, certificate_factory):
    am = certificate_factory(level_code="AM", legal_name="Alpha Person")
    sm = certificate_factory(level_code="SM", legal_name="Sierra Person")
    revoked = certificate_factory(level_code="PM", legal_name="Revoked Person", status=CertificateStatus.REVOKED,
                                  revocation_reason="x")
    soon = certificate_factory.expiring_in(20, level_code="MM", legal_name="Soon Person")
    ProfileFactory(user=sm.holder, country="JP")
    ProfileFactory(user=am.holder, country="BR")

    def names(**query):
        response = staff_client.get(CERTIFICATES, query)
        assert response.status_code == 200
        return {c.legal_name for c in response.context["cl"].result_list}

    assert names(level__id__exact=sm.level_id) == {"Sierra Person"}
    assert names(status__exact="revoked") == {revoked.legal_name}
    assert names(country="JP") == {"Sierra Person"}
    assert names(expiring_within="30") == {soon.legal_name}
    assert names(expiring_within="365") == {soon.legal_name}
    page = staff_client.get(CERTIFICATES).content.decode()
    assert "Japan" in page and "Brazil" in page and "expiring within" in page


def test_certificate_change_page_shows_the_history_read_only(staff_client, certificate_factory, reviewer):
    from certificates.services import certificate_revoke

    certificate = certificate_revoke(certificate=certificate_factory(), actor=reviewer, reason="Forged references")

    response = staff_client.get(reverse("admin:certificates_certificate_change", args=[certificate.pk]))

    assert response.status_code == 200
    assert not response.context["has_change_permission"]
    page = response.content.decode()
    assert "Forged references" in page and 'name="_save"' not in page


def test_revoke_page_asks_for_a_reason_then_revokes(staff_client, certificate_factory, reviewer):
    certificate = certificate_factory()
    change = staff_client.get(reverse("admin:certificates_certificate_change", args=[certificate.pk]))
    decide = reverse("admin:certificates_certificate_decide", args=[certificate.pk, "revoke"])
    assert decide in change.content.decode()

    missing = staff_client.post(decide, {"note": ""})
    assert missing.status_code == 200 and "Give the reasons for this decision." in missing.content.decode()
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.ACTIVE

    done = staff_client.post(decide, {"note": "Plagiarised exam answers"}, follow=True)

    certificate.refresh_from_db()
    assert "Revoke done" in done.content.decode()
    assert (certificate.status, certificate.revocation_reason) == ("revoked", "Plagiarised exam answers")
    assert certificate.events.get().actor == reviewer


def test_bulk_revoke_needs_the_reason_beside_the_actions(staff_client, certificate_factory):
    first, second = certificate_factory(), certificate_factory()
    selected = {"action": "revoke", ACTION_CHECKBOX_NAME: [first.pk, second.pk]}

    refused = staff_client.post(CERTIFICATES, {**selected, "note": ""}, follow=True)
    assert "Give the reason for revoking the certificate." in refused.content.decode()
    assert not Certificate.objects.filter(status=CertificateStatus.REVOKED).exists()

    done = staff_client.post(CERTIFICATES, {**selected, "note": "Forged references"}, follow=True)

    assert "2 done" in done.content.decode()
    assert set(Certificate.objects.values_list("status", "revocation_reason")) == {("revoked", "Forged references")}


def test_rerender_action_queues_the_pdf(staff_client, certificate_factory, renders):
    first, second = certificate_factory(), certificate_factory()

    staff_client.post(CERTIFICATES, {"action": "rerender_pdf", ACTION_CHECKBOX_NAME: [first.pk, second.pk]})

    assert sorted(renders) == sorted([first.pk, second.pk])


def test_rerender_renders_in_process_while_the_broker_is_down(staff_client, certificate_factory, monkeypatch):
    from certificates.tasks import certificate_render_pdf

    def broker_down(**kwargs):
        raise ConnectionError("redis is away")

    monkeypatch.setattr(certificate_render_pdf, "delay", broker_down)
    certificate = certificate_factory()

    staff_client.post(CERTIFICATES, {"action": "rerender_pdf", ACTION_CHECKBOX_NAME: [certificate.pk]})

    certificate.refresh_from_db()
    assert certificate.pdf


def test_audit_queue_lists_only_claims_in_audit(staff_client, pdu_claim_factory):
    audited = pdu_claim_factory(status=PDUClaimStatus.IN_AUDIT, activity="Audited one")
    pdu_claim_factory(status=PDUClaimStatus.APPROVED, activity="Approved one")

    response = staff_client.get(AUDIT_QUEUE)

    assert [claim.pk for claim in response.context["cl"].result_list] == [audited.pk]
    assert reverse("certificates:pdu_evidence", args=[audited.pk]) in response.content.decode()


def test_audit_queue_approve_and_reject_actions(staff_client, pdu_claim_factory, reviewer):
    keep = pdu_claim_factory(status=PDUClaimStatus.IN_AUDIT)
    refuse = pdu_claim_factory(status=PDUClaimStatus.IN_AUDIT)

    staff_client.post(AUDIT_QUEUE, {"action": "approve", ACTION_CHECKBOX_NAME: [keep.pk]})
    staff_client.post(AUDIT_QUEUE, {"action": "reject", ACTION_CHECKBOX_NAME: [refuse.pk],
                                    "note": "No evidence of attendance"})

    keep.refresh_from_db()
    refuse.refresh_from_db()
    assert (keep.status, keep.decided_by) == (PDUClaimStatus.APPROVED, reviewer)
    assert (refuse.status, refuse.decision_note) == (PDUClaimStatus.REJECTED, "No evidence of attendance")


def test_renewal_approve_action_issues_the_next_certificate(staff_client, certificate_factory, pdu_claim_factory,
                                                           pay_renewal):
    certificate = certificate_factory.expiring_in(45, level_code="AM")
    pdu_claim_factory(certificate=certificate, hours=Decimal("30"))
    renewal = renewal_apply(certificate=certificate, actor=certificate.holder)
    pay_renewal(renewal)

    response = staff_client.post(RENEWALS, {"action": "approve", ACTION_CHECKBOX_NAME: [renewal.pk]}, follow=True)

    renewal.refresh_from_db()
    assert renewal.status == RenewalStatus.APPROVED
    assert f"1 done ({renewal})" in response.content.decode()
    assert renewal.new_certificate.previous_id == certificate.pk
    assert Certificate.objects.get(pk=certificate.pk).status == CertificateStatus.SUPERSEDED


def test_renewal_approve_skips_unpaid_renewals(staff_client, certificate_factory, pdu_claim_factory):
    certificate = certificate_factory.expiring_in(45, level_code="AM")
    pdu_claim_factory(certificate=certificate, hours=Decimal("30"))
    renewal = renewal_apply(certificate=certificate, actor=certificate.holder)

    response = staff_client.post(RENEWALS, {"action": "approve", ACTION_CHECKBOX_NAME: [renewal.pk]}, follow=True)

    renewal.refresh_from_db()
    assert renewal.status == RenewalStatus.AWAITING_PAYMENT
    assert f"Refused: {renewal}: Approve: start the next certificate period does not apply." in (
        response.content.decode())


def test_renewal_reject_action_with_reason(staff_client, renewal_factory):
    renewal = renewal_factory(status=RenewalStatus.UNDER_REVIEW)

    staff_client.post(RENEWALS, {"action": "reject", ACTION_CHECKBOX_NAME: [renewal.pk],
                                 "note": "PDUs outside the period"})

    renewal.refresh_from_db()
    assert (renewal.status, renewal.decision_note) == (RenewalStatus.REJECTED, "PDUs outside the period")
    assert OutboxMessage.objects.filter(key=f"renewal-rejected:{renewal.pk}").exists()


def test_reviewer_role_has_exactly_the_admin_permissions_it_needs(reviewer):
    for codename in ("view_certificate", "revoke_certificate", "render_certificate", "view_pduaudit",
                     "audit_pduclaim", "view_renewal", "decide_renewal", "view_certificateevent"):
        assert reviewer.has_perm(f"certificates.{codename}"), codename
    for codename in ("add_certificate", "change_certificate", "delete_certificate", "change_renewal"):
        assert not reviewer.has_perm(f"certificates.{codename}"), codename


def test_certificate_list_queries_do_not_grow_with_rows(staff_client, certificate_factory,
                                                        django_assert_max_num_queries):
    for _ in range(3):
        certificate_factory()
    with django_assert_max_num_queries(40) as few:
        staff_client.get(CERTIFICATES)
    for _ in range(15):
        certificate_factory(expires_on=datetime.date(2031, 1, 1))
    with django_assert_max_num_queries(len(few.captured_queries)):
        staff_client.get(CERTIFICATES)
