"""What other apps read from certificates (organizations: directory, accredited mentors, programme PDF)."""

from certificates.models import CertificateStatus
from certificates.selectors import certificate_pdf, certificates_active
from certificates.services import certificate_render


def test_certificates_active_are_the_ones_in_force(certificate_factory):
    in_force = certificate_factory()
    past_expiry_not_yet_marked = certificate_factory.expiring_in(0)
    expired = certificate_factory.expiring_in(-3, status=CertificateStatus.EXPIRED)
    revoked = certificate_factory(status=CertificateStatus.REVOKED, revocation_reason="x")

    active = set(certificates_active())

    assert in_force in active
    assert not {past_expiry_not_yet_marked, expired, revoked} & active


def test_certificate_pdf_is_the_stored_file_or_none(certificate_factory):
    certificate = certificate_factory()
    assert certificate_pdf(certificate.number) is None
    assert certificate_pdf("IPMA-AM-2026-000404") is None

    certificate_render(certificate_id=certificate.pk)

    assert certificate_pdf(certificate.number.lower()).read(4) == b"%PDF"
