"""The committee's screens for QTSPs: applications with their documents and history, decisions, rosters (read-only)."""

from django.contrib import admin
from django.db.models import Count
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from partners.conflicts import qtsp_people
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
from workflows.admin import Decision, DecisionAdminMixin, EventInline, ReadOnlyAdmin, ReadOnlyInline


class DocumentInline(ReadOnlyInline):
    model = QTSPDocument
    fields = ["download", "uploaded_at"]
    readonly_fields = fields

    @admin.display(description=_("document"))
    def download(self, obj):
        return format_html('<a href="{}">{}</a>', reverse("partners:document_download", args=[obj.pk]), obj.original_name)


class QTSPEventInline(EventInline):
    model = QTSPEvent
    verbose_name_plural = _("history")


class StaffInline(ReadOnlyInline):
    model = QTSPStaff
    fields = ["user", "role", "created_at"]
    readonly_fields = fields


class InvitationInline(ReadOnlyInline):
    model = QTSPInvitation
    fields = ["email", "role", "created_at", "accepted_at", "revoked_at"]
    readonly_fields = fields


def _decide(to_status: str):
    def service(qtsp: QTSP, actor, data: dict) -> QTSP:
        return qtsp_transition(qtsp=qtsp, to_status=to_status, actor=actor, note=data["note"])
    return service


def _allowed(to_status: str):
    return lambda qtsp: qtsp.can_transition(to_status)


def _now(status: str):
    """Approval and reinstatement both lead to "approved": which one applies depends on where the QTSP is."""
    return lambda qtsp: qtsp.status == status


SENT = _("The note is sent to the organization.")
REASONS_SENT = _("The reasons are sent to the organization.")
DECISIONS = (
    # The slugs are the statuses a decision leads to ("approved" twice: approval and reinstatement).
    Decision("approved", _("Approve"), _decide(QTSP.Status.APPROVED), applies=_now(QTSP.Status.SUBMITTED),
             permission="partners.decide_qtsp", reason_help=SENT),
    Decision("rejected", _("Reject"), _decide(QTSP.Status.REJECTED), applies=_allowed(QTSP.Status.REJECTED),
             permission="partners.decide_qtsp", reason_required=True, reason_help=REASONS_SENT),
    Decision("suspended", _("Suspend"), _decide(QTSP.Status.SUSPENDED), applies=_allowed(QTSP.Status.SUSPENDED),
             permission="partners.decide_qtsp", reason_required=True, reason_help=REASONS_SENT),
    Decision("reinstated", _("Reinstate"), _decide(QTSP.Status.APPROVED), applies=_now(QTSP.Status.SUSPENDED),
             permission="partners.decide_qtsp", reason_help=SENT),
)


@admin.register(QTSP)
class QTSPAdmin(DecisionAdminMixin, admin.ModelAdmin):
    list_display = ["name", "country", "city", "status", "levels_trained", "staff_count", "submitted_at"]
    list_filter = ["status", "country", "levels"]
    search_fields = ["name", "city", "contact_email", "contact_name"]
    date_hierarchy = "submitted_at"
    inlines = [DocumentInline, QTSPEventInline, StaffInline, InvitationInline]
    decisions = DECISIONS

    def decision_person(self, qtsp):
        return qtsp_people(qtsp)

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
