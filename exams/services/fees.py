"""A booking's exam fee, through the payments app's services (exams stands above payments)."""

import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from exams.models import Booking
from payments.models import Invoice, InvoiceStatus
from payments.selectors import invoice_for
from payments.services import invoice_charge, invoice_refund, invoice_void

logger = logging.getLogger(__name__)


def booking_invoice_raise(*, booking: Booking, actor) -> Invoice:
    """Raise the exam (or retake) fee for this booking, or bill the candidate's sponsor; idempotent per booking."""
    return invoice_charge(payer=booking.candidate, kind=booking.fee_kind, reference=booking.invoice_reference,
                         level_code=booking.level.code, actor=actor)


def booking_invoice_settle_cancelled(*, booking: Booking, actor, reason: str) -> None:
    """A cancellation before the deadline: payments refunds a paid fee (and voids an unpaid invoice)."""
    invoice_refund(kind=booking.fee_kind, reference=booking.invoice_reference, actor=actor, reason=reason)


def booking_invoice_void_unpaid(*, booking: Booking) -> bool:
    """Void the booking's open fee invoice because it went unpaid; False when there is none open
    (paid meanwhile, or never raised), and then the seat stays."""
    invoice = invoice_for(kind=booking.fee_kind, reference=booking.invoice_reference)
    if invoice is None or invoice.status != InvoiceStatus.OPEN:
        return False
    try:
        invoice = invoice_void(
            kind=booking.fee_kind, reference=booking.invoice_reference, actor=None,
            note=_("Unpaid after %(hours)s hours: voided and the seat released.")
            % {"hours": settings.PAYMENTS_EXAM_UNPAID_RELEASE_HOURS},
        )
    except ValidationError:  # paid between the look and the lock
        logger.info("Booking %s was paid while its seat was being released; it keeps the seat", booking.pk)
        return False
    return invoice is not None and invoice.status == InvoiceStatus.VOID

