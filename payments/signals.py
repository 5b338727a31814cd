"""Signals other apps listen to; both are sent after the change commits, with ``invoice=Invoice``.

Listeners filter on ``invoice.kind`` and must tolerate being called again for the same invoice
(staff can re-announce a payment from the admin when a listener failed).
"""

from django.dispatch import Signal

invoice_paid = Signal()
invoice_refunded = Signal()

# Asked before a person's fee is invoiced: "does someone else pay this?" Sent with ``person`` (a user) and
# ``kind`` (an InvoiceKind); a receiver answers with a ``payments.services.sponsorship.Sponsor`` or None.
fee_sponsor_requested = Signal()
