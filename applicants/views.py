import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_ratelimit.core import is_ratelimited
from redis.exceptions import RedisError

from applicants.confirmations import (
    ConfirmationLinkError,
    LinkProblem,
    hours_confirmation_answer,
    hours_confirmation_for_link,
)
from applicants.dashboard import dashboard_panels, person_page
from applicants.forms import (
    AccountEraseForm,
    EthicsAdoptForm,
    HoursConfirmationAnswerForm,
    HoursEntryForm,
    HoursImportForm,
    PreferencesForm,
    ProfileForm,
)
from applicants.models import EthicsCode
from applicants.personal_data import account_erase, account_erase_blockers, personal_data_archive
from applicants.selectors import ethics_adoption_current, hours_entries_of, hours_totals, profile_of
from applicants.services import (
    PROFILE_FIELDS,
    ethics_adopt,
    hours_entry_create,
    hours_entry_delete,
    hours_entry_update,
    hours_export_csv,
    hours_import_csv,
    profile_update,
    user_preferences_update,
)
from documents.responses import private_file_response
from ipma_portal.page_memo import page_memo
from ipma_portal.pagination import list_page

logger = logging.getLogger(__name__)


@login_required
@person_page
def dashboard(request):
    # The panels only read: facts several of them need are read once (ipma_portal/page_memo.py).
    with page_memo():
        return render(request, "applicants/dashboard.html", {"panels": dashboard_panels(request)})


@login_required
def preferences(request):
    form = PreferencesForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        user_preferences_update(user=request.user, **form.cleaned_data)
        messages.success(request, _("Your preferences were saved."))
        response = redirect("applicants:preferences")
        if language := form.cleaned_data["preferred_language"]:
            # The cookie is what LocaleMiddleware reads on the next request.
            response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, samesite="Lax",
                                secure=settings.LANGUAGE_COOKIE_SECURE, httponly=settings.LANGUAGE_COOKIE_HTTPONLY)
        return response
    return render(request, "applicants/preferences_form.html", {"form": form})


@login_required
def profile(request):
    instance = profile_of(request.user)
    form = ProfileForm(request.POST or None, request.FILES or None, instance=instance, user=request.user)
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in PROFILE_FIELDS}
        profile_update(
            user=request.user, time_zone=form.cleaned_data["time_zone"],
            education_proof=form.cleaned_data["education_proof"] if "education_proof" in form.changed_data else None,
            **values,
        )
        messages.success(request, _("Your profile was saved."))
        return redirect("applicants:profile")
    return render(request, "applicants/profile_form.html", {"form": form, "profile": instance})


@login_required
def profile_education_proof(request):
    """The applicant's own proof of education; reviewers see the copy frozen in an application."""
    instance = profile_of(request.user)
    if not instance.education_proof:
        raise Http404
    return private_file_response(instance.education_proof, download_name=instance.education_proof_name)


@login_required
@person_page
def hours_list(request):
    totals = hours_totals(request.user)
    listing = list_page(request, hours_entries_of(request.user), count=totals.listed)
    return render(request, "applicants/hoursentry_list.html", {
        "listing": listing, "entries": listing.page.object_list, "totals": totals,
    })


@login_required
def hours_create(request):
    form = HoursEntryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            hours_entry_create(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The hours were added to your log."))
            return redirect("applicants:hours_list")
    return render(request, "applicants/hoursentry_form.html", {"form": form})


@login_required
def hours_update(request, pk: int):
    entry = get_object_or_404(hours_entries_of(request.user), pk=pk)
    form = HoursEntryForm(request.POST or None, instance=entry)
    if entry.is_locked:
        messages.error(request, _("This entry was counted in an approved application and can no longer be changed."))
        return redirect("applicants:hours_list")
    if entry.is_under_dispute:
        messages.error(request, _("The mentee disputed this entry: it stays as it is while the committee decides."))
        return redirect("applicants:hours_list")
    if request.method == "POST" and form.is_valid():
        try:
            hours_entry_update(entry=entry, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The entry was updated."))
            return redirect("applicants:hours_list")
    return render(request, "applicants/hoursentry_form.html", {"form": form, "entry": entry})


@login_required
def hours_delete(request, pk: int):
    entry = get_object_or_404(hours_entries_of(request.user), pk=pk)
    if request.method == "POST":
        try:
            hours_entry_delete(entry=entry, actor=request.user)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, _("The entry was deleted."))
        return redirect("applicants:hours_list")
    return render(request, "applicants/hoursentry_confirm_delete.html", {"entry": entry})


@login_required
@require_GET
def hours_export(request):
    response = HttpResponse(hours_export_csv(user=request.user), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="mentoring-hours.csv"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def hours_import(request):
    form = HoursImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        report = hours_import_csv(user=request.user, upload=form.cleaned_data["file"])
        if report.ok:
            messages.success(
                request, ngettext("%(count)d entry was imported.", "%(count)d entries were imported.", report.imported)
                % {"count": report.imported},
            )
            return redirect("applicants:hours_list")
    status = 400 if report is not None else 200
    return render(request, "applicants/hoursentry_import.html", {"form": form, "report": report}, status=status)


CONFIRM_RATE_GROUP = "applicants.hours_confirm"
LINK_STATUS = {LinkProblem.INVALID: 404, LinkProblem.USED: 410, LinkProblem.EXPIRED: 410}


def _confirm_rate_limited(request) -> bool:
    """Count every open of a confirmation link against the client's address (guessing tokens is slow)."""
    try:
        return is_ratelimited(request, group=CONFIRM_RATE_GROUP, key="ip",
                              rate=settings.APPLICANTS_HOURS_CONFIRM_RATE, increment=True)
    except (RedisError, OSError):
        logger.warning("Rate limiting is unavailable (Redis); serving the confirmation page anyway", exc_info=True)
        return False


def _private_page(response: HttpResponse) -> HttpResponse:
    # The URL holds the token: keep it out of other sites' logs, caches and search engines.
    response["Referrer-Policy"] = "same-origin"  # "no-referrer" would send Origin: null and fail the CSRF check
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def hours_confirm(request, pk: int, token: str):
    """The page a mentee opens from the mail: no account, the entry's facts, confirm or dispute (POST)."""
    if _confirm_rate_limited(request):
        response = render(request, "applicants/hoursentry_confirm_rate_limited.html", status=429)
        response["Retry-After"] = "3600"
        return _private_page(response)
    form = HoursConfirmationAnswerForm(request.POST or None)
    entry = None
    try:
        if request.method == "POST" and form.is_valid():
            entry = hours_confirmation_answer(entry_id=pk, token=token,
                                              confirmed=form.cleaned_data["answer"] == "confirm",
                                              comment=form.cleaned_data["comment"])
            return _private_page(render(request, "applicants/hoursentry_confirm_done.html", {"entry": entry}))
        entry = hours_confirmation_for_link(entry_id=pk, token=token)
    except ConfirmationLinkError as refused:
        return _private_page(render(request, "applicants/hoursentry_confirm_refused.html",
                                    {"problem": refused.problem, "message": refused.messages[0]},
                                    status=LINK_STATUS[refused.problem]))
    except ValidationError as error:
        form.add_error(None, error)
        entry = hours_confirmation_for_link(entry_id=pk, token=token)  # the link was good: show the entry again
    status = 400 if request.method == "POST" else 200
    return _private_page(render(request, "applicants/hoursentry_confirm.html",
                                {"entry": entry, "form": form}, status=status))


@login_required
def ethics(request):
    code, adoption = ethics_adoption_current(request.user)
    form = EthicsAdoptForm(request.POST or None, initial={"version": code.version if code else None})
    if request.method == "POST" and form.is_valid():
        submitted = EthicsCode.objects.filter(version=form.cleaned_data["version"]).first()
        try:
            ethics_adopt(user=request.user, code=submitted)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, _("You adopted the code of ethics and conduct."))
            return redirect(safe_next_url(request, "applicants:ethics"))
        return redirect("applicants:ethics")
    return render(request, "applicants/ethicscode_detail.html", {"code": code, "adoption": adoption, "form": form})


def safe_next_url(request, default: str) -> str:
    """Where to go after a form: the safe ``next`` the page passed, else ``default``."""
    target = request.POST.get("next") or request.GET.get("next")
    allowed = url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure())
    if target and allowed:
        return target
    return reverse(default)


@login_required
def personal_data(request):
    return render(request, "applicants/personal_data.html", {"blockers": account_erase_blockers(request.user)})


@login_required
@require_POST
def personal_data_download(request):
    """The signed-in person's own data as a zip, built now (applicants.personal_data says why not later)."""
    response = FileResponse(personal_data_archive(request.user), as_attachment=True,
                            filename=f"ipma-portal-my-data-{timezone.localdate():%Y-%m-%d}.zip",
                            content_type="application/zip")
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def account_delete(request):
    blockers = account_erase_blockers(request.user)
    form = AccountEraseForm(request.POST or None, user=request.user)
    if request.method == "POST" and not blockers and form.is_valid():
        try:
            account_erase(user=request.user)
        except ValidationError as refused:
            blockers = refused.messages
        else:
            logout(request)
            messages.success(request, _("Your account was deleted and your personal data erased."))
            return redirect("home")
    return render(request, "applicants/account_delete.html", {"form": form, "blockers": blockers})
