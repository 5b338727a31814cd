"""Pages of the training finder (public, and a signed-in person's place requests), a QTSP's public status,
and the QTSP portal's pages for place requests, programme review, re-approval and the QTSP mark."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ipma_portal.public_cache import public_page
from partners import finder, selectors
from partners.filters import TrainingFilter
from partners.forms import DeclineForm, PlaceRequestForm, ReapprovalForm, SyllabusForm
from partners.models import QTSP, Cohort, PlaceRequest
from partners.portal import portal_view
from partners.services.place_requests import (
    place_request_accept,
    place_request_create,
    place_request_decline,
    place_request_withdraw,
)
from partners.services.programme_review import programme_submit, syllabus_save
from partners.services.terms import reapproval_submit

# ---- public ------------------------------------------------------------------------------------------


@public_page("training", models=[
    "partners.QTSP", "partners.TrainingProgramme", "partners.Cohort", "partners.Enrolment", "partners.PlaceRequest",
    "accreditation.Level",
])
def training_finder(request):
    """Upcoming cohorts of approved programmes, filterable by level, country, language and format."""
    filterset = TrainingFilter(request.GET or None, queryset=finder.finder_cohorts())
    return render(request, "partners/training_finder.html", {"filter": filterset, "cohorts": list(filterset.qs)})


def training_cohort(request, pk: int):
    try:
        cohort = finder.finder_cohort(pk=pk)
    except Cohort.DoesNotExist as exc:
        raise Http404 from exc
    form = PlaceRequestForm(request.POST or None)
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(f"{reverse('account_login')}?next={request.path}")
        if form.is_valid():
            try:
                place_request_create(cohort=cohort, person=request.user, consent=form.cleaned_data["consent"],
                                     message=form.cleaned_data["message"])
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Your request was sent to %(qtsp)s. You will hear from them by email.")
                                 % {"qtsp": cohort.programme.qtsp.name})
                return redirect("partners:my_place_requests")
    return render(request, "partners/training_cohort.html", {"cohort": cohort, "form": form},
                  status=400 if form.errors else 200)


@login_required
def my_place_requests(request):
    return render(request, "partners/place_requests_mine.html",
                  {"place_requests": finder.place_requests_of(user=request.user)})


@require_POST
@login_required
def my_place_request_withdraw(request, pk: int):
    place_request = get_object_or_404(finder.place_requests_of(user=request.user), pk=pk)
    try:
        place_request_withdraw(place_request=place_request, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Your request was withdrawn."))
    return redirect("partners:my_place_requests")


def qtsp_status(request, pk: int):
    """Anyone can check whether a QTSP is approved now, and until when (the mark links here)."""
    try:
        qtsp = finder.qtsp_public_status(pk=pk)
    except QTSP.DoesNotExist as exc:
        raise Http404 from exc
    return render(request, "partners/qtsp_status.html", {"qtsp": qtsp, "in_term": finder.qtsp_in_term(qtsp)})


# ---- the QTSP portal ---------------------------------------------------------------------------------


def _qtsp(request, qtsp_id: int) -> QTSP:
    return get_object_or_404(selectors.qtsps_for_staff(request.user), pk=qtsp_id)


def _context(request, qtsp, **extra) -> dict:
    return {"qtsp": qtsp, "role": selectors.staff_role(user=request.user, qtsp=qtsp), **extra}


@portal_view
def place_requests(request, qtsp_id: int):
    qtsp = _qtsp(request, qtsp_id)
    return render(request, "partners/portal_place_requests.html", _context(
        request, qtsp, place_requests=finder.place_requests_for_qtsp(qtsp=qtsp), decline_form=DeclineForm()))


def _staff_request(request, pk: int) -> PlaceRequest:
    return get_object_or_404(PlaceRequest.objects.filter(cohort__programme__qtsp__in=selectors.qtsps_for_staff(
        request.user)).select_related("cohort__programme__qtsp", "person"), pk=pk)


@require_POST
@portal_view
def place_request_answer(request, pk: int, answer: str):
    place_request = _staff_request(request, pk)
    try:
        if answer == "accept":
            place_request_accept(place_request=place_request, actor=request.user)
            messages.success(request, _("%(name)s is enrolled on the cohort.")
                             % {"name": place_request.person.full_name or place_request.person.email})
        else:
            form = DeclineForm(request.POST)
            note = form.cleaned_data["note"] if form.is_valid() else ""
            place_request_decline(place_request=place_request, actor=request.user, note=note)
            messages.success(request, _("The request was declined."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("partners:place_requests", qtsp_id=place_request.cohort.programme.qtsp_id)


@portal_view
def programme_syllabus(request, pk: int):
    programme = get_object_or_404(selectors.programmes_for_staff(request.user), pk=pk)
    form = SyllabusForm(request.POST or None, programme=programme)
    if request.method == "POST" and form.is_valid():
        try:
            syllabus_save(programme=programme, actor=request.user, hours_by_topic=form.hours_by_topic())
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The syllabus was saved."))
            return redirect("partners:programme_detail", pk=programme.pk)
    return render(request, "partners/programme_syllabus.html",
                  _context(request, programme.qtsp, programme=programme, form=form))


@require_POST
@portal_view
def programme_send(request, pk: int):
    programme = get_object_or_404(selectors.programmes_for_staff(request.user), pk=pk)
    try:
        programme_submit(programme=programme, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The programme was sent to the committee for review."))
    return redirect("partners:programme_detail", pk=programme.pk)


@portal_view
def reapproval(request, qtsp_id: int):
    qtsp = _qtsp(request, qtsp_id)
    if not selectors.is_owner(user=request.user, qtsp=qtsp):
        raise PermissionDenied
    form = ReapprovalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            reapproval_submit(qtsp=qtsp, actor=request.user, statement=form.cleaned_data["statement"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Your re-approval application was sent to the committee."))
            return redirect("partners:portal_home", qtsp_id=qtsp.pk)
    return render(request, "partners/reapproval_form.html", _context(
        request, qtsp, form=form, open_reapproval=qtsp.reapprovals.filter(status="submitted").first()))


@portal_view
def qtsp_mark(request, qtsp_id: int):
    """The QTSP mark (SVG), only while the QTSP is approved and within its term."""
    qtsp = _qtsp(request, qtsp_id)
    if not finder.qtsp_in_term(qtsp):
        raise Http404
    svg = render_to_string("partners/qtsp_mark.svg", {
        "qtsp": qtsp, "year": timezone.localdate().year,
        "status_url": request.build_absolute_uri(reverse("partners:qtsp_status", kwargs={"pk": qtsp.pk})),
    })
    response = HttpResponse(svg, content_type="image/svg+xml")
    response["Content-Disposition"] = f'attachment; filename="ipma-qtsp-{qtsp.pk}.svg"'
    response["Cache-Control"] = "private, no-store"
    return response

