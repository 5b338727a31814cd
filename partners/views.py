
from functools import lru_cache
from urllib.parse import urlencode

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_form
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from applicants.dashboard import person_page
from documents.responses import private_file_response
from ipma_portal.pagination import PAGE_SIZE, ListPage
from ipma_portal.public_cache import public_page
from partners import selectors, services
from partners.filters import DirectoryFilter
from partners.forms import (
    CohortForm,
    EnrolmentRecordForm,
    ProgrammeForm,
    QTSPApplicationForm,
    RosterImportForm,
    TraineeAddForm,
)
from partners.models import QTSP, QTSPDocument
from partners.places import city_names
from partners.portal import portal_view
from partners.services.programme_review import EDITABLE_STATUSES, submission_problems

# ---- public pages ----------------------------------------------------------------------------------


@public_page("partners", models=["partners.QTSP", "partners.TrainingProgramme", "accreditation.Level"])
def directory(request):
    """Approved QTSPs by country and city, with the levels they train; filterable."""
    filterset = DirectoryFilter(request.GET or None, queryset=selectors.directory_qtsps())
    qtsps = list(filterset.qs)
    return render(request, "partners/qtsp_directory.html", {"filter": filterset, "qtsps": qtsps})


def qtsp_public(request, pk: int):
    try:
        qtsp = selectors.public_qtsp(pk=pk)
    except QTSP.DoesNotExist as exc:
        raise Http404 from exc
    return render(request, "partners/qtsp_detail.html", {"qtsp": qtsp})


@require_GET
def city_suggestions(request):
    """Cities of a country matching what was typed, from the offline gazetteer (for the city fields' suggestions)."""
    country, typed = request.GET.get("country", "")[:2], request.GET.get("q", "").strip()[:100]
    names = city_names(country, typed, limit=15) if country and typed else []
    response = JsonResponse({"cities": names})
    response["Cache-Control"] = "public, max-age=86400"
    return response


@login_required
def qtsp_apply(request):
    form = QTSPApplicationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.qtsp_apply(
                actor=request.user, levels=form.cleaned_data["levels"], documents=form.cleaned_data["documents"],
                **form.service_fields(),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Your application was received. The committee will write to you at %(email)s.")
                             % {"email": form.cleaned_data["contact_email"]})
            return redirect("applicants:dashboard")
    return render(request, "partners/qtsp_form.html", {"form": form})


@login_required
def document_download(request, pk: int):
    """A QTSP's supporting document: for the committee and for that QTSP's own people."""
    document = get_object_or_404(QTSPDocument.objects.select_related("qtsp"), pk=pk)
    user = request.user
    allowed = (
        (user.is_staff and user.has_perm("partners.view_qtspdocument"))
        or document.qtsp.applied_by_id == user.pk
        or selectors.qtsp_is_staffed_by(qtsp_id=document.qtsp_id, user=user)
    )
    if not allowed:
        raise Http404
    return private_file_response(document.file, download_name=document.original_name)


# ---- the QTSP portal ---------------------------------------------------------------------------------


def _qtsp(request, qtsp_id: int):
    return get_object_or_404(selectors.qtsps_for_staff(request.user), pk=qtsp_id)


def _portal_context(request, qtsp, **extra) -> dict:
    return {"qtsp": qtsp, "role": selectors.staff_role(user=request.user, qtsp=qtsp), **extra}


@portal_view
def portal(request):
    qtsps = list(selectors.qtsps_for_staff(request.user).order_by("name"))
    if len(qtsps) == 1:
        return redirect("partners:portal_home", qtsp_id=qtsps[0].pk)
    return render(request, "partners/portal_list.html", {"qtsps": qtsps})


@portal_view
def portal_home(request, qtsp_id: int):
    qtsp = _qtsp(request, qtsp_id)
    return render(request, "partners/portal_home.html",
                  _portal_context(request, qtsp, programmes=selectors.portal_programmes(qtsp=qtsp)))


def _programme_form_view(request, qtsp, programme=None):
    form = ProgrammeForm(request.POST or None, qtsp=qtsp, instance=programme)
    if request.method == "POST" and form.is_valid():
        try:
            programme = services.programme_save(
                qtsp=qtsp, actor=request.user, programme=programme,
                **{name: form.cleaned_data[name] for name in ProgrammeForm.Meta.fields},
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The programme was saved."))
            return redirect("partners:programme_detail", pk=programme.pk)
    return render(request, "partners/programme_form.html", _portal_context(request, qtsp, form=form, programme=programme))


@portal_view
def programme_create(request, qtsp_id: int):
    return _programme_form_view(request, _qtsp(request, qtsp_id))


@portal_view
def programme_edit(request, pk: int):
    programme = get_object_or_404(selectors.programmes_for_staff(request.user), pk=pk)
    return _programme_form_view(request, programme.qtsp, programme)


@portal_view
def programme_detail(request, pk: int):
    programme = get_object_or_404(selectors.programmes_for_staff(request.user), pk=pk)
    cohorts = programme.cohorts.order_by("starts_on", "pk")
    editable = programme.status in EDITABLE_STATUSES
    last_event = programme.events.exclude(note="").order_by("-created_at", "-pk").first()
    return render(request, "partners/programme_detail.html", _portal_context(
        request, programme.qtsp, programme=programme, cohorts=cohorts, editable=editable,
        problems=submission_problems(programme) if editable else [],
        last_note=last_event.note if last_event else "",
    ))


def _cohort_form_view(request, programme, cohort=None):
    form = CohortForm(request.POST or None, instance=cohort)
    if request.method == "POST" and form.is_valid():
        try:
            cohort = services.cohort_save(
                programme=programme, actor=request.user, cohort=cohort,
                **{name: form.cleaned_data[name] for name in CohortForm.Meta.fields},
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The cohort was saved."))
            return redirect("partners:cohort_detail", pk=cohort.pk)
    return render(request, "partners/cohort_form.html",
                  _portal_context(request, programme.qtsp, form=form, programme=programme, cohort=cohort))


@portal_view
def cohort_create(request, pk: int):
    programme = get_object_or_404(selectors.programmes_for_staff(request.user), pk=pk)
    return _cohort_form_view(request, programme)


@portal_view
def cohort_edit(request, pk: int):
    cohort = get_object_or_404(selectors.cohorts_for_staff(request.user), pk=pk)
    return _cohort_form_view(request, cohort.programme, cohort)


@lru_cache(maxsize=8)
def _blank_roster_forms(language: str) -> tuple[str, str]:
    """The empty add and import forms as crispy renders them: once per process and language (nothing in them varies)."""
    return as_crispy_form(TraineeAddForm()), as_crispy_form(RosterImportForm())


def _roster_place(query) -> str:
    """The roster's search and page from ``query``, as a query string: where a trainee's Record or Withdraw returns."""
    search = query.get("q", "").strip()[:100]
    page = query.get("page", "")
    return urlencode({**({"q": search} if search else {}),
                      **({"page": page} if page.isdigit() and 1 < int(page) < 100_000 else {})})


def _back_to_roster(request, cohort_id: int):
    place = _roster_place(request.GET)
    return redirect(reverse("partners:cohort_detail", args=[cohort_id]) + (f"?{place}" if place else ""))


def _roster_page(request, cohort, *, add_form=None, import_form=None, import_errors=(), status=200):
    # A cohort may hold hundreds of trainees: one page of them at a time, searchable by name or address.
    search = request.GET.get("q", "").strip()[:100]
    page = Paginator(selectors.roster(cohort=cohort, search=search), PAGE_SIZE).get_page(request.GET.get("page"))
    place = urlencode({**({"q": search} if search else {}), **({"page": page.number} if page.number > 1 else {})})
    blank_add, blank_import = _blank_roster_forms(get_language())
    return render(request, "partners/cohort_detail.html", _portal_context(
        request, cohort.programme.qtsp, cohort=cohort, programme=cohort.programme,
        enrolments=page.object_list, page=page, search=search, roster_place=f"?{place}" if place else "",
        listing=ListPage(page=page, query=urlencode({"q": search}) if search else ""),
        # A form sent back with its errors is rendered for this request; an empty one comes from the cache.
        add_form_html=as_crispy_form(add_form) if add_form else blank_add,
        import_form_html=as_crispy_form(import_form) if import_form else blank_import,
        import_errors=import_errors,
    ), status=status)


@portal_view
@person_page(scopes=lambda request, pk: [f"cohort:{pk}"])
def cohort_detail(request, pk: int):
    return _roster_page(request, get_object_or_404(selectors.cohorts_for_staff(request.user), pk=pk))


@require_POST
@portal_view
def trainee_add(request, pk: int):
    cohort = get_object_or_404(selectors.cohorts_for_staff(request.user), pk=pk)
    form = TraineeAddForm(request.POST)
    if form.is_valid():
        try:
            enrolment = services.enrolment_add(cohort=cohort, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("%(email)s was invited to the roster; the record counts once they accept.")
                             % {"email": enrolment.email})
            return redirect("partners:cohort_detail", pk=cohort.pk)
    return _roster_page(request, cohort, add_form=form, status=400)


@require_POST
@portal_view
def roster_import(request, pk: int):
    cohort = get_object_or_404(selectors.cohorts_for_staff(request.user), pk=pk)
    form = RosterImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _roster_page(request, cohort, import_form=form, status=400)
    try:
        result = services.roster_import(cohort=cohort, content=form.cleaned_data["file"].read(), actor=request.user)
    except ValidationError as exc:
        return _roster_page(request, cohort, import_errors=[(None, message) for message in exc.messages], status=400)
    if not result.ok:
        messages.error(request, _("Nothing was imported: correct the rows below and import the file again."))
        return _roster_page(request, cohort, import_errors=result.errors, status=400)
    messages.success(request, ngettext("%(count)s trainee was added to the roster.",
                                       "%(count)s trainees were added to the roster.", len(result.added))
                     % {"count": len(result.added)})
    return redirect("partners:cohort_detail", pk=cohort.pk)


@require_POST
@login_required
def enrolment_accept(request, pk: int):
    """The invited person accepts a roster invitation from their dashboard."""
    enrolment = get_object_or_404(selectors.enrolment_invitations(user=request.user), pk=pk)
    try:
        services.enrolment_accept(enrolment=enrolment, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("You are on the roster of %(title)s.") % {"title": enrolment.cohort.programme.title})
    return redirect("applicants:dashboard")


@portal_view
def roster_export(request, pk: int):
    cohort = get_object_or_404(selectors.cohorts_for_staff(request.user), pk=pk)
    response = HttpResponse(services.roster_csv(cohort=cohort), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="roster-cohort-{cohort.pk}.csv"'
    response["Cache-Control"] = "private, no-store"
    return response


@portal_view
def enrolment_record(request, pk: int):
    enrolment = get_object_or_404(selectors.enrolments_for_staff(request.user), pk=pk)
    outcome = services.Outcome.IN_TRAINING
    if enrolment.passed is not None:
        outcome = services.Outcome.PASSED if enrolment.passed else services.Outcome.FAILED
    form = EnrolmentRecordForm(request.POST or None, initial={
        "attended_hours": enrolment.attended_hours, "attended_days": enrolment.attended_days,
        "outcome": outcome, "completed_on": enrolment.completed_on,
    })
    if request.method == "POST" and form.is_valid():
        try:
            services.enrolment_record(enrolment=enrolment, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The record of %(name)s was saved.") % {"name": enrolment.display_name})
            return _back_to_roster(request, enrolment.cohort_id)
    place = _roster_place(request.GET)
    return render(request, "partners/enrolment_form.html", _portal_context(
        request, enrolment.cohort.programme.qtsp, enrolment=enrolment, cohort=enrolment.cohort,
        programme=enrolment.cohort.programme, form=form, roster_place=f"?{place}" if place else "",
    ))


@require_POST
@portal_view
def enrolment_withdraw(request, pk: int):
    enrolment = get_object_or_404(selectors.enrolments_for_staff(request.user), pk=pk)
    try:
        services.enrolment_withdraw(enrolment=enrolment, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("%(name)s was withdrawn; the place is free again.") % {"name": enrolment.display_name})
    return _back_to_roster(request, enrolment.cohort_id)

