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
    PlaceRequest,
    PlaceRequestEvent,
    ProgrammeEvent,
    ProgrammeStatus,
    QTSPDocument,
    QTSPEvent,
    QTSPInvitation,
    QTSPReapproval,
    QTSPReapprovalEvent,
    QTSPStaff,
    SyllabusItem,
    TrainingProgramme,
)
from partners.services import qtsp_transition
from partners.services.programme_review import programme_decide
from partners.services.terms import reapproval_decide
from workflows.admin import (
    Decision,
    DecisionAdminMixin,
    EventInline,
    KeptPagesMixin,
    ReadOnlyAdmin,
    ReadOnlyInline,
    country_column,
)


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
    list_display = ["name", country_column(), "city", "status", "levels_trained", "staff_count", "submitted_at"]
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
        "applied_by", "submitted_at", "approved_at", "approved_until",
    ]
    fieldsets = [
        (_("Organization"), {"fields": ["name", "registration_number", "website", "description"]}),
        (_("Place"), {"fields": ["country", "city", "address", "latitude", "longitude"]}),
        (_("Contact"), {"fields": ["contact_name", "contact_email", "contact_phone", "applied_by"]}),
        (_("Training"), {"fields": ["levels_trained", "formats"]}),
        (_("Decision"), {"fields": ["status", "submitted_at", "approved_at", "approved_until"]}),
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


class SyllabusInline(ReadOnlyInline):
    model = SyllabusItem
    fields = ["topic", "hours"]
    readonly_fields = fields


class ProgrammeEventInline(EventInline):
    model = ProgrammeEvent
    verbose_name_plural = _("history")


def _programme_decision(to_status: str):
    def service(programme: TrainingProgramme, actor, data: dict) -> TrainingProgramme:
        return programme_decide(programme=programme, to_status=to_status, actor=actor, note=data["note"])
    return service


PROGRAMME_DECISIONS = (
    Decision(ProgrammeStatus.APPROVED, _("Approve"), _programme_decision(ProgrammeStatus.APPROVED),
             applies=lambda p: p.can_transition(ProgrammeStatus.APPROVED),
             permission="partners.review_trainingprogramme", reason_help=_("The note is sent to the QTSP.")),
    Decision(ProgrammeStatus.CHANGES_REQUESTED, _("Request changes"),
             _programme_decision(ProgrammeStatus.CHANGES_REQUESTED),
             applies=lambda p: p.can_transition(ProgrammeStatus.CHANGES_REQUESTED),
             permission="partners.review_trainingprogramme", reason_required=True,
             reason_help=_("Say what to change; it is sent to the QTSP.")),
    Decision(ProgrammeStatus.REJECTED, _("Reject"), _programme_decision(ProgrammeStatus.REJECTED),
             applies=lambda p: p.can_transition(ProgrammeStatus.REJECTED),
             permission="partners.review_trainingprogramme", reason_required=True, reason_help=REASONS_SENT),
)


@admin.register(TrainingProgramme)
class TrainingProgrammeAdmin(DecisionAdminMixin, admin.ModelAdmin):
    """The committee reviews programmes against the curriculum: hours, format, syllabus per essential course."""

    list_display = ["title", "qtsp", "level", "format", "language", "required_hours", "hours_in_person", "status",
                    "submitted_at"]
    list_filter = ["status", "level", "format", "language", "is_fasttrack", "is_active"]
    list_select_related = ["qtsp", "level"]
    search_fields = ["title", "qtsp__name"]
    inlines = [SyllabusInline, ProgrammeEventInline]
    decisions = PROGRAMME_DECISIONS
    readonly_fields = ["qtsp", "title", "level", "format", "language", "required_hours", "hours_in_person",
                       "online_hours", "required_days", "is_fasttrack", "description", "is_active", "status",
                       "submitted_at", "decided_at", "created_at"]
    fields = readonly_fields

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def decision_person(self, programme):
        return qtsp_people(programme.qtsp)

    @admin.display(description=_("hours online"))
    def online_hours(self, obj):
        return obj.hours_online


class ReapprovalEventInline(EventInline):
    model = QTSPReapprovalEvent
    verbose_name_plural = _("history")


def _reapproval_decision(to_status: str):
    def service(reapproval: QTSPReapproval, actor, data: dict) -> QTSPReapproval:
        return reapproval_decide(reapproval=reapproval, to_status=to_status, actor=actor, note=data["note"])
    return service


@admin.register(QTSPReapproval)
class QTSPReapprovalAdmin(DecisionAdminMixin, admin.ModelAdmin):
    list_display = ["qtsp", "status", "qtsp_approved_until", "submitted_at"]
    list_filter = ["status"]
    list_select_related = ["qtsp"]
    search_fields = ["qtsp__name"]
    inlines = [ReapprovalEventInline]
    decisions = (
        Decision(QTSPReapproval.Status.APPROVED, _("Re-approve for a new term"),
                 _reapproval_decision(QTSPReapproval.Status.APPROVED),
                 applies=lambda r: r.can_transition(QTSPReapproval.Status.APPROVED),
                 permission="partners.decide_qtspreapproval", reason_help=SENT),
        Decision(QTSPReapproval.Status.REJECTED, _("Refuse"), _reapproval_decision(QTSPReapproval.Status.REJECTED),
                 applies=lambda r: r.can_transition(QTSPReapproval.Status.REJECTED),
                 permission="partners.decide_qtspreapproval", reason_required=True, reason_help=REASONS_SENT),
    )
    readonly_fields = ["qtsp", "qtsp_approved_until", "statement", "status", "submitted_by", "submitted_at",
                       "decided_at"]
    fields = readonly_fields

    def decision_person(self, reapproval):
        return qtsp_people(reapproval.qtsp)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("approved until"), ordering="qtsp__approved_until")
    def qtsp_approved_until(self, obj):
        return obj.qtsp.approved_until


class PlaceRequestEventInline(EventInline):
    model = PlaceRequestEvent
    verbose_name_plural = _("history")


@admin.register(PlaceRequest)
class PlaceRequestAdmin(ReadOnlyAdmin):
    list_display = ["person", "cohort", "status", "created_at", "decided_at"]
    list_filter = ["status", "cohort__programme__level"]
    list_select_related = ["person", "cohort__programme"]
    search_fields = ["person__email", "cohort__name", "cohort__programme__qtsp__name"]
    inlines = [PlaceRequestEventInline]


@admin.register(Cohort)
class CohortAdmin(ReadOnlyAdmin):
    list_display = ["name", "programme", "starts_on", "ends_on", "is_online", "capacity", "seats_taken"]
    list_filter = ["is_online", "programme__level", "programme__is_fasttrack"]
    list_select_related = ["programme"]
    search_fields = ["name", "programme__title", "programme__qtsp__name"]
    date_hierarchy = "starts_on"


@admin.register(Enrolment)
class EnrolmentAdmin(KeptPagesMixin, SimpleHistoryAdmin, ReadOnlyAdmin):
    list_display = ["email", "trainee", "cohort", "status", "attended_hours", "attended_days", "passed", "completed_on"]
    list_filter = ["status", "passed", "cohort__programme__level", "cohort__programme__is_fasttrack"]
    list_select_related = ["trainee", "cohort__programme"]
    search_fields = ["email", "full_name", "trainee__email", "trainee__full_name", "cohort__programme__qtsp__name"]
    # Newest first, through the primary key: the roster's order (a cohort's start, then the address) sorted every
    # enrolment of every QTSP to show a page.
    ordering = ["-pk"]
    show_full_result_count = False
