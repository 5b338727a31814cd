from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from accreditation.eligibility import submission_blockers
from accreditation.forms import (
    AppealForm,
    DocumentUploadForm,
    LevelChoiceForm,
    RespondForm,
    StatementsForm,
    SubmitForm,
    WithdrawForm,
)
from accreditation.models import ApplicationDocument, ApplicationStatus, DocumentKind, LevelApplication
from accreditation.selectors import (
    LEVELS,
    applicant_history,
    application_for_detail,
    applications_of,
    document_visible_to,
    documents_of,
    eligibility_for,
    latest_information_request,
    levels_in_order,
)
from accreditation.services import (
    appeal_deadline,
    appeal_file,
    appeal_open,
    application_create,
    application_respond,
    application_submit,
    application_update,
    application_withdraw,
    document_add,
    document_remove,
)
from applicants.dashboard import person_page
from applicants.forms import EthicsAdoptForm
from applicants.models import EthicsCode
from applicants.selectors import ethics_adoption_current
from applicants.services import ethics_adopt
from documents.responses import private_file_response
from ipma_portal.conditional import public_etag
from ipma_portal.public_cache import public_page

STEPS = [
    ("level", gettext_lazy("Level")),
    ("documents", gettext_lazy("Evidence")),
    ("statements", gettext_lazy("Statements")),
    ("ethics", gettext_lazy("Code of ethics")),
    ("review", gettext_lazy("Review and submit")),
]
STEP_NAMES = [name for name, _label in STEPS]


@require_GET
@public_etag(LEVELS)
@public_page("levels", references=[LEVELS])
def level_list(request):
    """The public table of levels and their requirements, rendered from the Level data."""
    return render(request, "accreditation/level_list.html", {"levels": levels_in_order()})


@login_required
@person_page
def application_list(request):
    return render(request, "accreditation/application_list.html", {"applications": applications_of(request.user)})


@login_required
def application_start(request):
    form = LevelChoiceForm(request.POST or None, initial={"level": request.GET.get("level")})
    if request.method == "POST" and form.is_valid():
        try:
            application = application_create(applicant=request.user, level=form.cleaned_data["level"])
        except ValidationError as error:
            form.add_error("level", error)
        else:
            messages.success(request, _("Your draft application was started; it is saved at every step."))
            return redirect("accreditation:application_step", pk=application.pk, step="documents")
    return render(request, "accreditation/application_start.html", {"form": form})


def _own_application(request, pk: int) -> LevelApplication:
    try:
        return application_for_detail(user=request.user, pk=pk)
    except LevelApplication.DoesNotExist as error:
        raise Http404 from error


def _next_step(application: LevelApplication, step: str):
    following = STEP_NAMES[min(STEP_NAMES.index(step) + 1, len(STEP_NAMES) - 1)]
    return redirect("accreditation:application_step", pk=application.pk, step=following)


def _saved(request, form, application: LevelApplication, **values) -> bool:
    """Save a step through the service; a refusal becomes the form's error."""
    try:
        application_update(application=application, actor=request.user, **values)
    except ValidationError as error:
        form.add_error(None, error)
        return False
    return True


# Each step returns a response (it is done) or its form and extra context (to show it).

def _step_level(request, application):
    form = LevelChoiceForm(request.POST or None, initial={"level": application.level.code})
    if request.method == "POST" and form.is_valid() and _saved(request, form, application,
                                                                level=form.cleaned_data["level"]):
        return _next_step(application, "level")
    return form, {}


def _step_documents(request, application):
    if request.method == "POST" and "continue" in request.POST:
        return _next_step(application, "documents")
    form = DocumentUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            document_add(application=application, actor=request.user, kind=form.cleaned_data["kind"],
                         file=form.cleaned_data["file"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The document was added."))
            return redirect("accreditation:application_step", pk=application.pk, step="documents")
    return form, {"documents": documents_of(application)}


def _step_statements(request, application):
    form = StatementsForm(request.POST or None, instance=application, level=application.level)
    if request.method == "POST" and form.is_valid() and _saved(request, form, application, **form.cleaned_data):
        return _next_step(application, "statements")
    return form, {}


def _step_ethics(request, application):
    code, adoption = ethics_adoption_current(request.user)
    form = EthicsAdoptForm(request.POST or None, initial={"version": code.version if code else None})
    if request.method == "POST" and adoption:
        return _next_step(application, "ethics")
    if request.method == "POST" and form.is_valid():
        try:
            ethics_adopt(user=request.user, code=EthicsCode.objects.filter(version=form.cleaned_data["version"]).first())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return _next_step(application, "ethics")
    return form, {"code": code, "adoption": adoption}


def _step_review(request, application):
    form = SubmitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            application_submit(application=application, actor=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your application %(number)s was submitted.") % {"number": application.number})
            return redirect("accreditation:application_detail", pk=application.pk)
    return form, {"documents": documents_of(application)}


STEP_VIEWS = {"level": _step_level, "documents": _step_documents, "statements": _step_statements,
              "ethics": _step_ethics, "review": _step_review}


@login_required
def application_step(request, pk: int, step: str):
    """One step of the draft; every step saves, so the applicant can leave and come back."""
    if step not in STEP_VIEWS:
        raise Http404
    application = _own_application(request, pk)
    if not application.is_draft:
        return redirect("accreditation:application_detail", pk=application.pk)
    outcome = STEP_VIEWS[step](request, application)
    if not isinstance(outcome, tuple):
        return outcome
    form, extra = outcome
    requirements = eligibility_for(user=request.user, level_code=application.level.code, application=application)
    return render(request, "accreditation/application_step.html", {
        "application": application, "steps": STEPS, "step": step, "form": form, "requirements": requirements,
        "blockers": submission_blockers(requirements), **extra,
    }, status=400 if form.errors else 200)


@login_required
@require_POST
def application_document_delete(request, pk: int, document_pk: int):
    application = _own_application(request, pk)
    document = get_object_or_404(ApplicationDocument, pk=document_pk, application=application)
    try:
        document_remove(document=document, actor=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("The document was removed."))
    return redirect("accreditation:application_step", pk=pk, step="documents")


@login_required
@person_page
def application_detail(request, pk: int):
    application = _own_application(request, pk)
    documents = list(documents_of(application))
    # The checklist asks whether equivalent training is evidenced: the documents listed below answer it.
    application.equivalent_training_evidence = any(d.kind == DocumentKind.EQUIVALENT_TRAINING for d in documents)
    requirements = (
        eligibility_for(user=request.user, level_code=application.level.code, application=application)
        if application.is_open else None
    )
    request_event = (
        latest_information_request(application)
        if application.status == ApplicationStatus.INFORMATION_REQUESTED else None
    )
    return render(request, "accreditation/application_detail.html", {
        "application": application,
        "requirements": requirements,
        "history": applicant_history(application),
        "documents": documents,
        "information_request": request_event,
        "respond_form": RespondForm() if request_event else None,
        "can_appeal": appeal_open(application),
        "appeal_until": appeal_deadline(application),
        "appeal": getattr(application, "appeal", None),
    })


@login_required
@require_POST
def application_respond_view(request, pk: int):
    application = _own_application(request, pk)
    form = RespondForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            application_respond(application=application, actor=request.user, answer=form.cleaned_data["answer"],
                                file=form.cleaned_data["file"] or None)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Your answer was sent to the committee."))
            return redirect("accreditation:application_detail", pk=pk)
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("accreditation:application_detail", pk=pk)


@login_required
def application_withdraw_view(request, pk: int):
    application = _own_application(request, pk)
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            application_withdraw(application=application, actor=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, _("The application was withdrawn."))
        return redirect("accreditation:application_detail", pk=pk)
    return render(request, "accreditation/application_withdraw.html", {"application": application, "form": form})


@login_required
def application_appeal(request, pk: int):
    application = _own_application(request, pk)
    form = AppealForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            appeal_file(application=application, actor=request.user, statement=form.cleaned_data["statement"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your appeal was filed; a different reviewer will decide it."))
            return redirect("accreditation:application_detail", pk=pk)
    return render(request, "accreditation/application_appeal.html", {
        "application": application, "form": form, "appeal_until": appeal_deadline(application),
        "can_appeal": appeal_open(application),
    })


@login_required
@require_GET
def document_download(request, pk: int, document_pk: int):
    """A document of an application: for its applicant and for reviewers without a conflict; 404 for others."""
    document = get_object_or_404(
        ApplicationDocument.objects.select_related("application__applicant"), pk=document_pk, application_id=pk
    )
    if not document_visible_to(request.user, document.application):
        raise Http404
    return private_file_response(document.file, download_name=document.original_name)
