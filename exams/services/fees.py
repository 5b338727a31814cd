"""The exam fee through the payments app's contract; while payments has not shipped a function,
the booking stands and its fee is simply not invoiced yet (never treated as paid)."""

import logging
from importlib import import_module

from exams.models import Booking

logger = logging.getLogger(__name__)


def _payments(module: str, name: str):
    try:
        return getattr(import_module(f"payments.{module}"), name, None)
    except ImportError:
        return None


def booking_invoice_raise(*, booking: Booking, actor) -> object | None:
    """Raise the exam (or retake) fee for this booking; idempotent per booking on the payments side."""
    invoice_raise = _payments("services", "invoice_raise")
    if invoice_raise is None:
        logger.info("payments.services.invoice_raise is missing; booking %s is not invoiced yet", booking.pk)
        return None
    return invoice_raise(payer=booking.candidate, kind=booking.fee_kind, reference=booking.invoice_reference,
                         level_code=booking.level.code, actor=actor)


def booking_invoice_settle_cancelled(*, booking: Booking, actor, reason: str) -> None:
    """A cancellation before the deadline: payments refunds a paid fee (and voids an unpaid invoice)."""
    invoice_refund = _payments("services", "invoice_refund")
    if invoice_refund is None:
        logger.info("payments.services.invoice_refund is missing; booking %s fee left as it is", booking.pk)
        return
    invoice_refund(kind=booking.fee_kind, reference=booking.invoice_reference, actor=actor, reason=reason)
