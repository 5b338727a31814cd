"""Every staff decision consults the conflict-of-interest policy, in its service and in the admin: a
conflicted object offers no decision, its decide URL refuses with the reason, and bulk actions skip it."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from certificates.models import PDUClaimStatus, RenewalStatus
from certificates.services import certificate_revoke, pdu_claim_approve, renewal_reject
from fasttrack.services import application_reject, application_submit
from organizations import services as organization_services
from organizations.staff import CONTACT
from partners.models import QTSP
from partners.services import qtsp_transition
from tests.certificates.factories import CertificateFactory, PDUClaimFactory, RenewalFactory
from tests.factories import ReviewerFactory
from tests.fasttrack.factories import ALL_GROUPS_MET, ApplicationFactory
from tests.organizations.factories import OrganizationFactory, reviewed, staff_add, under_review
from tests.partners.factories import QTSPFactory, owner_of

pytestmark = pytest.mark.django_db


def _own_fasttrack(reviewer):
    application = ApplicationFactory(claims=ALL_GROUPS_MET, applicant=reviewer)
    application_submit(application=application, actor=reviewer)
    return application


def _own_pdu_claim(reviewer):
    return PDUClaimFactory(certificate=CertificateFactory(holder=reviewer), status=PDUClaimStatus.IN_AUDIT)


def _own_renewal(reviewer):
    return RenewalFactory(certificate=CertificateFactory(holder=reviewer), status=RenewalStatus.UNDER_REVIEW)


def _own_qtsp(reviewer):
    qtsp = QTSPFactory(status=QTSP.Status.SUBMITTED)
    owner_of(qtsp, reviewer)
    return qtsp


SERVICES = {
    "fast-track decision": (_own_fasttrack, lambda obj, actor: application_reject(
        application=obj, actor=actor, reasons="no")),
    "PDU audit": (_own_pdu_claim, lambda obj, actor: pdu_claim_approve(claim=obj, actor=actor)),
    "renewal": (_own_renewal, lambda obj, actor: renewal_reject(renewal=obj, actor=actor, reason="no")),
    "certificate revocation": (lambda reviewer: CertificateFactory(holder=reviewer),
                               lambda obj, actor: certificate_revoke(certificate=obj, actor=actor, reason="x")),
    "QTSP approval": (_own_qtsp, lambda obj, actor: qtsp_transition(
        qtsp=obj, to_status=QTSP.Status.APPROVED, actor=actor)),
}


@pytest.mark.parametrize("kind", SERVICES)
def test_the_service_refuses_a_conflicted_decider(kind, reviewer):
    make, decide = SERVICES[kind]
    obj = make(reviewer)
    obj.refresh_from_db()
    status = obj.status

    with pytest.raises(ValidationError, match="Conflict of interest") as refused:
        decide(obj, reviewer)

    assert refused.value.code == "conflict_of_interest"
    obj.refresh_from_db()
    assert obj.status == status


ADMIN = {
    "fast-track decision": (_own_fasttrack, "fasttrack_fasttrackapplication", "reject"),
    "PDU audit": (_own_pdu_claim, "certificates_pduaudit", "reject"),
    "renewal": (_own_renewal, "certificates_renewal", "reject"),
    "certificate revocation": (lambda reviewer: CertificateFactory(holder=reviewer), "certificates_certificate",
                               "revoke"),
    "QTSP approval": (_own_qtsp, "partners_qtsp", "rejected"),
}


@pytest.mark.parametrize("kind", ADMIN)
def test_the_admin_offers_no_decision_and_refuses_the_decide_url(kind, client, reviewer):
    make, name, slug = ADMIN[kind]
    obj = make(reviewer)
    obj.refresh_from_db()
    status = obj.status
    client.force_login(reviewer)
    decide = reverse(f"admin:{name}_decide", args=[obj.pk, slug])

    page = client.get(reverse(f"admin:{name}_change", args=[obj.pk]))
    response = client.post(decide, {"note": "reasons"}, follow=True)

    assert page.status_code == 200
    assert decide not in page.content.decode() and "conflict of interest" in page.content.decode()
    assert "You cannot decide about" in response.content.decode()
    obj.refresh_from_db()
    assert obj.status == status


def test_a_bulk_decision_refuses_the_conflicted_rows_and_names_them(client, reviewer):
    own = _own_pdu_claim(reviewer)
    other = PDUClaimFactory(status=PDUClaimStatus.IN_AUDIT)
    client.force_login(reviewer)

    response = client.post(reverse("admin:certificates_pduaudit_changelist"),
                           {"action": "approve", "_selected_action": [own.pk, other.pk], "note": ""}, follow=True)

    own.refresh_from_db()
    other.refresh_from_db()
    assert (own.status, other.status) == (PDUClaimStatus.IN_AUDIT, PDUClaimStatus.APPROVED)
    assert f"{own}: conflict of interest (it is yourself)" in response.content.decode()


def test_organization_staff_do_not_decide_their_own_programme(reviewer):
    organization = OrganizationFactory()
    owner = staff_add(organization)
    staff_add(organization, user=reviewer, role=CONTACT)
    application = reviewed(under_review(organization, owner), [ReviewerFactory(), ReviewerFactory()])

    with pytest.raises(ValidationError, match="Conflict of interest"):
        organization_services.application_decide(application=application, actor=reviewer, decision="accredited",
                                                 reasons="fine")


def test_organization_staff_are_not_assigned_to_review_their_own_programme(reviewer):
    organization = OrganizationFactory()
    owner = staff_add(organization)
    staff_add(organization, user=reviewer, role=CONTACT)
    application = under_review(organization, owner)

    with pytest.raises(ValidationError, match="cannot review .*: conflict of interest \\(staff of the same organization"):
        organization_services.review_assign(application=application, reviewer=reviewer, actor=ReviewerFactory())
