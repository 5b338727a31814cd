"""The other apps' public functions this app calls: certificates and payments.

Each is imported when called, so this app works (and says "pending") while a collaborator is missing;
a missing collaborator is never taken to mean "done": no certificate means no logo kit, no payment
check means the review does not start.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date

logger = logging.getLogger(__name__)

PROGRAMME_FEE_KIND = "programme_accreditation"


class CollaboratorMissing(Exception):
    """The app that provides this function is not installed (yet)."""


# ---- certificates -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CertificateFacts:
    """What this app reads from a certificate: what the public verification page shows."""

    number: str
    name: str
    title: str  # the level's name, or the programme's
    status: str
    is_valid: bool
    is_programme: bool
    issued_on: date
    expires_on: date  # the first day on which it is no longer valid


def certificate_lookup(number: str) -> CertificateFacts | None:
    """The certificate with this number (None when there is none); raises CollaboratorMissing."""
    try:
        from certificates.selectors import certificate_verify
    except ImportError as exc:
        raise CollaboratorMissing("certificates.selectors.certificate_verify") from exc
    found = certificate_verify(number.strip())
    if found is None:
        return None
    return CertificateFacts(
        number=found.number, name=found.name, title=found.title, status=str(found.status), is_valid=found.is_valid,
        is_programme=found.is_programme,
        issued_on=found.issued_on, expires_on=found.expires_on,
    )


def certificate_issue_programme(*, organization_id: int, organization_name: str, programme_name: str, actor):
    """Issue the programme certificate (inside the caller's transaction); raises CollaboratorMissing."""
    try:
        from certificates.services import certificate_issue_programme as issue
    except ImportError as exc:
        raise CollaboratorMissing("certificates.services.certificate_issue_programme") from exc
    return issue(
        organization_id=organization_id, organization_name=organization_name, programme_name=programme_name,
        actor=actor,
    )


def certificate_revoke(*, number: str, actor, reason: str) -> bool:
    """Revoke the certificate so verification shows it; False when there is nothing to revoke there."""
    try:
        from certificates.services import certificate_revoke as revoke
    except ImportError:
        logger.warning("certificates is not installed: certificate %s is not marked revoked there", number)
        return False
    try:
        certificate = active_certificates().filter(number=number).first()
    except CollaboratorMissing:
        logger.warning("certificates offers no certificates_active(): certificate %s is not marked revoked", number)
        return False
    if certificate is None:
        return False
    revoke(certificate=certificate, actor=actor, reason=reason)
    return True


def certificate_pdf(number: str):
    """The certificate's PDF (a FieldFile), or None while certificates offers none for this number."""
    try:
        from certificates.selectors import certificate_pdf as pdf_for
    except ImportError:
        return None
    return pdf_for(number) or None


def active_certificates():
    """The register's certificates in force (fields ``number``, ``holder``, ``level``); raises when missing."""
    try:
        from certificates.selectors import certificates_active
    except ImportError as exc:
        raise CollaboratorMissing("certificates.selectors.certificates_active") from exc
    return certificates_active()


# ---- payments --------------------------------------------------------------------------------------


def invoice_raise(*, payer, reference: str, actor):
    """The programme accreditation invoice, priced from the fee schedule; None when payments is missing."""
    try:
        from payments.services import invoice_raise as raise_invoice
    except ImportError:
        logger.warning("payments is not installed: no invoice raised for %s", reference)
        return None
    return raise_invoice(payer=payer, kind=PROGRAMME_FEE_KIND, reference=reference, actor=actor)


def invoice_is_paid(*, reference: str) -> bool | None:
    """True or False from payments; None (unknown) when payments is missing."""
    try:
        from payments.selectors import invoice_is_paid as is_paid
    except ImportError:
        return None
    return is_paid(kind=PROGRAMME_FEE_KIND, reference=reference)


def invoice_void(*, reference: str, actor, note: str) -> None:
    try:
        from payments.services import invoice_void as void
    except ImportError:
        return
    void(kind=PROGRAMME_FEE_KIND, reference=reference, actor=actor, note=note)


def invoice_number(*, reference: str) -> str | None:
    """The number of the invoice for this application, to link to it; None when there is none."""
    try:
        from payments.selectors import invoice_for
    except ImportError:
        return None
    invoice = invoice_for(kind=PROGRAMME_FEE_KIND, reference=reference)
    return invoice.number if invoice is not None else None


# ---- partners ---------------------------------------------------------------------------------------


def directory_qtsps():
    """Approved QTSPs for the public directory; raises CollaboratorMissing."""
    try:
        from partners.selectors import directory_qtsps as qtsps
    except ImportError as exc:
        raise CollaboratorMissing("partners.selectors.directory_qtsps") from exc
    return qtsps()
