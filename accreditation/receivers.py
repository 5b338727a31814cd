"""What other apps tell accreditation: an exam passed, an accreditation fee paid.

Connected in ``AccreditationConfig.ready`` when the sending app provides its signal.
"""

import logging

from accreditation.selectors import contract

logger = logging.getLogger(__name__)


def exam_passed_received(sender, *, candidate, level_code: str, result=None, **kwargs) -> None:
    from accreditation.services import application_exam_passed

    application_exam_passed(candidate=candidate, level_code=level_code)


def invoice_paid_received(sender, *, invoice, **kwargs) -> None:
    if getattr(invoice, "kind", None) != "accreditation":
        return
    from accreditation.services import application_payment_received

    application_payment_received(reference=invoice.reference)


def receivers_connect() -> list[str]:
    """Listen to the signals that exist; returns which ones, for the log."""
    connected = []
    if (signal := contract("exams.signals", "exam_passed")) is not None:
        signal.connect(exam_passed_received, dispatch_uid="accreditation.exam_passed")
        connected.append("exams.signals.exam_passed")
    if (signal := contract("payments.signals", "invoice_paid")) is not None:
        signal.connect(invoice_paid_received, dispatch_uid="accreditation.invoice_paid")
        connected.append("payments.signals.invoice_paid")
    return connected
