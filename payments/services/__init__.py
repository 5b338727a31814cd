"""Every change to invoices, payments, refunds and membership: one function per business action.

invoices (raise, void, the status moves), refunds, checkout (providers, webhooks, bank transfers)
and membership; the public names are re-exported here.
"""

from payments.services.checkout import (
    PaymentResult,
    bank_transfer_confirm,
    checkout_start,
    demo_payment_complete,
    invoice_paid_announce,
    payment_record,
)
from payments.services.invoices import (
    InvoiceLineDraft,
    invoice_raise,
    invoice_raise_for_lines,
    invoice_void,
    invoice_void_by_staff,
)
from payments.services.membership import (
    membership_end_on_refund,
    membership_purchase,
    membership_reminders_send,
    membership_upgrade_request,
)
from payments.services.refunds import (
    invoice_refund,
    refund_complete,
    refund_request,
    refund_submit,
    refunds_submit_pending,
)
from payments.services.sponsorship import (
    Sponsor,
    fee_sponsor,
    invoice_charge,
    sponsor_invoices_close,
    sponsored_invoice_release,
)

__all__ = [
    "PaymentResult", "bank_transfer_confirm", "checkout_start", "demo_payment_complete", "invoice_paid_announce",
    "InvoiceLineDraft", "invoice_raise", "invoice_raise_for_lines", "invoice_refund", "invoice_void", "invoice_void_by_staff",
    "membership_end_on_refund", "membership_purchase", "membership_reminders_send", "membership_upgrade_request", "payment_record", "refund_complete", "refund_request", "refund_submit",
    "refunds_submit_pending", "Sponsor", "fee_sponsor", "invoice_charge",
    "sponsor_invoices_close", "sponsored_invoice_release",
]
