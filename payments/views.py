import logging

import stripe
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.http import Http404, HttpResponseBadRequest, HttpResponseNotFound, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from applicants.dashboard import person_page
from documents.responses import private_file_response
from ipma_portal.conditional import public_etag
from ipma_portal.pagination import list_page
from ipma_portal.public_cache import public_page
from payments.forms import MembershipPurchaseForm, PayForm
from payments.models import InvoiceStatus, Provider
from payments.providers import BankTransfer, DemoProvider, StripeCheckout
from payments.receipts import invoice_pdf, invoice_pdf_name
from payments.selectors import (
    FEE_TABLES,
    fee_table,
    invoices_of,
    invoices_visible_to,
    membership_next_start,
    membership_status,
    schedule_date,
)
from payments.services import (
    checkout_start,
    demo_payment_complete,
    membership_purchase,
    membership_upgrade_request,
    payment_record,
)

logger = logging.getLogger(__name__)


@public_etag(FEE_TABLES, day=schedule_date)
@public_page("fees", references=[FEE_TABLES], day=schedule_date)
def fee_list(request):
    return render(request, "payments/fee_list.html", {"table": fee_table()})


@login_required
@person_page
def invoice_list(request):
    listing = list_page(request, invoices_of(user=request.user))
    return render(request, "payments/invoice_list.html", {"listing": listing, "invoices": listing.page.object_list})


def _own_invoice(request, number: str):
    """An invoice the viewer may see (the one permission rule), else 404."""
    return get_object_or_404(invoices_visible_to(request.user), number=number)


def _payer_invoice(request, number: str):
    invoice = _own_invoice(request, number)
    if invoice.payer_id != request.user.pk:
        raise Http404
    return invoice


@login_required
def invoice_detail(request, number: str):
    invoice = _own_invoice(request, number)
    can_pay = invoice.is_payable and invoice.payer_id == request.user.pk
    return render(
        request,
        "payments/invoice_detail.html",
        {
            "invoice": invoice,
            "lines": invoice.lines.all(),
            "refund": getattr(invoice, "refund", None),
            "form": PayForm() if can_pay else None,
            "can_pay": can_pay,
            "show_bank_details": can_pay and invoice.provider == Provider.BANK_TRANSFER and BankTransfer().is_enabled(),
            "bank_details": settings.PAYMENTS_BANK_TRANSFER_DETAILS,
        },
    )


@login_required
@require_POST
def invoice_pay(request, number: str):
    invoice = _payer_invoice(request, number)
    form = PayForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose how you would like to pay."))
        return redirect("payments:invoice_detail", number=invoice.number)
    try:
        url = checkout_start(
            invoice=invoice, provider_code=form.cleaned_data["provider"], actor=request.user, request=request
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("payments:invoice_detail", number=invoice.number)
    return redirect(url)


@login_required
def invoice_pdf_download(request, number: str):
    invoice = _own_invoice(request, number)
    pdf = ContentFile(invoice_pdf(invoice), name=invoice_pdf_name(invoice))
    return private_file_response(pdf, download_name=invoice_pdf_name(invoice))


@login_required
def invoice_paid(request, number: str):
    """Where the provider sends the payer back; the webhook, not this page, marks the invoice paid."""
    invoice = _payer_invoice(request, number)
    return render(request, "payments/invoice_return.html", {"invoice": invoice, "returned": "paid"})


@login_required
def invoice_cancelled(request, number: str):
    invoice = _payer_invoice(request, number)
    return render(request, "payments/invoice_return.html", {"invoice": invoice, "returned": "cancelled"})


@login_required
def demo_checkout(request, number: str):
    if not DemoProvider().is_enabled():
        raise Http404
    invoice = _payer_invoice(request, number)
    if request.method == "POST" and invoice.status == InvoiceStatus.OPEN:
        demo_payment_complete(invoice=invoice, actor=request.user)
        return redirect("payments:invoice_paid", number=invoice.number)
    return render(request, "payments/demo_checkout.html", {"invoice": invoice})


@csrf_exempt
@require_POST
def stripe_webhook(request):
    provider = StripeCheckout()
    if not provider.is_enabled():
        return HttpResponseNotFound()
    try:
        notice = provider.webhook_notice(
            payload=request.body, signature=request.headers.get("Stripe-Signature", "")
        )
    except (stripe.SignatureVerificationError, ValueError, KeyError) as exc:
        logger.warning("Stripe webhook refused: %s", exc)
        return HttpResponseBadRequest("invalid payload or signature")
    result = payment_record(notice)
    # Flagged events are answered 200 too: Stripe retrying would not fix them; staff do.
    return JsonResponse({"received": True, "outcome": result.outcome})


def membership_detail(request):
    """Public: the benefits and plans; a signed-in person also sees their period and joins or renews."""
    signed_in = request.user.is_authenticated
    if request.method == "POST" and not signed_in:
        return redirect_to_login(request.get_full_path())
    status = membership_status(user=request.user) if signed_in else None
    form = None
    if signed_in:
        current_group = status.active.group if status.active else ""
        form = MembershipPurchaseForm(request.POST or None, initial={"group": current_group or None})
        if request.method == "POST" and form.is_valid():
            try:
                invoice = membership_purchase(
                    user=request.user, plan_code=form.cleaned_data["plan"], group=form.cleaned_data["group"]
                )
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                return redirect("payments:invoice_detail", number=invoice.number)
    return render(
        request,
        "payments/membership_detail.html",
        {
            "status": status,
            "form": form,
            "table": fee_table(),
            "renewal_starts_on": membership_next_start(user=request.user) if status and status.is_member else None,
        },
    )


@login_required
@require_POST
def membership_upgrade(request):
    try:
        invoice = membership_upgrade_request(user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("payments:membership")
    return redirect("payments:invoice_detail", number=invoice.number)
