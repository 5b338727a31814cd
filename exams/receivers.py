"""What exams does when other apps announce something (connected in ExamsConfig.ready)."""

import logging

from exams.models import FeeKind
from exams.services import booking_mark_paid

logger = logging.getLogger(__name__)


def invoice_paid_received(sender, invoice, **kwargs) -> None:
    """payments.signals.invoice_paid: an exam or retake fee paid marks its booking paid."""
    if getattr(invoice, "kind", None) not in (FeeKind.EXAM, FeeKind.RETAKE):
        return
    prefix, _sep, booking_id = str(getattr(invoice, "reference", "")).partition(":")
    if prefix != "booking" or not booking_id.isdigit():
        logger.warning("An exam invoice with reference %r names no booking", getattr(invoice, "reference", None))
        return
    booking_mark_paid(booking_id=int(booking_id))
