"""The invoice / receipt PDF, rendered by WeasyPrint from ``templates/payments/invoice_receipt.html``."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from documents.pdf import html_to_pdf
from payments.models import Invoice, InvoiceStatus


def invoice_pdf(invoice: Invoice, *, language: str | None = None) -> bytes:
    """A one-page PDF: a receipt once paid, otherwise the invoice with how to pay it."""
    with translation.override(language or invoice.payer.preferred_language or translation.get_language()):
        html = render_to_string(
            "payments/invoice_receipt.html",
            {
                "invoice": invoice,
                "lines": list(invoice.lines.all()),
                "is_receipt": invoice.status in (InvoiceStatus.PAID, InvoiceStatus.REFUNDED),
                "refund": getattr(invoice, "refund", None),
                "bank_details": settings.PAYMENTS_BANK_TRANSFER_DETAILS,
                "site_url": settings.SITE_URL,
                "body_name": settings.BODY_NAME,
            },
        )
    return html_to_pdf(html, base_url=str(settings.BASE_DIR))


def invoice_pdf_name(invoice: Invoice) -> str:
    prefix = "receipt" if invoice.status in (InvoiceStatus.PAID, InvoiceStatus.REFUNDED) else "invoice"
    return f"{prefix}-{invoice.number}.pdf"
