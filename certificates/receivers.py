"""Listeners on other apps' signals; each app's absence is handled here, explicitly."""

import logging

logger = logging.getLogger(__name__)

RENEWAL_REFERENCE_PREFIX = "renewal:"


def connect() -> None:
    try:
        from payments.signals import invoice_paid
    except ImportError:  # without payments a renewal fee is never seen as paid: renewals wait
        logger.info("payments.signals is absent: renewal fees stay pending")
    else:
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
