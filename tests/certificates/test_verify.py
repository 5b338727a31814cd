import datetime

import pytest
from django.urls import reverse
from django.utils.formats import date_format
from redis.exceptions import ConnectionError as RedisConnectionError

from certificates.models import CertificateStatus, RenewalStatus
from certificates.periods import today
from certificates.selectors import certificate_verify
from tests.certificates.factories import programme_certificate
from tests.factories import ApplicantFactory


def _verify(client, number, **extra):
    return client.get(reverse("certificates:verify_detail", args=[number]), **extra)


def _facts(response) -> str:
    return response.content.decode()


def test_active_certificate_shows_name_level_status_and_dates_only(client, certificate_factory):
    holder = ApplicantFactory(email="private.person@example.org", full_name="Ada Lovelace")
    certificate = certificate_factory(level_code="PM", holder=holder, legal_name="Ada King Lovelace")

    response = _verify(client, certificate.number)

    page = _facts(response)
    assert response.status_code == 200
    assert "Ada King Lovelace" in page and "Professional Mentor" in page
    assert 'id="verify-status">Active<' in page
    assert date_format(certificate.issued_on, "DATE_FORMAT") in page
    assert date_format(certificate.expires_on, "DATE_FORMAT") in page
    assert "private.person@example.org" not in page  # nothing beyond what the certificate states
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_number_is_matched_regardless_of_case_and_spaces(client, certificate_factory):
    certificate = certificate_factory()

    assert certificate_verify(f"  {certificate.number.lower()} ").number == certificate.number


def test_unknown_number_is_a_plain_not_found(client, db):
    response = _verify(client, "IPMA-SM-2026-999999")

    assert response.status_code == 404
    assert "Certificate not found" in _facts(response)
    assert "IPMA-SM-2026-999999" in _facts(response)


def test_expired_certificate_verifies_as_expired(client, certificate_factory):
    certificate = certificate_factory.expiring_in(-10, status=CertificateStatus.EXPIRED)

    assert 'id="verify-status">Expired<' in _facts(_verify(client, certificate.number))


def test_expired_in_grace_with_open_renewal_is_renewal_in_progress(client, certificate_factory, renewal_factory):
    certificate = certificate_factory.expiring_in(-10, status=CertificateStatus.EXPIRED)
    renewal_factory(certificate=certificate, status=RenewalStatus.UNDER_REVIEW)

    assert "Expired — renewal in progress" in _facts(_verify(client, certificate.number))


def test_expired_past_grace_is_expired_even_with_an_open_renewal(client, certificate_factory, renewal_factory,
                                                                settings):
    settings.CERTIFICATES_GRACE_DAYS = 90
    certificate = certificate_factory.expiring_in(-90, status=CertificateStatus.EXPIRED)
    renewal_factory(certificate=certificate)

    page = _facts(_verify(client, certificate.number))
    assert 'id="verify-status">Expired<' in page and "renewal in progress" not in page


def test_expired_in_grace_with_a_closed_renewal_is_expired(client, certificate_factory, renewal_factory):
    certificate = certificate_factory.expiring_in(-10, status=CertificateStatus.EXPIRED)
    renewal_factory(certificate=certificate, status=RenewalStatus.WITHDRAWN)

    assert 'id="verify-status">Expired<' in _facts(_verify(client, certificate.number))


def test_revoked_certificate_verifies_as_revoked_without_the_reason(client, certificate_factory):
    certificate = certificate_factory(status=CertificateStatus.REVOKED, revocation_reason="Confidential findings")

    page = _facts(_verify(client, certificate.number))
    assert 'id="verify-status">Revoked<' in page and "alert-danger" in page
    assert "Confidential findings" not in page


def test_superseded_certificate_says_so(client, certificate_factory):
    certificate = certificate_factory(status=CertificateStatus.SUPERSEDED)

    assert "Superseded by a renewed certificate" in _facts(_verify(client, certificate.number))


def test_programme_certificate_shows_organization_and_programme(client, db):
    certificate = programme_certificate(programme_name="Acme Mentors", legal_name="Acme Learning")

    page = _facts(_verify(client, certificate.number))
    assert "Organization" in page and "Acme Learning" in page and "Programme" in page and "Acme Mentors" in page


def test_verify_form_redirects_to_the_certificate(client, certificate_factory):
    certificate = certificate_factory()

    response = client.get(reverse("certificates:verify"), {"number": f" {certificate.number.lower()} "})

    assert response.status_code == 302
    assert response["Location"] == reverse("certificates:verify_detail", args=[certificate.number])


def test_verify_form_refuses_what_cannot_be_a_number(client, db):
    response = client.get(reverse("certificates:verify"), {"number": "<script>"})

    assert response.status_code == 200
    assert "letters, digits and hyphens" in _facts(response)


def test_verify_form_page_and_nav_link(client, db):
    response = client.get(reverse("certificates:verify"))

    assert response.status_code == 200
    assert f'href="{reverse("certificates:verify")}"' in _facts(client.get("/"))


def test_verification_is_rate_limited_per_client(client, certificate_factory, settings):
    settings.CERTIFICATES_VERIFY_RATE = "3/m"
    certificate = certificate_factory()

    statuses = [_verify(client, certificate.number).status_code for _ in range(3)]
    limited = _verify(client, certificate.number)
    unknown_limited = _verify(client, "IPMA-AM-2026-424242")
    other_client = _verify(client, certificate.number, REMOTE_ADDR="203.0.113.9")

    assert statuses == [200, 200, 200]
    assert limited.status_code == 429 and unknown_limited.status_code == 429
    assert limited["Retry-After"] == "60"
    assert "Too many look-ups" in _facts(limited)
    assert other_client.status_code == 200


def test_verification_stays_open_while_redis_is_down(client, certificate_factory, monkeypatch):
    certificate = certificate_factory()

    def redis_down(*args, **kwargs):
        raise RedisConnectionError("Connection refused")

    monkeypatch.setattr("certificates.views.is_ratelimited", redis_down)

    assert _verify(client, certificate.number).status_code == 200


def test_verification_takes_one_query(client, certificate_factory, django_assert_num_queries):
    certificate = certificate_factory()

    with django_assert_num_queries(1):
        assert certificate_verify(certificate.number).status == "active"


@pytest.mark.parametrize("days_after_expiry, expected", [(0, "renewal_in_progress"), (89, "renewal_in_progress"),
                                                        (90, "expired")])
def test_grace_period_boundary(certificate_factory, renewal_factory, settings, days_after_expiry, expected):
    settings.CERTIFICATES_GRACE_DAYS = 90
    certificate = certificate_factory.expiring_in(-days_after_expiry, status=CertificateStatus.EXPIRED)
    renewal_factory(certificate=certificate)

    assert certificate.expires_on == today() - datetime.timedelta(days=days_after_expiry)
    assert certificate_verify(certificate.number).status == expected


# ---- the kept page (ipma_portal/public_cache.py) ------------------------------------------------------------------


@pytest.fixture
def kept_pages(settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 60
    settings.REFERENCE_CACHE_CHECK_SECONDS = 0


def test_a_kept_verification_still_counts_against_the_limit(client, certificate_factory, settings, kept_pages):
    settings.CERTIFICATES_VERIFY_RATE = "2/m"
    certificate = certificate_factory()

    statuses = [_verify(client, certificate.number).status_code for _ in range(3)]

    assert statuses == [200, 200, 429]


def test_a_kept_verification_says_noindex_and_takes_no_query(client, certificate_factory, kept_pages,
                                                             django_assert_num_queries):
    certificate = certificate_factory()
    _verify(client, certificate.number)

    with django_assert_num_queries(0):
        response = _verify(client, certificate.number)

    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert 'id="verify-status">Active<' in _facts(response)


def test_a_revocation_shows_on_the_next_verification(client, certificate_factory, kept_pages):
    from certificates.services import certificate_revoke

    certificate = certificate_factory()
    assert 'id="verify-status">Active<' in _facts(_verify(client, certificate.number))

    certificate_revoke(certificate=certificate, actor=None, reason="Misconduct")

    assert 'id="verify-status">Revoked<' in _facts(_verify(client, certificate.number))
