"""What other apps tell this one: a programme accreditation fee paid (connected in OrganizationsConfig.ready)."""

import logging

from organizations.contracts import PROGRAMME_FEE_KIND

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
    from organizations.services import application_review_start

    application_review_start(application_id=int(application_id), actor=None)


def receivers_connect() -> list[str]:
    """Listen to the signals that exist; returns which ones."""
    try:
        from payments.signals import invoice_paid
    except ImportError:
        logger.warning("payments is not installed: programme applications wait in 'submitted' until it is")
        return []
    invoice_paid.connect(invoice_paid_received, dispatch_uid="organizations.invoice_paid")
    return ["payments.signals.invoice_paid"]
