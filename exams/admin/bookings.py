from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from exams.admin.forms import ArrangementDecisionForm
from exams.models import (
    ArrangementStatus,
    Booking,
    BookingEvent,
    BookingStatus,
    ExamResult,
    SpecialArrangement,
    TopicScore,
    WaitlistEntry,
)
from exams.services import arrangement_decide, booking_attendance_set


def each_through_service(model_admin, request, queryset, change) -> int:
    """An admin action: apply one service call per selected row; a refusal is shown, the rest go on."""
    done = 0
    for obj in queryset.order_by("pk"):
        try:
            change(obj)
            done += 1
        except ValidationError as error:
            model_admin.message_user(request, f"{obj}: {' '.join(error.messages)}", messages.ERROR)
    model_admin.message_user(request, ngettext("%d row updated.", "%d rows updated.", done) % done)
    return done


class ReadOnlyMixin:
    """Rows changed only by the services: the admin shows them."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class BookingEventInline(ReadOnlyMixin, admin.TabularInline):
    model = BookingEvent
    fields = ["created_at", "from_status", "to_status", "session", "actor", "note"]
    readonly_fields = fields
    extra = 0
    can_delete = False


class PaidFilter(admin.SimpleListFilter):
    title = _("fee")
    parameter_name = "paid"

    def lookups(self, request, model_admin):
        return [("yes", _("Paid")), ("no", _("Not paid"))]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(paid_at__isnull=self.value() == "no")
        return queryset


@admin.register(Booking)
class BookingAdmin(admin.ModelAdmin):
    list_display = ["candidate", "level", "session", "status", "attempt_number", "fee_kind", "paid_at", "booked_at"]
    list_filter = ["status", "level", "window", PaidFilter, "fee_kind", "session__centre__country", "session__centre"]
    search_fields = ["candidate__email", "candidate__full_name", "=id"]
    list_select_related = ["candidate", "level", "session__centre"]
    readonly_fields = ["candidate", "session", "window", "level", "status", "attempt_number", "fee_kind",
                       "booked_at", "paid_at", "cancelled_at"]
    inlines = [BookingEventInline]
    actions = ["mark_attended", "mark_no_show"]
    date_hierarchy = "booked_at"

    def has_add_permission(self, request) -> bool:
        return False  # candidates book through the portal

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.action(description=_("Mark the selected bookings as attended"), permissions=["change"])
    def mark_attended(self, request, queryset):
        each_through_service(self, request, queryset.filter(status=BookingStatus.BOOKED),
                             lambda booking: booking_attendance_set(booking=booking, attended=True, actor=request.user))

    @admin.action(description=_("Mark the selected bookings as no-show"), permissions=["change"])
    def mark_no_show(self, request, queryset):
        each_through_service(self, request, queryset.filter(status=BookingStatus.BOOKED),
                             lambda booking: booking_attendance_set(booking=booking, attended=False, actor=request.user))


@admin.register(SpecialArrangement)
class SpecialArrangementAdmin(admin.ModelAdmin):
    form = ArrangementDecisionForm
    list_display = ["candidate", "session", "status", "requested_at", "decided_by", "decided_at"]
    list_filter = ["status", "booking__session__centre__country"]
    search_fields = ["booking__candidate__email", "booking__candidate__full_name"]
    list_select_related = ["booking__candidate", "booking__session__centre", "decided_by"]
    readonly_fields = ["booking", "needs", "status", "requested_at", "decided_by", "decided_at"]
    actions = ["approve", "decline"]

    @admin.display(description=_("candidate"))
    def candidate(self, obj) -> str:
        return str(obj.booking.candidate)

    @admin.display(description=_("session"))
    def session(self, obj) -> str:
        return str(obj.booking.session)

    def get_fields(self, request, obj=None):
        if obj is not None and obj.status == ArrangementStatus.REQUESTED:
            return ["booking", "needs", "status", "requested_at", "decision", "decision_note"]
        return ["booking", "needs", "status", "requested_at", "decided_by", "decided_at", "decision_note"]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.status != ArrangementStatus.REQUESTED:
            return [*self.readonly_fields, "decision_note"]
        return self.readonly_fields

    def has_add_permission(self, request) -> bool:
        return False

    def save_model(self, request, obj, form, change):
        if not form.cleaned_data.get("decision"):
            return
        try:
            arrangement_decide(arrangement=obj, approve=form.cleaned_data["decision"] == "approve",
                               actor=request.user, note=form.cleaned_data.get("decision_note", ""))
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)

    @admin.action(description=_("Approve the selected requests"), permissions=["change"])
    def approve(self, request, queryset):
        each_through_service(self, request, queryset.filter(status=ArrangementStatus.REQUESTED),
                             lambda arrangement: arrangement_decide(arrangement=arrangement, approve=True,
                                                                    actor=request.user))

    @admin.action(description=_("Decline the selected requests"), permissions=["change"])
    def decline(self, request, queryset):
        each_through_service(self, request, queryset.filter(status=ArrangementStatus.REQUESTED),
                             lambda arrangement: arrangement_decide(arrangement=arrangement, approve=False,
                                                                    actor=request.user))


@admin.register(WaitlistEntry)
class WaitlistEntryAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["candidate", "level", "session", "status", "created_at", "offer_expires_at"]
    list_filter = ["status", "level", "session__window"]
    search_fields = ["candidate__email", "candidate__full_name"]
    list_select_related = ["candidate", "level", "session__centre"]


class TopicScoreInline(ReadOnlyMixin, admin.TabularInline):
    model = TopicScore
    fields = ["topic", "score", "weight", "weighted_points"]
    readonly_fields = fields
    extra = 0

    @admin.display(description=_("points in the total"))
    def weighted_points(self, obj) -> str:
        return f"{obj.weighted_points:.2f}"


@admin.register(ExamResult)
class ExamResultAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["candidate", "level", "session", "total_score", "pass_mark", "passed", "recorded_at"]
    list_filter = ["passed", "booking__level", "booking__window"]
    search_fields = ["booking__candidate__email", "booking__candidate__full_name"]
    list_select_related = ["booking__candidate", "booking__level", "booking__session__centre"]
    inlines = [TopicScoreInline]

    @admin.display(description=_("candidate"))
    def candidate(self, obj) -> str:
        return str(obj.booking.candidate)

    @admin.display(description=_("level"))
    def level(self, obj) -> str:
        return obj.booking.level.code

    @admin.display(description=_("session"))
    def session(self, obj) -> str:
        return str(obj.booking.session)
