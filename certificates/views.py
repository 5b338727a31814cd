"""Public verification and badges, and the holder's certificate pages; thin: parse, check, call, render."""

import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_GET, require_POST
from django_ratelimit.core import is_ratelimited
from redis.exceptions import RedisError

from accreditation.models import Level
from certificates import badges, services
from certificates.forms import PDUClaimForm, VerifyForm
from certificates.models import Certificate, CertificateKind, PDUClaimStatus, Renewal
from certificates.pdf import certificate_pdf_name
from certificates.selectors import (
    certificate_verify,
    certificates_visible_to,
    claims_of,
    claims_open_for,
    pdu_claims_visible_to,
    pdu_progress,
    renewal_possible,
    renewals_of,
)
from documents.responses import private_file_response
from ipma_portal.public_cache import public_page
from payments.selectors import invoice_for

logger = logging.getLogger(__name__)

VERIFY_RATE_GROUP = "certificates.verify"
RETRY_AFTER_SECONDS = 60


# Public verification ---------------------------------------------------------------------------


def _rate_limited(request) -> bool:
    """Count this look-up against the client's IP; while Redis is away, verification stays open."""
    try:
        return is_ratelimited(request, group=VERIFY_RATE_GROUP, key="ip", rate=settings.CERTIFICATES_VERIFY_RATE,
                              increment=True)
    except (RedisError, OSError):
        logger.warning("Rate limiting is unavailable (Redis); serving the verification anyway", exc_info=True)
        return False


def _too_many_requests(request) -> HttpResponse:
    response = render(request, "certificates/ratelimited.html", {"retry_after": RETRY_AFTER_SECONDS}, status=429)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def _no_index(response: HttpResponse) -> HttpResponse:
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@require_GET
def verify_form(request):
    form = VerifyForm(request.GET if "number" in request.GET else None)
    if form.is_valid():
        return redirect("certificates:verify_detail", number=form.cleaned_data["number"])
    return render(request, "certificates/verify_form.html", {"form": form})


@require_GET
@never_cache
def verify_detail(request, number: str):
    # Every look-up counts against the client's limit, whether its page was kept or not.
    if _rate_limited(request):
        return _too_many_requests(request)
    return _verification_page(request, number)


# A revocation, a renewal or a change of the holder's name saves the certificate or its renewal: the kept page goes.
@public_page("verify", models=["certificates.Certificate", "certificates.Renewal", "accreditation.Level"],
             day=timezone.localdate)
def _verification_page(request, number: str):
    verification = certificate_verify(number)
    if verification is None:
        return _no_index(render(request, "certificates/verify_not_found.html",
                                {"number": number, "form": VerifyForm()}, status=404))
    return _no_index(render(request, "certificates/verify_detail.html", {"verification": verification}))


# Open Badges -----------------------------------------------------------------------------------


def _badge_json(document: dict, *, status: int = 200) -> JsonResponse:
    response = JsonResponse(document, status=status, json_dumps_params={"ensure_ascii": False, "indent": 2})
    # Backpacks and verifiers fetch these from other origins.
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
@cache_control(public=True, max_age=3600)
def badge_issuer(request):
    return _badge_json(badges.issuer_profile())


def _level(code: str) -> Level:
    return get_object_or_404(Level, code=code.upper())


@require_GET
@cache_control(public=True, max_age=3600)
def badge_class(request, code: str):
    return _badge_json(badges.badge_class(_level(code)))


@require_GET
@cache_control(public=True, max_age=86400)
def badge_image(request, code: str):
    return HttpResponse(badges.badge_image_svg(_level(code)), content_type="image/svg+xml")


@require_GET
@never_cache
def badge_assertion(request, number: str):
    if _rate_limited(request):
        return _too_many_requests(request)
    certificate = get_object_or_404(
        Certificate.objects.select_related("level", "holder"), number=number.upper(), kind=CertificateKind.INDIVIDUAL
    )
    document, status = badges.badge_assertion(certificate)
    return _badge_json(document, status=status)


# The holder's pages ----------------------------------------------------------------------------


def _own_certificate(request, number: str) -> Certificate:
    """Only the holder acts on a certificate (staff read it in the admin)."""
    return get_object_or_404(Certificate.objects.select_related("level"), number=number, holder=request.user)


@login_required
def certificate_detail(request, number: str):
    certificate = get_object_or_404(certificates_visible_to(request.user), number=number,
                                    kind=CertificateKind.INDIVIDUAL)
    renewals = list(renewals_of(certificate))
    open_renewal = next((renewal for renewal in renewals if renewal.is_open), None)
    progress = pdu_progress(certificate)
    return render(request, "certificates/certificate_detail.html", {
        "certificate": certificate,
        "is_holder": certificate.holder_id == request.user.pk,
        "progress": progress,
        "claims": claims_of(certificate),
        "claims_open": claims_open_for(certificate),
        "renewals": renewals,
        "open_renewal": open_renewal,
        "can_apply": renewal_possible(certificate) and progress.met and open_renewal is None,
        "renewal_invoice_url": _invoice_url(open_renewal) if open_renewal else None,
        "linkedin_url": badges.linkedin_add_url(certificate),
        "grace_days": settings.CERTIFICATES_GRACE_DAYS,
        "in_audit": PDUClaimStatus.IN_AUDIT,
    })


@login_required
def certificate_download(request, number: str):
    certificate = get_object_or_404(certificates_visible_to(request.user), number=number)
    if not certificate.pdf:
        messages.info(request, _("The PDF of certificate %(number)s is being prepared; try again in a minute.")
                      % {"number": certificate.number})
        return redirect("applicants:dashboard")
    return private_file_response(certificate.pdf, download_name=certificate_pdf_name(certificate))


# The field each of the claim service's refusals is about.
PDU_REFUSAL_FIELDS = {"future": "activity_date", "before_period": "activity_date", "hours": "hours"}


@login_required
def pdu_claim_create(request, number: str):
    certificate = _own_certificate(request, number)
    if not claims_open_for(certificate):
        messages.error(request, _("PDUs can no longer be claimed toward this certificate."))
        return redirect("certificates:detail", number=certificate.number)
    form = PDUClaimForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            claim = services.pdu_claim_submit(certificate=certificate, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            # Shown at the field it is about (the date, the hours), else above the form.
            form.add_error(PDU_REFUSAL_FIELDS.get(getattr(error, "code", None)), error)
        else:
            if claim.status == PDUClaimStatus.IN_AUDIT:
                messages.info(request, _("Your claim was drawn for the committee's audit; its hours count once "
                                         "the committee has checked the evidence."))
            else:
                messages.success(request, _("Your claim of %(hours)s PDUs counts toward your renewal.")
                                 % {"hours": claim.hours})
            return redirect("certificates:detail", number=certificate.number)
    return render(request, "certificates/pduclaim_form.html", {"form": form, "certificate": certificate})


@login_required
@require_POST
def pdu_claim_withdraw(request, pk: int):
    claim = get_object_or_404(pdu_claims_visible_to(request.user).filter(holder=request.user), pk=pk)
    try:
        services.pdu_claim_withdraw(claim=claim, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Your claim was withdrawn."))
    return redirect("certificates:detail", number=claim.certificate.number)


@login_required
def pdu_evidence_download(request, pk: int):
    claim = get_object_or_404(pdu_claims_visible_to(request.user), pk=pk)
    return private_file_response(claim.evidence, download_name=claim.evidence_name)


def _invoice_url(renewal: Renewal) -> str | None:
    """The renewal's invoice page, once its invoice exists."""
    invoice = invoice_for(kind="renewal", reference=renewal.payment_reference)
    if invoice is None:
        return None
    try:
        return reverse("payments:invoice_detail", args=[invoice.number])
    except NoReverseMatch:
        return None


@login_required
@require_POST
def renewal_apply(request, number: str):
    certificate = _own_certificate(request, number)
    try:
        renewal = services.renewal_apply(certificate=certificate, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("certificates:detail", number=certificate.number)
    messages.success(request, _("Your renewal application is in. Pay the renewal fee and the committee reviews it."))
    return redirect(_invoice_url(renewal) or reverse("certificates:detail", args=[certificate.number]))


@login_required
@require_POST
def renewal_withdraw(request, pk: int):
    renewal = get_object_or_404(Renewal.objects.select_related("certificate"), pk=pk, holder=request.user)
    try:
        services.renewal_withdraw(renewal=renewal, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Your renewal application was withdrawn."))
    return redirect("certificates:detail", number=renewal.certificate.number)

