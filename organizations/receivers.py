"""What other apps tell this one: a programme accreditation fee paid (connected in OrganizationsConfig.ready)."""

import logging

from organizations.models.programme import PROGRAMME_FEE_KIND
from organizations.services import application_review_start

logger = logging.getLogger(__name__)
REFERENCE_PREFIX = "programme-application"


def invoice_paid_received(sender, *, invoice, **kwargs) -> None:
    """payments.signals.invoice_paid: the programme fee is paid, so the review starts (again: a no-op)."""
    if getattr(invoice, "kind", None) != PROGRAMME_FEE_KIND:
        return
    prefix, _sep, application_id = str(getattr(invoice, "reference", "")).partition(":")
    if prefix != REFERENCE_PREFIX or not application_id.isdigit():
        logger.warning("A programme accreditation invoice with reference %r names no application", invoice.reference)
        return
    application_review_start(application_id=int(application_id), actor=None)
