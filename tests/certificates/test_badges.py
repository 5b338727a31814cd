"""Open Badges 2.0: the structure checks of the specification's data model (ob_v2p0, "Open Badges
Vocabulary"): required properties per class, IRIs, ISO 8601 dates, the hashed IdentityObject, hosted
verification (the Assertion is served at its id) and revocation."""

import datetime
import hashlib
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from certificates.badges import linkedin_add_url
from certificates.models import CertificateStatus
from certificates.pdf import verify_url
from certificates.services import certificate_revoke
from tests.certificates.factories import programme_certificate
from tests.factories import ApplicantFactory

OB_CONTEXT = "https://w3id.org/openbadges/v2"
REQUIRED = {
    "Assertion": {"id", "type", "recipient", "badge", "verification", "issuedOn"},
    "BadgeClass": {"id", "type", "name", "description", "image", "criteria", "issuer"},
    # "When used as a badge issuer, the following properties are required: id, type, name, url, and email."
    "Issuer": {"id", "type", "name", "url", "email"},
}


def _is_iri(value) -> bool:
    parts = urlsplit(value) if isinstance(value, str) else None
    return bool(parts and parts.scheme in {"http", "https"} and parts.netloc)


def _is_datetime(value) -> bool:
    try:
        return datetime.datetime.fromisoformat(value).tzinfo is not None
    except (TypeError, ValueError):
        return False


def check_badge_object(document: dict, kind: str) -> None:
    assert document["@context"] == OB_CONTEXT
    assert REQUIRED[kind] <= document.keys(), REQUIRED[kind] - document.keys()
    types = document["type"] if isinstance(document["type"], list) else [document["type"]]
    assert kind in types
    assert _is_iri(document["id"])
    if kind == "Issuer":
        assert _is_iri(document["url"]) and "@" in document["email"] and document["name"]
    if kind == "BadgeClass":
        assert document["name"] and document["description"]
        assert _is_iri(document["image"]) and _is_iri(document["issuer"])
        criteria = document["criteria"]
        assert _is_iri(criteria) or (isinstance(criteria, dict) and (criteria.get("narrative") or criteria.get("id")))
    if kind == "Assertion":
        recipient = document["recipient"]
        assert {"identity", "type", "hashed"} <= recipient.keys()
        assert recipient["type"] == "email" and isinstance(recipient["hashed"], bool)
        if recipient["hashed"]:
            assert re.fullmatch(r"sha256\$[0-9a-f]{64}", recipient["identity"])
        assert _is_iri(document["badge"])
        assert document["verification"]["type"] in {"hosted", "HostedBadge"}
        assert _is_datetime(document["issuedOn"])
        if "expires" in document:
            assert _is_datetime(document["expires"]) and document["expires"] > document["issuedOn"]


def _get_json(client, url: str):
    response = client.get(urlsplit(url).path)
    return response, response.json()


@pytest.fixture
def certificate(certificate_factory):
    return certificate_factory(level_code="SM", holder=ApplicantFactory(email="Ada@Example.org"))


def test_assertion_badge_class_and_issuer_pass_the_structure_checks(client, certificate, settings):
    response, assertion = _get_json(client, reverse("certificates:badge_assertion", args=[certificate.number]))
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    assert response["Access-Control-Allow-Origin"] == "*"
    check_badge_object(assertion, "Assertion")
    # Hosted verification: the Assertion is found at its own id.
    assert assertion["id"] == f"{settings.SITE_URL}/badges/assertions/{certificate.number}.json"

    response, badge_class = _get_json(client, assertion["badge"])
    assert response.status_code == 200
    check_badge_object(badge_class, "BadgeClass")
    assert badge_class["id"] == assertion["badge"] == f"{settings.SITE_URL}/badges/classes/SM.json"
    assert "Senior Mentor" in badge_class["name"] and "300 hours" in badge_class["criteria"]["narrative"]

    response, issuer = _get_json(client, badge_class["issuer"])
    assert response.status_code == 200
    check_badge_object(issuer, "Issuer")
    assert issuer["id"] == badge_class["issuer"] == f"{settings.SITE_URL}/badges/issuer.json"
    host = urlsplit(settings.SITE_URL).hostname
    assert issuer["verification"]["allowedOrigins"] == host == urlsplit(assertion["id"]).hostname

    image = client.get(urlsplit(badge_class["image"]).path)
    assert image.status_code == 200 and image["Content-Type"] == "image/svg+xml"
    assert b"<svg" in image.content and b"SM" in image.content


def test_assertion_recipient_is_the_holders_email_hashed_with_its_salt(client, certificate):
    _response, assertion = _get_json(client, reverse("certificates:badge_assertion", args=[certificate.number]))
    recipient = assertion["recipient"]

    expected = hashlib.sha256(("ada@example.org" + recipient["salt"]).encode()).hexdigest()
    assert recipient == {"type": "email", "hashed": True, "salt": certificate.badge_salt,
                         "identity": f"sha256${expected}"}
    assert "ada@example.org" not in str(assertion).lower()


def test_assertion_dates_are_the_certificates(client, certificate):
    _response, assertion = _get_json(client, reverse("certificates:badge_assertion", args=[certificate.number]))

    assert assertion["issuedOn"] == f"{certificate.issued_on.isoformat()}T00:00:00+00:00"
    assert assertion["expires"] == f"{certificate.expires_on.isoformat()}T00:00:00+00:00"
    assert assertion["revoked"] is False
    assert assertion["evidence"] == verify_url(certificate.number)


def test_revoked_assertion_is_gone_and_says_revoked_without_the_reason(client, certificate, reviewer):
    certificate_revoke(certificate=certificate, actor=reviewer, reason="Misrepresented qualifications")

    response, assertion = _get_json(client, reverse("certificates:badge_assertion", args=[certificate.number]))

    assert response.status_code == 410
    assert assertion == {
        "@context": assertion["@context"], "type": "Assertion",
        "id": assertion["id"], "revoked": True,
    }
    assert assertion["id"].endswith(f"/badges/assertions/{certificate.number}.json")
    assert "Misrepresented" not in response.content.decode()


def test_expired_certificate_keeps_its_assertion_with_the_past_expiry(client, certificate_factory):
    certificate = certificate_factory.expiring_in(-5, status=CertificateStatus.EXPIRED)

    response, assertion = _get_json(client, reverse("certificates:badge_assertion", args=[certificate.number]))

    assert response.status_code == 200
    assert datetime.datetime.fromisoformat(assertion["expires"]) < datetime.datetime.now(datetime.UTC)


def test_unknown_and_programme_numbers_have_no_assertion(client, db):
    programme = programme_certificate()

    assert client.get(reverse("certificates:badge_assertion", args=["IPMA-AM-2026-000404"])).status_code == 404
    assert client.get(reverse("certificates:badge_assertion", args=[programme.number])).status_code == 404
    assert client.get(reverse("certificates:badge_class", args=["XX"])).status_code == 404


@pytest.mark.parametrize("code", ["AM", "PM", "SM", "MM"])
def test_every_level_has_a_badge_class(client, db, code):
    response = client.get(reverse("certificates:badge_class", args=[code]))

    assert response.status_code == 200
    check_badge_object(response.json(), "BadgeClass")


def test_linkedin_link_fills_in_the_certification(certificate, settings):
    url = urlsplit(linkedin_add_url(certificate))
    fields = {key: values[0] for key, values in parse_qs(url.query).items()}

    assert f"{url.scheme}://{url.netloc}{url.path}" == "https://www.linkedin.com/profile/add"
    assert fields == {
        "startTask": "CERTIFICATION_NAME",
        "name": "IPMA Senior Mentor (SM)",
        "organizationName": settings.CERTIFICATES_ISSUER_NAME,
        "issueYear": str(certificate.issued_on.year),
        "issueMonth": str(certificate.issued_on.month),
        "expirationYear": str(certificate.expires_on.year),
        "expirationMonth": str(certificate.expires_on.month),
        "certUrl": verify_url(certificate.number),
        "certId": certificate.number,
    }
