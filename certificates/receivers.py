"""Listeners on lower apps' signals, connected in ``CertificatesConfig.ready``."""

import logging

from payments.signals import invoice_paid

logger = logging.getLogger(__name__)

RENEWAL_REFERENCE_PREFIX = "renewal:"


def connect() -> None:
    invoice_paid.connect(invoice_paid_received, dispatch_uid="certificates.invoice_paid")


def invoice_paid_received(sender, invoice, **kwargs) -> None:
    """A paid renewal fee sends the renewal to the committee (safe to receive twice)."""
    if invoice.kind != "renewal" or not invoice.reference.startswith(RENEWAL_REFERENCE_PREFIX):
        return
    from certificates.services import renewal_fee_paid

    try:
        renewal_id = int(invoice.reference.removeprefix(RENEWAL_REFERENCE_PREFIX))
    except ValueError:
        logger.warning("Renewal invoice %s has an unreadable reference %r", invoice.number, invoice.reference)
        return
    renewal_fee_paid(renewal_id=renewal_id)
