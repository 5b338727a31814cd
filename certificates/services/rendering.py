"""Rendering and storing certificate PDFs; a missing PDF is always re-rendered, never the certificate lost."""

import datetime
import logging
from functools import partial

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from certificates.models import Certificate
from certificates.pdf import certificate_pdf, certificate_pdf_name
from documents.storage import private_storage

logger = logging.getLogger(__name__)

# A certificate committed this long ago without a PDF is the sweep's (its own task had time to run).
SWEEP_AFTER = datetime.timedelta(minutes=5)


def _delete_file(name: str) -> None:
    try:
        private_storage.delete(name)
    except OSError:
        logger.warning("Could not delete the replaced certificate PDF %s", name, exc_info=True)


def certificate_render(*, certificate_id: int) -> bool:
    """Render and store the certificate's PDF; False if it is gone or another worker is rendering it.

    The row stays locked while rendering, so a redelivered task and the sweep never store two files.
    """
    with transaction.atomic():
        certificate = (
            Certificate.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("level")
            .filter(pk=certificate_id)
            .first()
        )
        if certificate is None:
            return False
        content = certificate_pdf(certificate)
        replaced = certificate.pdf.name
        certificate.pdf.save(certificate_pdf_name(certificate), ContentFile(content), save=False)
        certificate.pdf_rendered_at = timezone.now()
        certificate.save(update_fields=["pdf", "pdf_rendered_at"])
        if replaced:
            transaction.on_commit(partial(_delete_file, replaced))
    return True


def certificates_render_missing(*, limit: int = 100) -> int:
    """The sweep: render PDFs that never arrived (the broker was down, or every retry failed)."""
    cutoff = timezone.now() - SWEEP_AFTER
    missing = list(
        Certificate.objects.without_pdf().filter(created_at__lte=cutoff).order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )
    rendered = 0
    for certificate_id in missing:
        try:
            rendered += certificate_render(certificate_id=certificate_id)
        except Exception:
            logger.exception("Rendering the PDF of certificate %s failed; the next sweep tries again", certificate_id)
    return rendered


def certificate_render_enqueue(*, certificate_ids: list[int]) -> int:
    """Queue fresh renders (the admin's action); while the broker is away they are rendered here instead,
    since the sweep only picks up certificates that have no PDF at all."""
    from certificates.tasks import certificate_render_pdf

    queued = 0
    for certificate_id in certificate_ids:
        try:
            certificate_render_pdf.delay(certificate_id=certificate_id)
        except Exception:
            logger.warning("Broker unavailable: rendering certificate %s in this process", certificate_id)
            certificate_render(certificate_id=certificate_id)
        queued += 1
    return queued
