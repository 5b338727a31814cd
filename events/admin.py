"""The committee's events admin: events with their figures, the series, registrations and attendance."""

import csv

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import TranslationAdmin, TranslationStackedInline

from documents.forms import DocumentField
from events import services
from events.models import (
    Event,
    EventEvent,
    EventPrice,
    ProgrammeItem,
    Registration,
    RegistrationEvent,
    Series,
)
from events.selectors import events_with_figures
from workflows.admin import Decision, DecisionAdminMixin, EventInline, KeptPagesMixin, ModelMinimumsMixin


def csv_cell(value) -> str:
    """Text a spreadsheet shows as text: a leading = + - @ (or tab, CR) would make it a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


class EventHistoryInline(EventInline):
    model = EventEvent


class RegistrationHistoryInline(EventInline):
    model = RegistrationEvent


class PriceInline(admin.TabularInline):
    model = EventPrice
    extra = 0


class ProgrammeInline(TranslationStackedInline):
    # Stacked: a session's fields (a title and room and track per language, two date-and-time pairs, the speakers)
    # in a table's row made the event's page scroll sideways by some 1400 px, each box without a label.
    model = ProgrammeItem
    extra = 0
    fields = ["title", "starts_at", "ends_at", "room", "track", "speakers"]
    autocomplete_fields = ["speakers"]


class EventForm(forms.ModelForm):
    # Slides are private documents: checked by size and by their real content, like every upload.
    slides = DocumentField(label=_("slides"), kinds=("pdf",), required=False,
                           help_text=_("A PDF; members and the event's registrants can download it."))

    class Meta:
        model = Event
        fields = ["series", "kind", "format", "slug", "title", "summary", "description", "starts_at", "ends_at",
                  "time_zone", "venue", "capacity", "language", "pdu_value", "speakers", "topics",
                  "registration_opens_at", "registration_closes_at", "join_url", "recording_url", "slides"]


@admin.register(Event)
class EventAdmin(DecisionAdminMixin, TranslationAdmin):
    form = EventForm
    list_display = ["title", "kind", "starts_at", "status", "capacity", "registered", "waiting", "attended_count",
                    "revenue"]
    list_filter = ["status", "kind", "format", "language", "series"]
    search_fields = ["title", "slug"]
    date_hierarchy = "starts_at"
    readonly_fields = ["status", "places_taken"]
    filter_horizontal = ["topics"]
    autocomplete_fields = ["speakers"]
    inlines = [PriceInline, ProgrammeInline, EventHistoryInline]
    prepopulated_fields = {"slug": ("title",)}
    change_form_template = "admin/events/event_change_form.html"
    decisions = (
        Decision("publish", _("Publish"), lambda obj, actor, data: services.event_publish(
            event=obj, actor=actor, note=data["note"]), applies=lambda obj: obj.can_transition("published"),
            permission="events.change_event"),
        Decision("finish", _("Mark finished"), lambda obj, actor, data: services.event_finish(
            event=obj, actor=actor, note=data["note"]), applies=lambda obj: obj.can_transition("finished"),
            permission="events.change_event"),
        Decision("cancel", _("Cancel the event"), lambda obj, actor, data: services.event_cancel(
            event=obj, actor=actor, note=data["note"]), applies=lambda obj: obj.can_transition("cancelled"),
            permission="events.change_event", reason_required=True,
            reason_help=_("Registrants receive this reason; paid fees are refunded in full.")),
    )

    def get_queryset(self, request):
        return events_with_figures(super().get_queryset(request))

    @admin.display(description=_("registered"), ordering="registered")
    def registered(self, obj) -> int:
        return obj.registered

    @admin.display(description=_("waiting"))
    def waiting(self, obj) -> int:
        return obj.waiting

    @admin.display(description=_("attended"))
    def attended_count(self, obj) -> int:
        return obj.attended_count

    @admin.display(description=_("revenue (USD)"))
    def revenue(self, obj):
        return obj.revenue or 0

    def get_urls(self):
        return [
            path("<int:object_id>/attendance-import/", self.admin_site.admin_view(self.attendance_import_view),
                 name="events_event_attendance_import"),
            path("<int:object_id>/registrations.csv", self.admin_site.admin_view(self.registrations_csv_view),
                 name="events_event_registrations_csv"),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra = {**(extra_context or {})}
        if str(object_id).isdigit():
            extra["event_links"] = [
                (reverse("admin:events_event_attendance_import", args=[object_id]), _("Import attendance (CSV)")),
                (reverse("admin:events_event_registrations_csv", args=[object_id]), _("Export registrations (CSV)")),
            ]
        return super().change_view(request, object_id, form_url, extra)

    def attendance_import_view(self, request, object_id):
        if not request.user.has_perm("events.change_registration"):
            raise PermissionDenied
        event = get_object_or_404(Event, pk=object_id)
        form = AttendanceImportForm(request.POST or None, request.FILES or None)
        report = None
        if request.method == "POST" and form.is_valid():
            report = services.attendance_import(event=event, data=form.cleaned_data["file"].read(),
                                                actor=request.user)
            if report.ok:
                self.message_user(request, ngettext(
                    "Attendance recorded for %(count)d person.", "Attendance recorded for %(count)d people.",
                    report.recorded) % {"count": report.recorded}, messages.SUCCESS)
                return HttpResponseRedirect(reverse("admin:events_event_change", args=[event.pk]))
        return TemplateResponse(request, "admin/events/attendance_import.html", {
            **self.admin_site.each_context(request), "opts": self.model._meta, "original": event, "form": form,
            "report": report, "title": _("Import attendance: %(event)s") % {"event": event},
            "change_url": reverse("admin:events_event_change", args=[event.pk]),
        })

    def registrations_csv_view(self, request, object_id):
        if not request.user.has_perm("events.view_registration"):
            raise PermissionDenied
        event = get_object_or_404(Event, pk=object_id)
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{event.slug}-registrations.csv"'
        response.write("\ufeff")
        writer = csv.writer(response)
        writer.writerow(["email", "name", "status", "price", "member_price", "registered_at", "attended",
                         "minutes_attended"])
        rows = Registration.objects.filter(event=event).select_related("person").order_by("created_at", "pk")
        for r in rows:
            writer.writerow([csv_cell(v) for v in (
                r.person.email, r.person.full_name, r.status, r.price, "yes" if r.member_pricing else "no",
                r.created_at.isoformat(), {True: "yes", False: "no", None: ""}[r.attended], r.minutes_attended)])
        return response


class AttendanceImportForm(forms.Form):
    file = forms.FileField(label=_("Attendance CSV"),
                           help_text=_("Columns “email” and “minutes”, as the webinar platform exports them. "
                                       "Either every row is recorded or none."))


@admin.register(Series)
class SeriesAdmin(ModelMinimumsMixin, TranslationAdmin):
    list_display = ["title", "weekday", "week_of_month", "local_start_time", "time_zone", "event_count"]
    actions = ["create_next_twelve"]

    @admin.display(description=_("events"))
    def event_count(self, obj) -> int:
        return obj.events.count()

    @admin.action(description=_("Create the next 12 monthly webinars (as drafts)"),
                  permissions=["add_event"])
    def create_next_twelve(self, request, queryset):
        for series in queryset.order_by("pk"):
            created = services.series_create_next(series=series, actor=request.user)
            self.message_user(request, ngettext(
                "%(series)s: %(count)d webinar created.", "%(series)s: %(count)d webinars created.", len(created),
            ) % {"series": series, "count": len(created)}, messages.SUCCESS)

    def has_add_event_permission(self, request) -> bool:
        return request.user.has_perm("events.add_event")


@admin.register(Registration)
class RegistrationAdmin(KeptPagesMixin, admin.ModelAdmin):
    list_display = ["person", "event", "status", "price", "member_pricing", "created_at", "attended",
                    "minutes_attended"]
    list_filter = ["status", "attended", "event__kind"]
    search_fields = ["person__email", "person__full_name", "event__title"]
    list_select_related = ["person", "event"]
    raw_id_fields = ["event", "person"]
    readonly_fields = [f.name for f in Registration._meta.fields]
    inlines = [RegistrationHistoryInline]
    actions = ["mark_attended", "mark_not_attended"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def _attendance(self, request, queryset, attended: bool) -> None:
        done, refused = 0, []
        for registration in queryset.order_by("pk"):
            try:
                services.attendance_record(registration=registration, actor=request.user, attended=attended)
            except ValidationError as error:
                refused.append(f"{registration}: {' '.join(error.messages)}")
            else:
                done += 1
        if done:
            self.message_user(request, ngettext("Attendance recorded for %(count)d registration.",
                                                "Attendance recorded for %(count)d registrations.", done)
                              % {"count": done}, messages.SUCCESS)
        for line in refused:
            self.message_user(request, _("Refused: %(line)s") % {"line": line}, messages.ERROR)

    @admin.action(description=_("Record as attended (credits PDUs)"), permissions=["change"])
    def mark_attended(self, request, queryset):
        self._attendance(request, queryset, True)

    @admin.action(description=_("Record as not attended (withdraws PDUs)"), permissions=["change"])
    def mark_not_attended(self, request, queryset):
        self._attendance(request, queryset, False)
