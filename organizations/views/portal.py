"""The organization portal: registration, staff, programme applications, conditions and annual reports.

Every page looks its objects up through ``selectors.applications_for_staff`` / ``organizations_for_staff``:
someone not on the organization's staff gets a 404, whoever they are.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from documents.responses import private_file_response
from organizations import selectors, services
from organizations.forms import (
    AnnualReportForm,
    ApplicationForm,
    ConditionAnswerForm,
    DocumentForm,
    MentorAcceptForm,
    MentorForm,
    OrganizationForm,
    ProgrammeStartForm,
)
from organizations.models import (
    AccreditedMentor,
    AnnualReport,
    ApplicationDocument,
    ApplicationKind,
    Condition,
    ConditionStatus,
    DocumentKind,
    ProgrammeApplication,
)
from organizations.staff import ROLE_LABELS


def _organization(request, pk: int):
    return get_object_or_404(selectors.organizations_for_staff(request.user), pk=pk)


def _application(request, pk: int) -> ProgrammeApplication:
    return get_object_or_404(selectors.applications_for_staff(request.user), pk=pk)


def _require_owner(request, organization) -> None:
    """Staff who are not owners know the organization exists: they are told no (403), not "not found"."""
    if not selectors.is_owner(user=request.user, organization=organization):
        raise PermissionDenied


def _error(request, exc: ValidationError) -> None:
    messages.error(request, " ".join(exc.messages))


# ---- organizations ------------------------------------------------------------------------------------


@login_required
def home(request):
    return render(request, "organizations/organization_list.html",
                  {"organizations": selectors.portal_organizations(user=request.user)})


@login_required
def organization_register(request):
    form = OrganizationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        organization = services.organization_register(actor=request.user, **form.cleaned_data)
        messages.success(request, _("%(name)s is registered, with you as its owner.") % {"name": organization})
        return redirect("organizations:detail", pk=organization.pk)
    return render(request, "organizations/organization_form.html", {"form": form})


@login_required
def organization_detail(request, pk: int):
    organization = _organization(request, pk)
    programmes = organization.programmes.prefetch_related("applications").order_by("name")
    return render(request, "organizations/organization_detail.html", {
        "organization": organization, "programmes": programmes,
        "role": selectors.staff_role(user=request.user, organization=organization), "role_labels": ROLE_LABELS,
    })


@login_required
def organization_edit(request, pk: int):
    organization = _organization(request, pk)
    _require_owner(request, organization)
    form = OrganizationForm(request.POST or None, instance=organization)
    if request.method == "POST" and form.is_valid():
        services.organization_update(organization=organization, actor=request.user, **form.cleaned_data)
        messages.success(request, _("Saved."))
        return redirect("organizations:detail", pk=organization.pk)
    return render(request, "organizations/organization_form.html", {"form": form, "organization": organization})


# ---- applications -----------------------------------------------------------------------------------------


@login_required
def programme_start(request, pk: int):
    organization = _organization(request, pk)
    form = ProgrammeStartForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            application = services.programme_application_start(
                organization=organization, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error("name", exc)
        else:
            messages.success(request, _("Draft %(number)s started. Fill it in and save as often as you like.")
                             % {"number": application.number})
            return redirect("organizations:application_edit", pk=application.pk)
    return render(request, "organizations/programme_form.html", {"organization": organization, "form": form})


@login_required
def application_detail(request, pk: int):
    return _detail_page(request, pk)


def _detail_page(request, pk: int, *, mentor_form=None, document_form=None, status: int = 200):
    """The application's page; a refused mentor or document form is shown again there with its errors at its fields."""
    try:
        application = selectors.application_detail(user=request.user, pk=pk)
    except ProgrammeApplication.DoesNotExist as exc:
        raise Http404 from exc
    organization = application.programme.organization
    role = selectors.staff_role(user=request.user, organization=organization)
    return render(request, "organizations/application_detail.html", {
        "application": application, "organization": organization, "programme": application.programme,
        "is_owner": role == selectors.OWNER,
        "missing": services.application_missing(application) if application.is_draft else [],
        "mentor_form": mentor_form or MentorForm(), "document_form": document_form or DocumentForm(),
        "invoice_number": selectors.application_invoice_number(application) if application.submitted_at else None,
        "logo_kit_available": selectors.logo_kit_available(application),
        "renewal_allowed": selectors.renewal_allowed(application),
        "certificate_pdf": selectors.application_certificate_pdf(application) is not None,
    }, status=status)


@login_required
def application_edit(request, pk: int):
    application = _application(request, pk)
    if not application.is_draft:
        messages.info(request, _("Only a draft can be changed."))
        return redirect("organizations:application_detail", pk=application.pk)
    form = ApplicationForm(request.POST or None, instance=application, programme=application.programme,
                           renewal=application.kind == ApplicationKind.RENEWAL)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.application_update(
                application=application, actor=request.user, programme_name=data.pop("programme_name"),
                programme_description=data.pop("programme_description"), **data,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Draft saved."))
            return redirect("organizations:application_detail", pk=application.pk)
    return render(request, "organizations/application_form.html", {"application": application, "form": form})


@require_POST
@login_required
def mentor_add(request, pk: int):
    application = _application(request, pk)
    form = MentorForm(request.POST)
    if form.is_valid():
        try:
            mentor = services.mentor_invite(application=application, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            if exc.code != "already_invited":  # the application's state (no longer a draft): said above the page
                _error(request, exc)
                return redirect("organizations:application_detail", pk=application.pk)
            form.add_error("email", exc)
        else:
            messages.success(request, _("%(email)s was invited; the mentor is listed once they accept.")
                             % {"email": mentor.email})
            return redirect("organizations:application_detail", pk=application.pk)
    return _detail_page(request, application.pk, mentor_form=form, status=400)


@login_required
def mentor_accept(request, pk: int):
    """The invited mentor accepts on their own account, naming one of their certificates."""
    mentor = get_object_or_404(selectors.mentor_invitations(user=request.user), pk=pk)
    certificates = list(selectors.mentor_certificates(user=request.user))
    form = MentorAcceptForm(request.POST or None, certificates=certificates)
    if request.method == "POST" and form.is_valid():
        try:
            services.mentor_accept(mentor=mentor, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("You are listed as a mentor of %(programme)s.")
                             % {"programme": mentor.application.programme.name})
            return redirect("applicants:dashboard")
    return render(request, "organizations/mentor_accept.html",
                  {"mentor": mentor, "form": form, "certificates": certificates})


def _part_remove(request, model, pk: int, remove, name: str):
    """Remove a mentor or a document of one of the user's organizations' drafts, then back to the page."""
    part = get_object_or_404(
        model.objects.select_related("application"), pk=pk,
        application__in=selectors.applications_for_staff(request.user),
    )
    try:
        remove(**{name: part, "actor": request.user})
    except ValidationError as exc:
        _error(request, exc)
    return redirect("organizations:application_detail", pk=part.application_id)


@require_POST
@login_required
def mentor_remove(request, pk: int):
    return _part_remove(request, AccreditedMentor, pk, services.mentor_remove, "mentor")


@require_POST
@login_required
def document_add(request, pk: int):
    application = _application(request, pk)
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.document_add(application=application, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:  # the application's state (no longer a draft): said above the page
            _error(request, exc)
        else:
            messages.success(request, _("Document added."))
        return redirect("organizations:application_detail", pk=application.pk)
    return _detail_page(request, application.pk, document_form=form, status=400)


@require_POST
@login_required
def document_remove(request, pk: int):
    return _part_remove(request, ApplicationDocument, pk, services.document_remove, "document")


@login_required
def document_download(request, pk: int):
    """A supporting document: for the organization's staff and for the committee's reviewers."""
    document = get_object_or_404(ApplicationDocument.objects.select_related("application"), pk=pk)
    if not selectors.document_visible_to(user=request.user, document=document):
        raise Http404
    return private_file_response(document.file, download_name=document.original_name)


def _application_action(request, pk: int, service, done: str):
    """A button on the application's page: call the service, say what happened, go back to the page."""
    application = _application(request, pk)
    try:
        service(application=application, actor=request.user)
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(request, done)
    return redirect("organizations:application_detail", pk=application.pk)


@require_POST
@login_required
def application_submit(request, pk: int):
    return _application_action(request, pk, services.application_submit,
                               _("Submitted. The review starts once the accreditation fee is paid."))


@require_POST
@login_required
def application_withdraw(request, pk: int):
    return _application_action(request, pk, services.application_withdraw, _("The application was withdrawn."))


@require_POST
@login_required
def renewal_start(request, pk: int):
    application = _application(request, pk)
    try:
        renewal = services.renewal_start(application=application, actor=request.user)
    except ValidationError as exc:
        _error(request, exc)
        return redirect("organizations:application_detail", pk=application.pk)
    messages.success(request, _("Renewal %(number)s started from your previous application. Check every answer.")
                     % {"number": renewal.number})
    return redirect("organizations:application_edit", pk=renewal.pk)


@login_required
def certificate_download(request, pk: int):
    application = _application(request, pk)
    pdf = selectors.application_certificate_pdf(application)
    if pdf is None:
        raise Http404
    return private_file_response(pdf, download_name=f"{application.certificate_number}.pdf")


# ---- conditions and annual reports ---------------------------------------------------------------------


@login_required
def condition_answer(request, pk: int):
    condition = get_object_or_404(
        Condition.objects.select_related("application__programme__organization"),
        pk=pk, application__in=selectors.applications_for_staff(request.user),
    )
    application = condition.application
    if condition.status != ConditionStatus.OPEN:
        messages.info(request, _("This condition is not waiting for an answer."))
        return redirect("organizations:application_detail", pk=application.pk)
    form = ConditionAnswerForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            if form.cleaned_data["evidence"]:
                services.document_add(application=application, actor=request.user, kind=DocumentKind.CONDITION,
                                      file=form.cleaned_data["evidence"])
            services.condition_answer(condition=condition, actor=request.user, response=form.cleaned_data["response"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Your answer was sent to the committee."))
            return redirect("organizations:application_detail", pk=application.pk)
    return render(request, "organizations/condition_form.html",
                  {"condition": condition, "application": application, "form": form})


@login_required
def report_file(request, pk: int):
    report = get_object_or_404(
        AnnualReport.objects.select_related("application__programme__organization"),
        pk=pk, application__in=selectors.applications_for_staff(request.user),
    )
    if not report.is_open:
        return render(request, "organizations/report_detail.html", {"report": report, "application": report.application})
    form = AnnualReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.annual_report_file(report=report, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Annual report for year %(year)s filed. Thank you.") % {"year": report.year})
            return redirect("organizations:application_detail", pk=report.application_id)
    return render(request, "organizations/report_form.html",
                  {"report": report, "application": report.application, "form": form})
