"""Listeners on payments' signals."""

import logging

from payments.signals import invoice_paid

logger = logging.getLogger(__name__)
REFERENCE_PREFIX = "event-registration:"


def connect() -> None:
    invoice_paid.connect(invoice_paid_received, dispatch_uid="events.invoice_paid")


def invoice_paid_received(sender, invoice, **kwargs) -> None:
    """A paid event invoice confirms its registration (safe to receive twice)."""
    from events.services import registration_payment_received
    from events.services.billing import INVOICE_KIND

    if invoice.kind != INVOICE_KIND or not invoice.reference.startswith(REFERENCE_PREFIX):
        return
    try:
        registration_id = int(invoice.reference.removeprefix(REFERENCE_PREFIX))
    except ValueError:
        logger.warning("Event invoice %s has an unreadable reference %r", invoice.number, invoice.reference)
        return
    registration_payment_received(registration_id=registration_id)
