from decimal import Decimal

from django.apps import apps
from django.test import RequestFactory
from django.urls import reverse

from certificates.badges import linkedin_add_url
from certificates.models import CertificateStatus, PDUClaimStatus, RenewalStatus
from certificates.services import certificate_render


def _panels(user):
    request = RequestFactory().get("/dashboard/")
    request.user = user
    return apps.get_app_config("certificates").dashboard_panels(request)


def test_no_panel_without_certificates(applicant):
    assert _panels(applicant) == []


def test_panel_queries_stay_constant(certificate_factory, pdu_claim_factory, renewal_factory,
                                     django_assert_num_queries):
    first = certificate_factory(level_code="AM")
    holder = first.holder
    with django_assert_num_queries(3):
        _panels(holder)

    for code in ("PM", "SM", "MM"):
        certificate = certificate_factory(level_code=code, holder=holder)
        pdu_claim_factory(certificate=certificate)
        renewal_factory(certificate=certificate)
    with django_assert_num_queries(3):
        [panel] = _panels(holder)
    assert len(panel.context["entries"]) == 4


def test_dashboard_shows_certificates_downloads_badges_pdus_and_renewal(client, certificate_factory,
                                                                         pdu_claim_factory, renewal_factory):
    active = certificate_factory(level_code="SM")
    holder = active.holder
    certificate_render(certificate_id=active.pk)
    pdu_claim_factory(certificate=active, hours=Decimal("12.5"))
    pdu_claim_factory(certificate=active, hours=Decimal("4"), status=PDUClaimStatus.IN_AUDIT)
    renewing = certificate_factory.expiring_in(-5, level_code="PM", holder=holder, status=CertificateStatus.EXPIRED)
    renewal_factory(certificate=renewing, status=RenewalStatus.UNDER_REVIEW)
    superseded = certificate_factory(level_code="AM", holder=holder, status=CertificateStatus.SUPERSEDED)
    client.force_login(holder)

    page = client.get(reverse("applicants:dashboard")).content.decode()

    assert "Your certificates" in page
    assert reverse("certificates:download", args=[active.number]) in page
    assert reverse("certificates:badge_assertion", args=[active.number]) in page
    assert "12.5 of 60" in page and "(4.0 in audit)" in page
    assert "Under review" in page and "Renewable until" in page
    assert superseded.number not in page
    detail = client.get(reverse("certificates:detail", args=[active.number])).content.decode()
    assert linkedin_add_url(active).replace("&", "&amp;") in detail
    assert "Add to LinkedIn profile" in detail


def test_revoked_certificate_offers_no_badge(client, certificate_factory):
    certificate = certificate_factory(status=CertificateStatus.REVOKED, revocation_reason="x")
    client.force_login(certificate.holder)

    page = client.get(reverse("applicants:dashboard")).content.decode()

    assert certificate.number in page
    assert reverse("certificates:badge_assertion", args=[certificate.number]) not in page
