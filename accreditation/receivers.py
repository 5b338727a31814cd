"""What lower apps tell accreditation by signal: an accreditation fee paid (payments).

Connected in ``AccreditationConfig.ready``. Exams, above accreditation, calls its services directly
(``application_exam_passed``, ``application_lapse``) instead.
"""

from payments.signals import invoice_paid


def invoice_paid_received(sender, *, invoice, **kwargs) -> None:
    if getattr(invoice, "kind", None) != "accreditation":
        return
    from accreditation.services import application_payment_received

    application_payment_received(reference=invoice.reference)


def receivers_connect() -> None:
    invoice_paid.connect(invoice_paid_received, dispatch_uid="accreditation.invoice_paid")
