import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from certificates.models import CertificateStatus, PDUCategory, PDUClaim, PDUClaimStatus
from certificates.periods import today
from certificates.selectors import pdu_progress
from certificates.services import pdu_claim_approve, pdu_claim_reject, pdu_claim_submit, pdu_claim_withdraw
from notifications.models import OutboxMessage
from tests.factories import ApplicantFactory, QTSPStaffFactory


def _submit(certificate, evidence, **overrides):
    fields = {
        "activity": "Supervision workshop", "provider": "Mentoring Institute",
        "activity_date": certificate.valid_from + datetime.timedelta(days=1), "hours": Decimal("7.5"),
        "category": PDUCategory.SUPERVISION, "evidence": evidence,
    }
    return pdu_claim_submit(certificate=certificate, actor=certificate.holder, **{**fields, **overrides})


@pytest.fixture
def certificate(certificate_factory):
    return certificate_factory.expiring_in(400, level_code="AM")


def test_claim_counts_at_once_when_not_drawn_for_audit(certificate, evidence):
    claim = _submit(certificate, evidence)

    assert claim.status == PDUClaimStatus.APPROVED and not claim.audit_selected
    assert claim.evidence_name == "attendance.pdf" and claim.evidence_kind == "pdf"
    assert claim.evidence.read(4) == b"%PDF"
    event = claim.events.get()
    assert (event.from_status, event.to_status, event.actor) == ("", "approved", certificate.holder)
    assert pdu_progress(certificate).approved == Decimal("7.5")


def test_the_audit_share_sends_claims_to_the_committee(certificate, evidence, settings):
    settings.CERTIFICATES_PDU_AUDIT_SHARE = 1.0

    claim = _submit(certificate, evidence)

    assert claim.status == PDUClaimStatus.IN_AUDIT and claim.audit_selected and claim.decided_at is None
    progress = pdu_progress(certificate)
    assert (progress.approved, progress.in_audit) == (Decimal("0"), Decimal("7.5"))


def test_the_audit_draw_picks_about_the_configured_share(settings):
    from certificates.services.pdus import audit_draw

    settings.CERTIFICATES_PDU_AUDIT_SHARE = 0.25
    drawn = sum(audit_draw() for _ in range(4000))

    assert 800 < drawn < 1200  # 1000 expected; this band is more than six standard deviations wide


def test_a_claim_before_the_period_names_its_first_day_in_the_readers_format(certificate, evidence):
    from django.utils import formats

    with pytest.raises(ValidationError) as refused:
        _submit(certificate, evidence, activity_date=certificate.valid_from - datetime.timedelta(days=1))

    assert formats.date_format(certificate.valid_from, "DATE_FORMAT") in refused.value.messages[0]
    assert certificate.valid_from.isoformat() not in refused.value.messages[0]


@pytest.mark.parametrize("days, message", [(-1, "Only activities from"), (None, "future")])
def test_claim_date_must_lie_in_the_period_and_not_ahead(certificate, evidence, days, message):
    activity_date = (certificate.valid_from + datetime.timedelta(days=days)) if days else today() + datetime.timedelta(days=1)

    with pytest.raises(ValidationError, match=message):
        _submit(certificate, evidence, activity_date=activity_date)
    assert not PDUClaim.objects.exists()


def test_claim_hours_are_bounded(certificate, evidence):
    with pytest.raises(ValidationError, match="hours"):
        _submit(certificate, evidence, hours=Decimal("100.5"))


def test_claim_evidence_is_checked_by_content(certificate, private_media):
    fake = SimpleUploadedFile("evidence.pdf", b"MZ\x90\x00 not a pdf at all", content_type="application/pdf")

    with pytest.raises(ValidationError, match="not a"):
        _submit(certificate, fake)
    assert not PDUClaim.objects.exists()


def test_only_the_holder_claims(certificate, evidence):
    with pytest.raises(PermissionDenied):
        pdu_claim_submit(certificate=certificate, actor=ApplicantFactory(), activity="x", provider="y",
                         activity_date=certificate.valid_from, hours=1, category=PDUCategory.EDUCATION,
                         evidence=evidence)


@pytest.mark.parametrize("status", [CertificateStatus.REVOKED, CertificateStatus.SUPERSEDED])
def test_no_claims_toward_revoked_or_superseded_certificates(certificate_factory, evidence, status):
    certificate = certificate_factory(status=status, revocation_reason="x")

    with pytest.raises(ValidationError, match="no longer be claimed"):
        _submit(certificate, evidence, activity_date=certificate.valid_from)


def test_claims_still_count_toward_an_expired_period_in_grace(certificate_factory, evidence):
    certificate = certificate_factory.expiring_in(-10, status=CertificateStatus.EXPIRED)

    assert _submit(certificate, evidence, activity_date=today()).status == PDUClaimStatus.APPROVED


def test_committee_approves_an_audited_claim(pdu_claim_factory, reviewer):
    claim = pdu_claim_factory(status=PDUClaimStatus.IN_AUDIT, audit_selected=True)

    pdu_claim_approve(claim=claim, actor=reviewer)

    claim.refresh_from_db()
    assert (claim.status, claim.decided_by) == (PDUClaimStatus.APPROVED, reviewer)
    assert claim.events.get().actor == reviewer
    assert "passed the audit" in OutboxMessage.objects.get(key=f"pdu-audit-decided:{claim.pk}").subject


def test_committee_rejects_with_reasons(pdu_claim_factory, reviewer):
    claim = pdu_claim_factory(status=PDUClaimStatus.IN_AUDIT, audit_selected=True)

    with pytest.raises(ValidationError, match="reasons"):
        pdu_claim_reject(claim=claim, actor=reviewer, reason=" ")
    pdu_claim_reject(claim=claim, actor=reviewer, reason="The certificate of attendance is for someone else.")

    claim.refresh_from_db()
    assert claim.status == PDUClaimStatus.REJECTED
    assert pdu_progress(claim.certificate).approved == Decimal("0")
    assert "someone else" in OutboxMessage.objects.get(key=f"pdu-audit-decided:{claim.pk}").body_text


def test_decided_claims_cannot_be_decided_again(pdu_claim_factory, reviewer):
    claim = pdu_claim_factory(status=PDUClaimStatus.APPROVED)

    with pytest.raises(ValidationError, match="cannot become"):
        pdu_claim_reject(claim=claim, actor=reviewer, reason="Too late")


def test_holder_withdraws_a_claim_in_audit_only(pdu_claim_factory):
    claim = pdu_claim_factory(status=PDUClaimStatus.IN_AUDIT)
    approved = pdu_claim_factory(status=PDUClaimStatus.APPROVED, certificate=claim.certificate)

    with pytest.raises(PermissionDenied):
        pdu_claim_withdraw(claim=claim, actor=ApplicantFactory())
    pdu_claim_withdraw(claim=claim, actor=claim.holder)
    with pytest.raises(ValidationError):
        pdu_claim_withdraw(claim=approved, actor=claim.holder)

    claim.refresh_from_db()
    assert claim.status == PDUClaimStatus.WITHDRAWN


# The holder's pages ----------------------------------------------------------------------------


def test_holder_claims_through_the_form(client, certificate):
    client.force_login(certificate.holder)
    url = reverse("certificates:pdu_claim_create", args=[certificate.number])
    assert client.get(url).status_code == 200

    response = client.post(url, {
        "activity": "EMCC conference", "provider": "EMCC", "activity_date": certificate.valid_from.isoformat(),
        "hours": "12", "category": PDUCategory.EDUCATION,
        "evidence": SimpleUploadedFile("ticket.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf"),
    })

    assert response.status_code == 302
    assert response["Location"] == reverse("certificates:detail", args=[certificate.number])
    assert certificate.pdu_claims.get().hours == Decimal("12.0")


def test_a_date_before_the_period_is_refused_at_the_date_field(client, certificate):
    client.force_login(certificate.holder)

    response = client.post(reverse("certificates:pdu_claim_create", args=[certificate.number]), {
        "activity": "EMCC conference", "provider": "EMCC",
        "activity_date": (certificate.valid_from - datetime.timedelta(days=1)).isoformat(),
        "hours": "12", "category": PDUCategory.EDUCATION,
        "evidence": SimpleUploadedFile("ticket.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf"),
    })

    assert response.status_code == 200
    assert response.context["form"].errors["activity_date"][0].startswith("Only activities from")
    assert not certificate.pdu_claims.exists()


@pytest.mark.parametrize("hours", ["99999", "0.2"])
def test_hours_out_of_bounds_get_one_clear_error(client, certificate, hours):
    client.force_login(certificate.holder)

    response = client.post(reverse("certificates:pdu_claim_create", args=[certificate.number]), {
        "activity": "EMCC conference", "provider": "EMCC", "activity_date": certificate.valid_from.isoformat(),
        "hours": hours, "category": PDUCategory.EDUCATION,
        "evidence": SimpleUploadedFile("ticket.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf"),
    })

    assert response.context["form"].errors["hours"] == ["Claim between 0.5 and 100 hours for one activity."]
    assert not certificate.pdu_claims.exists()


def test_another_user_cannot_open_the_claim_form(client, certificate):
    client.force_login(ApplicantFactory())

    assert client.get(reverse("certificates:pdu_claim_create", args=[certificate.number])).status_code == 404


def test_evidence_download_matrix(client, pdu_claim_factory, reviewer):
    claim = pdu_claim_factory()
    url = reverse("certificates:pdu_evidence", args=[claim.pk])

    assert client.get(url).status_code == 302  # anonymous: to the login page
    for user, expected in ((claim.holder, 200), (ApplicantFactory(), 404), (QTSPStaffFactory(), 404),
                           (reviewer, 200)):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == expected, user
    assert response["Content-Disposition"] == 'attachment; filename="evidence.pdf"'


def test_a_claim_without_evidence_shows_no_link_and_its_download_is_404(client, pdu_claim_factory):
    claim = pdu_claim_factory(evidence="", evidence_name="")  # credited from an attended event: no file
    client.force_login(claim.holder)

    page = client.get(reverse("certificates:detail", args=[claim.certificate.number])).content.decode()
    response = client.get(reverse("certificates:pdu_evidence", args=[claim.pk]))

    assert claim.activity in page
    assert reverse("certificates:pdu_evidence", args=[claim.pk]) not in page
    assert response.status_code == 404


def test_evidence_gone_from_the_storage_is_404_not_an_error(client, pdu_claim_factory):
    claim = pdu_claim_factory()
    claim.evidence.storage.delete(claim.evidence.name)
    client.force_login(claim.holder)

    assert client.get(reverse("certificates:pdu_evidence", args=[claim.pk])).status_code == 404


def test_holder_withdraws_through_the_page(client, pdu_claim_factory):
    claim = pdu_claim_factory(status=PDUClaimStatus.IN_AUDIT)
    client.force_login(claim.holder)

    client.post(reverse("certificates:pdu_claim_withdraw", args=[claim.pk]))

    claim.refresh_from_db()
    assert claim.status == PDUClaimStatus.WITHDRAWN
