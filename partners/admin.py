"""The committee's screens for QTSPs: applications with their documents and history, decisions, rosters (read-only)."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from partners.forms import ReasonForm
from partners.models import (
    QTSP,
    Cohort,
    Enrolment,
    QTSPDocument,
    QTSPEvent,
    QTSPInvitation,
    QTSPStaff,
    TrainingProgramme,
)
from partners.services import qtsp_transition


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class DocumentInline(ReadOnlyInline):
    model = QTSPDocument
    fields = ["download", "uploaded_at"]
    readonly_fields = fields

    @admin.display(description=_("document"))
    def download(self, obj):
        return format_html('<a href="{}">{}</a>', reverse("partners:document_download", args=[obj.pk]), obj.original_name)


class EventInline(ReadOnlyInline):
    model = QTSPEvent
    fields = ["created_at", "actor", "from_status", "to_status", "note"]
    readonly_fields = fields
    verbose_name_plural = _("history")


class StaffInline(ReadOnlyInline):
    model = QTSPStaff
    fields = ["user", "role", "created_at"]
    readonly_fields = fields


class InvitationInline(ReadOnlyInline):
    model = QTSPInvitation
    fields = ["email", "role", "created_at", "accepted_at", "revoked_at"]
    readonly_fields = fields


DECISIONS = {
    # to status: (button label, reasons required)
    QTSP.Status.APPROVED: (_("Approve"), False),
    QTSP.Status.REJECTED: (_("Reject"), True),
    QTSP.Status.SUSPENDED: (_("Suspend"), True),
}


@admin.register(QTSP)
class QTSPAdmin(admin.ModelAdmin):
    list_display = ["name", "country", "city", "status", "levels_trained", "staff_count", "submitted_at"]
    list_filter = ["status", "country", "levels"]
    search_fields = ["name", "city", "contact_email", "contact_name"]
    date_hierarchy = "submitted_at"
    inlines = [DocumentInline, EventInline, StaffInline, InvitationInline]
    change_form_template = "admin/partners/qtsp/change_form.html"
    readonly_fields = [
        "name", "registration_number", "website", "description", "country", "city", "address", "latitude",
        "longitude", "contact_name", "contact_email", "contact_phone", "levels_trained", "formats", "status",
        "applied_by", "submitted_at", "approved_at",
    ]
    fieldsets = [
        (_("Organization"), {"fields": ["name", "registration_number", "website", "description"]}),
        (_("Place"), {"fields": ["country", "city", "address", "latitude", "longitude"]}),
        (_("Contact"), {"fields": ["contact_name", "contact_email", "contact_phone", "applied_by"]}),
        (_("Training"), {"fields": ["levels_trained", "formats"]}),
        (_("Decision"), {"fields": ["status", "submitted_at", "approved_at"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("levels").annotate(staff_total=Count("staff"))

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("levels"))
    def levels_trained(self, obj):
        return ", ".join(level.code for level in obj.levels.all())

    @admin.display(description=_("staff"), ordering="staff_total")
    def staff_count(self, obj):
        return obj.staff_total

    def get_urls(self):
        return [
            path("<int:pk>/decide/<str:to_status>/", self.admin_site.admin_view(self.decide_view),
                 name="partners_qtsp_decide"),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        qtsp = self.get_object(request, object_id)
        decisions = []
        if qtsp is not None and request.user.has_perm("partners.decide_qtsp"):
            decisions = [
                (reverse("admin:partners_qtsp_decide", args=[qtsp.pk, status]),
                 _("Reinstate") if status == QTSP.Status.APPROVED and qtsp.status == QTSP.Status.SUSPENDED else label)
                for status, (label, _required) in DECISIONS.items() if qtsp.can_become(status)
            ]
        return super().change_view(request, object_id, form_url, {**(extra_context or {}), "decisions": decisions})

    def decide_view(self, request, pk: int, to_status: str):
        if not request.user.has_perm("partners.decide_qtsp"):
            raise PermissionDenied
        qtsp = get_object_or_404(QTSP, pk=pk)
        if to_status not in DECISIONS:
            raise PermissionDenied
        label, reasons_required = DECISIONS[to_status]
        form = ReasonForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                qtsp_transition(qtsp=qtsp, to_status=to_status, actor=request.user, note=form.cleaned_data["note"])
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                self.message_user(request, _("%(name)s is now %(status)s.")
                                  % {"name": qtsp.name, "status": QTSP.Status(to_status).label.lower()}, messages.SUCCESS)
                return redirect("admin:partners_qtsp_change", qtsp.pk)
        return TemplateResponse(request, "admin/partners/decision_form.html", {
            **self.admin_site.each_context(request), "opts": self.model._meta, "original": qtsp, "form": form,
            "title": f"{label}: {qtsp.name}", "note_required": reasons_required,
            "change_url": reverse("admin:partners_qtsp_change", args=[qtsp.pk]),
            "changelist_url": reverse("admin:partners_qtsp_changelist"),
            "explanation": _("The reasons are required and are sent to the organization.") if reasons_required
            else _("The note is optional and is sent to the organization."),
        })


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(TrainingProgramme)
class TrainingProgrammeAdmin(ReadOnlyAdmin):
    list_display = ["title", "qtsp", "level", "format", "required_hours", "required_days", "is_fasttrack", "is_active"]
    list_filter = ["level", "format", "is_fasttrack", "is_active"]
    list_select_related = ["qtsp", "level"]
    search_fields = ["title", "qtsp__name"]


@admin.register(Cohort)
class CohortAdmin(ReadOnlyAdmin):
    list_display = ["name", "programme", "starts_on", "ends_on", "is_online", "capacity", "seats_taken"]
    list_filter = ["is_online", "programme__level", "programme__is_fasttrack"]
    list_select_related = ["programme"]
    search_fields = ["name", "programme__title", "programme__qtsp__name"]
    date_hierarchy = "starts_on"


@admin.register(Enrolment)
class EnrolmentAdmin(SimpleHistoryAdmin, ReadOnlyAdmin):
    list_display = ["email", "trainee", "cohort", "status", "attended_hours", "attended_days", "passed", "completed_on"]
    list_filter = ["status", "passed", "cohort__programme__level", "cohort__programme__is_fasttrack"]
    list_select_related = ["trainee", "cohort__programme"]
    search_fields = ["email", "full_name", "trainee__email", "trainee__full_name", "cohort__programme__qtsp__name"]
