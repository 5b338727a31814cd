"""Signals other apps listen to; both are sent after the change commits, with ``invoice=Invoice``.

Listeners filter on ``invoice.kind`` and must tolerate being called again for the same invoice
(staff can re-announce a payment from the admin when a listener failed).
"""

from django.dispatch import Signal

invoice_paid = Signal()
invoice_refunded = Signal()
