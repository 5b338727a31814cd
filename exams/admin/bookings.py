from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

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
from exams.selectors import centre_countries
from exams.services import arrangement_decide, booking_attendance_set, result_correction_propose
from workflows.admin import (
    Decision,
    DecisionAdminMixin,
    EventInline,
    LargeChangelistMixin,
    ReadOnlyAdmin,
    ReasonForm,
)


class BookingEventInline(EventInline):
    model = BookingEvent
    fields = ["created_at", "from_status", "to_status", "session", "by", "note"]
    readonly_fields = fields


class PaidFilter(admin.SimpleListFilter):
    title = _("fee")
    parameter_name = "paid"

    def lookups(self, request, model_admin):
        return [("yes", _("Paid")), ("no", _("Not paid"))]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(paid_at__isnull=self.value() == "no")
        return queryset


class CentreCountryFilter(admin.SimpleListFilter):
    """The country of the session's centre, among the countries that have a centre (not every country)."""

    title = _("country")
    parameter_name = "session__centre__country__exact"  # the address the field's own filter used

    def lookups(self, request, model_admin):
        return centre_countries()

    def queryset(self, request, queryset):
        return queryset.filter(session__centre__country=self.value()) if self.value() else queryset


class ArrangementCountryFilter(CentreCountryFilter):
    """The country of the booked session's centre, among the countries with a test centre (not some 250)."""

    parameter_name = "booking__session__centre__country__exact"  # the address the field's own filter used

    def queryset(self, request, queryset):
        return queryset.filter(booking__session__centre__country=self.value()) if self.value() else queryset


def _attendance(attended: bool):
    def record(booking: Booking, actor, data: dict) -> None:
        booking_attendance_set(booking=booking, attended=attended, actor=actor)
    return record


@admin.register(Booking)
class BookingAdmin(LargeChangelistMixin, DecisionAdminMixin, admin.ModelAdmin):
    list_display = ["candidate", "level", "session", "status", "attempt_number", "fee_kind", "paid_at", "booked_at"]
    list_filter = ["status", "level", "window", PaidFilter, "fee_kind", CentreCountryFilter, "session__centre"]
    search_people = ("candidate",)
    search_numbers = ("id",)
    list_select_related = ["candidate", "level", "session__centre"]
    readonly_fields = ["candidate", "session", "window", "level", "status", "attempt_number", "fee_kind",
                       "booked_at", "paid_at", "cancelled_at"]
    inlines = [BookingEventInline]
    actions = ["mark_attended", "mark_no_show"]
    date_hierarchy = "booked_at"
    decisions = (
        Decision(slug="attended", label=_("Mark as attended"), service=_attendance(True),
                 applies=lambda booking: booking.can_transition(BookingStatus.ATTENDED),
                 permission="exams.change_booking", bulk=True),
        Decision(slug="no-show", label=_("Mark as no-show"), service=_attendance(False),
                 applies=lambda booking: booking.can_transition(BookingStatus.NO_SHOW),
                 permission="exams.change_booking", bulk=True),
    )

    def decision_person(self, obj):
        return obj.candidate

    def lookup_allowed(self, lookup, value, request=None):
        # The country filter keeps the address of the field's own filter it replaced.
        return lookup == CentreCountryFilter.parameter_name or super().lookup_allowed(lookup, value, request)

    def has_add_permission(self, request) -> bool:
        return False  # candidates book through the portal

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.action(description=_("Mark the selected bookings as attended"), permissions=["change"])
    def mark_attended(self, request, queryset):
        self.decide_in_bulk(request, queryset, "attended")

    @admin.action(description=_("Mark the selected bookings as no-show"), permissions=["change"])
    def mark_no_show(self, request, queryset):
        self.decide_in_bulk(request, queryset, "no-show")


def _arrangement_decision(approve: bool):
    def decide(arrangement: SpecialArrangement, actor, data: dict) -> None:
        arrangement_decide(arrangement=arrangement, approve=approve, actor=actor, note=data.get("note", ""))
    return decide


def _arrangement_open(arrangement: SpecialArrangement) -> bool:
    return arrangement.status == ArrangementStatus.REQUESTED


@admin.register(SpecialArrangement)
class SpecialArrangementAdmin(DecisionAdminMixin, ReadOnlyAdmin):
    """Staff read the request and decide it on the one decision page (the candidate is told)."""

    list_display = ["candidate", "session", "status", "requested_at", "decided_by", "decided_at"]
    list_filter = ["status", ArrangementCountryFilter]
    search_fields = ["booking__candidate__email", "booking__candidate__full_name"]
    list_select_related = ["booking__candidate", "booking__session__centre", "decided_by"]
    fields = ["booking", "needs", "status", "requested_at", "decided_by", "decided_at", "decision_note"]
    readonly_fields = fields
    actions = ["approve", "decline"]
    decisions = (
        Decision(slug="approve", label=_("Approve the request"), service=_arrangement_decision(True),
                 applies=_arrangement_open, permission="exams.change_specialarrangement",
                 reason_label=_("Note to the candidate"), bulk=True),
        Decision(slug="decline", label=_("Decline the request"), service=_arrangement_decision(False),
                 applies=_arrangement_open, permission="exams.change_specialarrangement",
                 reason_label=_("Note to the candidate"), bulk=True),
    )

    def lookup_allowed(self, lookup, value, request=None):
        # The country filter keeps the address of the field's own filter it replaced.
        return lookup == ArrangementCountryFilter.parameter_name or super().lookup_allowed(lookup, value, request)

    def decision_person(self, obj):
        return obj.booking.candidate

    @admin.display(description=_("candidate"))
    def candidate(self, obj) -> str:
        return str(obj.booking.candidate)

    @admin.display(description=_("session"))
    def session(self, obj) -> str:
        return str(obj.booking.session)

    def has_change_permission(self, request, obj=None) -> bool:
        # Nothing is edited on the change page; the permission opens the decisions and the bulk actions.
        return request.user.has_perm("exams.change_specialarrangement")

    @admin.action(description=_("Approve the selected requests"), permissions=["change"])
    def approve(self, request, queryset):
        self.decide_in_bulk(request, queryset, "approve")

    @admin.action(description=_("Decline the selected requests"), permissions=["change"])
    def decline(self, request, queryset):
        self.decide_in_bulk(request, queryset, "decline")


@admin.register(WaitlistEntry)
class WaitlistEntryAdmin(ReadOnlyAdmin):
    list_display = ["candidate", "level", "session", "status", "created_at", "offer_expires_at"]
    list_filter = ["status", "level", "session__window"]
    search_fields = ["candidate__email", "candidate__full_name"]
    list_select_related = ["candidate", "level", "session__centre"]


class TopicScoreInline(EventInline):
    model = TopicScore
    fields = ["topic", "score", "weight", "weighted_points"]
    readonly_fields = fields
    ordering = ["pk"]

    @admin.display(description=_("points in the total"))
    def weighted_points(self, obj) -> str:
        return f"{obj.weighted_points:.2f}"


class ResultCorrectionForm(ReasonForm):
    """The corrected score of every topic of the result, and why; a second staff member approves it."""

    def __init__(self, *args, obj=None, decision=None, **kwargs):
        super().__init__(*args, obj=obj, decision=decision, **kwargs)
        self.topic_fields = {}
        for score in obj.scores.select_related("topic"):
            name = f"score_{score.topic.code}"
            self.fields[name] = forms.DecimalField(label=score.topic.name, initial=score.score, min_value=0,
                                                   max_value=100, decimal_places=2)
            self.topic_fields[score.topic.code] = name

    def clean(self):
        data = super().clean()
        data["scores"] = {code: data.get(name) for code, name in self.topic_fields.items()}
        return data


def _result_correction(result, actor, data):
    result_correction_propose(result=result, scores=data["scores"], reason=data["note"], actor=actor)


@admin.register(ExamResult)
class ExamResultAdmin(DecisionAdminMixin, ReadOnlyAdmin):
    decisions = (
        Decision(slug="correct", label=_("Propose a correction (a second staff member approves)"),
                 service=_result_correction, permission="exams.add_examresult", reason_required=True,
                 reason_label=_("Why the recorded scores are wrong"), form_class=ResultCorrectionForm),
    )

    def decision_person(self, obj):
        return obj.booking.candidate

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
