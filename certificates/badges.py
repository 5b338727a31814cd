"""Open Badges 2.0 (hosted verification): the Issuer profile, a BadgeClass per level, an Assertion per
certificate; and the LinkedIn "Add to profile" link.

Every ``id`` is the stable public URL the document is served at (see certificates/urls.py).
"""

import datetime
import hashlib
from urllib.parse import urlencode

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse

from accreditation.models import Level
from certificates.models import Certificate, CertificateStatus
from certificates.pdf import verify_url

OB_CONTEXT = "https://w3id.org/openbadges/v2"
LINKEDIN_ADD_TO_PROFILE = "https://www.linkedin.com/profile/add"


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def issuer_url() -> str:
    return _absolute(reverse("certificates:badge_issuer"))


def badge_class_url(level_code: str) -> str:
    return _absolute(reverse("certificates:badge_class", args=[level_code]))


def assertion_url(number: str) -> str:
    return _absolute(reverse("certificates:badge_assertion", args=[number]))


def issuer_profile() -> dict:
    return {
        "@context": OB_CONTEXT,
        "type": "Issuer",
        "id": issuer_url(),
        "name": settings.CERTIFICATES_ISSUER_NAME,
        "url": _absolute("/"),
        "email": settings.CERTIFICATES_ISSUER_EMAIL,
        "description": "The accrediting body for professional mentors and mentoring programmes.",
        "verification": {"type": "VerificationObject", "allowedOrigins": _hostname()},
    }


def _hostname() -> str:
    return settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0]


def _criteria_narrative(level: Level) -> str:
    parts = [f"{level.service_hours} hours of mentoring service"]
    if level.years_mentoring:
        parts.append(f"{level.years_mentoring} years of mentoring")
    if level.minimum_education:
        parts.append(f"education: {level.get_minimum_education_display()}")
    if level.prerequisite_id:
        parts.append(f"holds {level.prerequisite.name} or equivalent training")
    parts.append(level.training)
    if level.requires_contribution_statement:
        parts.append("a significant contribution to the mentoring profession")
    parts += ["a passing exam score", "adoption of the Code of Ethics and Conduct"]
    return (
        f"Awarded by the accreditation committee to mentors who meet every requirement of the {level.name} "
        f"level: " + "; ".join(parts) + f". Valid for {level.certificate_validity_years} years; renewed through "
        "the Continuing Certification Requirements programme by earning and claiming PDUs."
    )


def badge_class(level: Level) -> dict:
    return {
        "@context": OB_CONTEXT,
        "type": "BadgeClass",
        "id": badge_class_url(level.code),
        "name": f"IPMA {level.name} ({level.code})",
        "description": f"Accredited {level.name} of the {settings.CERTIFICATES_ISSUER_NAME}.",
        "image": _absolute(reverse("certificates:badge_image", args=[level.code])),
        "criteria": {"narrative": _criteria_narrative(level)},
        "issuer": issuer_url(),
        "tags": ["mentoring", "accreditation", level.code],
    }


def badge_image_svg(level: Level) -> str:
    return render_to_string("certificates/badge_image.svg", {"level": level})


def recipient_identity(email: str, salt: str) -> str:
    return "sha256$" + hashlib.sha256((email.strip().lower() + salt).encode()).hexdigest()


def _timestamp(day: datetime.date) -> str:
    return datetime.datetime.combine(day, datetime.time(), tzinfo=datetime.UTC).isoformat()


def badge_assertion(certificate: Certificate) -> tuple[dict, int]:
    """The hosted Assertion and its HTTP status: 200, or 410 Gone with ``revoked`` once revoked.

    A revoked assertion is stripped to what the specification requires of one (id, revoked): like
    /verify/, it says revoked and never why (the reason stays with the committee and the holder).
    """
    if certificate.status == CertificateStatus.REVOKED:
        return {
            "@context": OB_CONTEXT,
            "type": "Assertion",
            "id": assertion_url(certificate.number),
            "revoked": True,
        }, 410
    return {
        "@context": OB_CONTEXT,
        "type": "Assertion",
        "id": assertion_url(certificate.number),
        "recipient": {
            "type": "email",
            "hashed": True,
            "salt": certificate.badge_salt,
            "identity": recipient_identity(certificate.holder.email, certificate.badge_salt),
        },
        "badge": badge_class_url(certificate.level.code),
        "verification": {"type": "hosted"},
        "issuedOn": _timestamp(certificate.issued_on),
        "expires": _timestamp(certificate.expires_on),
        "evidence": verify_url(certificate.number),
        "revoked": False,
    }, 200


def linkedin_add_url(certificate: Certificate) -> str:
    """LinkedIn's "Add licence or certification" form, filled in with this certificate."""
    return LINKEDIN_ADD_TO_PROFILE + "?" + urlencode({
        "startTask": "CERTIFICATION_NAME",
        "name": f"IPMA {certificate.level.name} ({certificate.level.code})",
        "organizationName": settings.CERTIFICATES_ISSUER_NAME,
        "issueYear": certificate.issued_on.year,
        "issueMonth": certificate.issued_on.month,
        "expirationYear": certificate.expires_on.year,
        "expirationMonth": certificate.expires_on.month,
        "certUrl": verify_url(certificate.number),
        "certId": certificate.number,
    })
