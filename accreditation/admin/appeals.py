"""Appeals: read in the admin, decided through ``appeal_decide`` by a reviewer other than the rejecter."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accreditation.models import Appeal, AppealDecision
from accreditation.selectors import REVIEW_PERMISSION
from accreditation.services import appeal_decide


class AppealDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=gettext_lazy("Decision"), widget=forms.RadioSelect,
        choices=[(AppealDecision.GRANTED, AppealDecision.GRANTED.label),
                 (AppealDecision.DISMISSED, AppealDecision.DISMISSED.label)],
    )
    reason = forms.CharField(label=gettext_lazy("Reasons the applicant will read"),
                             widget=forms.Textarea(attrs={"rows": 6, "cols": 80}))


@admin.register(Appeal)
class AppealAdmin(admin.ModelAdmin):
    list_display = ["application", "filed_at", "rejected_by", "reviewer", "decision", "decided_at"]
    list_filter = ["decision", "filed_at"]
    list_select_related = ["application__level", "application__applicant", "rejected_by", "reviewer"]
    search_fields = ["application__number", "application__applicant__email", "application__applicant__full_name"]
    readonly_fields = ["application_link", "statement", "filed_at", "rejected_by", "reviewer", "decision",
                       "decision_reason", "decided_by", "decided_at", "rejection_reason"]
    fields = readonly_fields
    change_form_template = "admin/accreditation/appeal/change_form.html"

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return queryset if request.user.is_superuser else queryset.exclude(application__applicant=request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=gettext_lazy("application"))
    def application_link(self, obj):
        return format_html('<a href="{}">{}</a>', reverse("admin:accreditation_levelapplication_change",
                                                          args=[obj.application_id]), obj.application.number)

    @admin.display(description=gettext_lazy("reasons for the rejection"))
    def rejection_reason(self, obj):
        return obj.application.rejection_reason

    def get_urls(self):
        return [
            path("<path:object_id>/decide/", self.admin_site.admin_view(self.decide_view),
                 name="accreditation_appeal_decide"),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        appeal = self.get_object(request, object_id)
        can_decide = bool(appeal and appeal.decision == AppealDecision.PENDING
                          and request.user.has_perm(REVIEW_PERMISSION) and appeal.rejected_by_id != request.user.pk)
        return super().change_view(request, object_id, form_url, {**(extra_context or {}), "can_decide": can_decide})

    def decide_view(self, request, object_id):
        if not request.user.has_perm(REVIEW_PERMISSION):
            raise PermissionDenied
        appeal = get_object_or_404(self.get_queryset(request).select_related("application"), pk=object_id)
        form = AppealDecisionForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                appeal_decide(appeal=appeal, actor=request.user,
                              grant=form.cleaned_data["decision"] == AppealDecision.GRANTED,
                              reason=form.cleaned_data["reason"])
            except ValidationError as error:
                form.add_error(None, error)
            else:
                self.message_user(request, _("The appeal was decided."), messages.SUCCESS)
                return HttpResponseRedirect(reverse("admin:accreditation_appeal_change", args=[appeal.pk]))
        return TemplateResponse(request, "admin/accreditation/appeal/decide.html", {
            **self.admin_site.each_context(request),
            "opts": self.model._meta, "appeal": appeal, "form": form,
            "title": _("Decide the appeal against %(number)s") % {"number": appeal.application.number},
        })
