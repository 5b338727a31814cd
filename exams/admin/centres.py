from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from exams.admin.forms import SessionsBulkForm
from exams.models import ExamWindow, TestCentre
from exams.services import sessions_create_for_centres
from workflows.admin import ModelMinimumsMixin


@admin.register(TestCentre)
class TestCentreAdmin(ModelMinimumsMixin, admin.ModelAdmin):
    list_display = ["name", "city", "country", "time_zone", "seats", "is_active", "session_count"]
    list_filter = ["is_active", "country"]
    search_fields = ["name", "city"]
    actions = ["create_quarter_sessions"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(session_count=Count("sessions"))

    @admin.display(description=_("sessions"), ordering="session_count")
    def session_count(self, obj) -> int:
        return obj.session_count

    @admin.action(description=_("Create a quarter's sessions for the selected centres"),
                  permissions=["add_session"])
    def create_quarter_sessions(self, request, queryset):
        centres = list(queryset.order_by("pk"))
        form = SessionsBulkForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            data = form.cleaned_data
            try:
                outcome = sessions_create_for_centres(
                    window=data["window"], centres=centres, days=data["days"], start=data["start"],
                    duration_minutes=data["duration_minutes"], levels=data["levels"], capacity=data["capacity"],
                    actor=request.user,
                )
            except ValidationError as error:
                for message in error.messages:
                    form.add_error(None, message)
            else:
                created = len(outcome.created)
                self.message_user(request, ngettext(
                    "%(created)d session created (%(existing)d already existed).",
                    "%(created)d sessions created (%(existing)d already existed).", created)
                    % {"created": created, "existing": outcome.existing}, messages.SUCCESS)
                return None
        return TemplateResponse(request, "admin/exams/testcentre/sessions_create.html", {
            **self.admin_site.each_context(request),
            "title": _("Create a quarter's sessions"), "opts": self.model._meta, "form": form,
            "centres": centres, "action": "create_quarter_sessions",
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME, "media": self.media + form.media,
        })

    def has_add_session_permission(self, request) -> bool:
        return request.user.has_perm("exams.add_examsession")


@admin.register(ExamWindow)
class ExamWindowAdmin(ModelMinimumsMixin, admin.ModelAdmin):
    list_display = ["label", "opens_on", "closes_on", "session_count"]
    ordering = ["-year", "-quarter"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(session_count=Count("sessions"))

    @admin.display(description=_("quarter"), ordering="year")
    def label(self, obj) -> str:
        return obj.label

    @admin.display(description=_("sessions"), ordering="session_count")
    def session_count(self, obj) -> int:
        return obj.session_count
