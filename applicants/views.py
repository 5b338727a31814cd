from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _

from applicants.dashboard import dashboard_panels
from applicants.forms import PreferencesForm
from applicants.services import user_preferences_update


@login_required
def dashboard(request):
    return render(request, "applicants/dashboard.html", {"panels": dashboard_panels(request)})


@login_required
def preferences(request):
    form = PreferencesForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        user_preferences_update(user=request.user, **form.cleaned_data)
        messages.success(request, _("Your preferences were saved."))
        response = redirect("applicants:preferences")
        if language := form.cleaned_data["preferred_language"]:
            translation.activate(language)
            response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, samesite="Lax",
                                secure=settings.LANGUAGE_COOKIE_SECURE, httponly=settings.LANGUAGE_COOKIE_HTTPONLY)
        return response
    return render(request, "applicants/preferences_form.html", {"form": form})
