import io
import uuid

import pypdfium2
import pytest
import zxingcpp
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfReader

from tests.certificates.factories import CertificateFactory, PDUClaimFactory, RenewalFactory
from tests.documents.samples import pdf_bytes


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    """Each test stores certificates and evidence in its own folder."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private_media"
    return settings.PRIVATE_MEDIA_ROOT


@pytest.fixture(autouse=True)
def ratelimit_namespace(settings):
    """Rate-limit counters live in the real Redis: each test counts under a prefix of its own."""
    settings.CACHES = {
        **settings.CACHES,
        "ratelimit": {**settings.CACHES["ratelimit"], "KEY_PREFIX": f"test-ratelimit-{uuid.uuid4().hex}"},
    }


@pytest.fixture(autouse=True)
def no_audit_draw(settings):
    """Claims are not drawn for audit unless a test asks for it (the share is set per test)."""
    settings.CERTIFICATES_PDU_AUDIT_SHARE = 0.0


@pytest.fixture
def certificate_factory(db):
    return CertificateFactory


@pytest.fixture
def pdu_claim_factory(db):
    return PDUClaimFactory


@pytest.fixture
def renewal_factory(db):
    return RenewalFactory


@pytest.fixture
def evidence():
    return SimpleUploadedFile("attendance.pdf", pdf_bytes(), content_type="application/pdf")


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def pdf_qr_codes(content: bytes) -> list[str]:
    """Rasterise the first page (about 220 dpi) and decode every QR code on it."""
    document = pypdfium2.PdfDocument(content)
    image = document[0].render(scale=3).to_pil()
    return [result.text for result in zxingcpp.read_barcodes(image)]


@pytest.fixture
def pay_renewal(settings, django_capture_on_commit_callbacks):
    """Pay a renewal's fee through the payments app's offline demo provider; the signal runs after commit."""
    from payments.selectors import invoice_for
    from payments.services import demo_payment_complete

    settings.PAYMENTS_DEMO_PROVIDER = True

    def pay(renewal):
        invoice = invoice_for(kind="renewal", reference=renewal.payment_reference)
        with django_capture_on_commit_callbacks(execute=True):
            demo_payment_complete(invoice=invoice, actor=renewal.holder)
        renewal.refresh_from_db()
        return invoice

    return pay


@pytest.fixture
def renders(monkeypatch):
    """Records the PDF renders queued after commit instead of sending them to the broker."""
    from certificates.tasks import certificate_render_pdf

    queued: list[int] = []
    monkeypatch.setattr(certificate_render_pdf, "delay", lambda *, certificate_id: queued.append(certificate_id))
    return queued
