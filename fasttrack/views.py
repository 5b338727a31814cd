from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from documents.responses import private_file_response
from fasttrack import selectors, services
from fasttrack.forms import ApplicationForm, EnrolForm, ReferralAnswerForm, claim_forms
from fasttrack.models import FastTrackApplication, ProofDocument, Referral
from fasttrack.requirements import REQUIREMENTS
from partners import selectors as partners_selectors
from partners.portal import portal_view

# ---- public page and the applicant's side --------------------------------------------------------------


def fast_track(request):
    """What the fast track is, who may apply, and the button that starts an application."""
    application = selectors.application_current(user=request.user)
    return render(request, "fasttrack/fasttrack_overview.html", {
        "requirements": REQUIREMENTS, "application": application,
        # A withdrawn or rejected application is history: the person may start a new one.
        "application_closed": application is not None and application.status in FastTrackApplication.CLOSED,
    })


@require_POST
@login_required
def application_start(request):
    services.application_start(applicant=request.user)
    return redirect("fasttrack:application")


def _current_or_404(request) -> FastTrackApplication:
    application = selectors.application_current(user=request.user)
    if application is None:
        raise Http404
    return selectors.application_with_claims(pk=application.pk, user=request.user)


@login_required
def application(request):
    """The draft form while the application is editable; its status and pre-screen once submitted."""
    current = selectors.application_current(user=request.user)
    if current is None:
        return redirect("fasttrack:overview")
    application = selectors.application_with_claims(pk=current.pk, user=request.user)
    if not application.is_editable:
        return render(request, "fasttrack/application_detail.html", {
            "application": application, "referral": selectors.live_referral(application),
            "groups": selectors.requirement_rows(application, application.prescreen or None),
            "events": application.events.select_related("actor"),
            "exam_ready": selectors.fasttrack_exam_ready(user=request.user),
        })
    data, files = (request.POST, request.FILES) if request.method == "POST" else (None, None)
    form = ApplicationForm(data, files, instance=application)
    groups = claim_forms(application, data, files)
    all_claim_forms = [claim_form for _group, _all, forms in groups for claim_form in forms]
    if request.method == "POST" and form.is_valid() and all(f.is_valid() for f in all_claim_forms):
        try:
            with transaction.atomic():
                services.application_update(
                    application=application, actor=request.user,
                    country=form.cleaned_data["country"], city=form.cleaned_data["city"],
                    latitude=form.located.latitude, longitude=form.located.longitude, cv=form.cleaned_data["cv"],
                    claims={f.rule.criterion.value: f.cleaned_data for f in all_claim_forms},
                    proofs={f.rule.criterion.value: f.cleaned_data.get("proofs") or [] for f in all_claim_forms},
                )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if "review" in request.POST:
                return redirect("fasttrack:application_review")
            messages.success(request, _("Your draft was saved."))
            return redirect("fasttrack:application")
    return render(request, "fasttrack/application_form.html", {
        "application": application, "form": form, "groups": groups,
    })


@login_required
def application_review(request):
    """The pre-screen before submitting: which groups look met. The committee decides, not this page."""
    application = _current_or_404(request)
    if not application.is_editable:
        return redirect("fasttrack:application")
    if request.method == "POST":
        try:
            services.application_submit(application=application, actor=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Your application was submitted to the accreditation committee."))
            return redirect("fasttrack:application")
    result = selectors.application_prescreen(application)
    return render(request, "fasttrack/application_review.html", {
        "application": application, "prescreen": result, "groups": selectors.requirement_rows(application, result),
    })


@require_POST
@login_required
def proof_delete(request, pk: int):
    proof = get_object_or_404(ProofDocument.objects.select_related("claim__application"), pk=pk,
                              claim__application__applicant=request.user)
    try:
        services.proof_remove(proof=proof, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("%(name)s was removed.") % {"name": proof.original_name})
    return redirect("fasttrack:application")


@require_POST
@login_required
def application_withdraw(request):
    application = _current_or_404(request)
    try:
        services.application_withdraw(application=application, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Your fast-track application was withdrawn."))
    return redirect("fasttrack:overview")


@login_required
def cv_download(request, pk: int):
    application = get_object_or_404(selectors.applications_visible_to(request.user), pk=pk)
    if not application.cv:
        raise Http404
    return private_file_response(application.cv, download_name=application.cv_name or "cv")


@login_required
def proof_download(request, pk: int):
    proof = get_object_or_404(
        ProofDocument.objects.filter(claim__application__in=selectors.applications_visible_to(request.user)), pk=pk
    )
    return private_file_response(proof.file, download_name=proof.original_name)


# ---- the QTSP portal: referrals ---------------------------------------------------------------------------


@portal_view
def referrals(request):
    return render(request, "fasttrack/referral_list.html", {
        "referrals": selectors.referrals_for_staff(request.user).order_by("status", "-offered_at"),
    })


def _referral(request, pk: int) -> Referral:
    return get_object_or_404(selectors.referrals_for_staff(request.user), pk=pk)


@portal_view
def referral_detail(request, pk: int):
    referral = _referral(request, pk)
    context = {"referral": referral, "application": None}
    if referral.status in Referral.LIVE:
        # The candidate's file is open to the QTSP only while the referral is live (see applications_visible_to).
        application = selectors.application_with_claims(pk=referral.application_id, user=request.user)
        context.update(
            application=application, groups=selectors.requirement_rows(application),
            answer_form=ReferralAnswerForm(),
            enrol_form=EnrolForm(cohorts=partners_selectors.fasttrack_cohorts(qtsp=referral.qtsp)),
            # Also before the candidate accepts the roster invitation (then only the address links it).
            enrolments=partners_selectors.enrolments_for_staff(request.user).filter(
                Q(trainee=application.applicant) | Q(trainee__isnull=True, email__iexact=application.applicant.email),
                cohort__programme__is_fasttrack=True,
            ),
        )
    return render(request, "fasttrack/referral_detail.html", context)


@require_POST
@portal_view
def referral_answer(request, pk: int, answer: str):
    referral = _referral(request, pk)
    form = ReferralAnswerForm(request.POST)
    form.is_valid()
    service = {"accept": services.referral_accept, "decline": services.referral_decline}.get(answer)
    if service is None:
        raise Http404
    try:
        service(referral=referral, actor=request.user, note=form.cleaned_data.get("note", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("You accepted the candidate; they were told you will contact them.")
                         if answer == "accept" else _("You declined; the committee will refer the candidate elsewhere."))
    return redirect("fasttrack:referral_detail", pk=referral.pk)


@require_POST
@portal_view
def referral_enrol(request, pk: int):
    referral = _referral(request, pk)
    form = EnrolForm(request.POST, cohorts=partners_selectors.fasttrack_cohorts(qtsp=referral.qtsp))
    if not form.is_valid():
        messages.error(request, _("Choose one of your fast-track cohorts with places left."))
        return redirect("fasttrack:referral_detail", pk=referral.pk)
    try:
        services.candidate_enrol(referral=referral, cohort=form.cleaned_data["cohort"], actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The candidate is on the roster of %(cohort)s.") % {"cohort": form.cleaned_data["cohort"]})
    return redirect("fasttrack:referral_detail", pk=referral.pk)
