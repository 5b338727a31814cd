from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, F, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import get_script_prefix, path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from exams.admin.bookings import CentreCountryFilter
from exams.admin.forms import ExamSessionAdminForm, ResultsUploadForm, SessionResultsForm
from exams.models import Booking, BookingStatus, ExamSession, Topic
from exams.roster import attendance_sheet_pdf, roster_csv, roster_filename
from exams.services import results_import_csv, results_record
from exams.services.results import level_weights
from workflows.admin import KeptPagesMixin, ModelMinimumsMixin


class SeatsFilter(admin.SimpleListFilter):
    title = _("seats")
    parameter_name = "seats"

    def lookups(self, request, model_admin):
        return [("free", _("Seats left")), ("full", _("Full"))]

    def queryset(self, request, queryset):
        if self.value() == "free":
            return queryset.filter(seats_taken__lt=F("capacity"))
        if self.value() == "full":
            return queryset.filter(seats_taken__gte=F("capacity"))
        return queryset


class TimingFilter(admin.SimpleListFilter):
    title = _("when")
    parameter_name = "when"

    def lookups(self, request, model_admin):
        return [("upcoming", _("Upcoming")), ("past", _("Past"))]

    def queryset(self, request, queryset):
        if self.value() == "upcoming":
            return queryset.filter(starts_at__gt=timezone.now())
        if self.value() == "past":
            return queryset.filter(starts_at__lte=timezone.now())
        return queryset


# Stands for a session's key in its admin links, reversed once per URL prefix: three reverse() per row cost a
# list of 100 sessions some 9 ms.
_KEY = 987654321
_LINKS: dict[str, tuple[str, ...]] = {}


def _session_links(pk: int) -> tuple[str, ...]:
    prefix = get_script_prefix()
    links = _LINKS.get(prefix)
    if links is None:
        links = _LINKS[prefix] = tuple(
            reverse(f"admin:exams_examsession_{name}", args=[_KEY]) for name in ("roster", "attendance", "results"))
    return tuple(link.replace(str(_KEY), str(pk), 1) for link in links)


class SessionCountryFilter(CentreCountryFilter):
    """The centre's country, among the countries that have a centre (the field's own filter listed some 250)."""

    parameter_name = "centre__country__exact"  # the address the field's own filter used

    def queryset(self, request, queryset):
        return queryset.filter(centre__country=self.value()) if self.value() else queryset


@admin.register(ExamSession)
class ExamSessionAdmin(KeptPagesMixin, ModelMinimumsMixin, admin.ModelAdmin):
    form = ExamSessionAdminForm
    change_form_template = "admin/exams/examsession/change_form.html"
    list_display = ["local_start", "centre", "country", "window", "levels_offered", "capacity", "seats_taken",
                    "seats_left", "booked", "documents"]
    list_filter = [TimingFilter, SeatsFilter, "window", SessionCountryFilter, "levels", "centre"]
    search_fields = ["centre__name", "centre__city"]
    list_select_related = ["centre", "window"]
    date_hierarchy = "starts_at"
    ordering = ["starts_at"]

    def lookup_allowed(self, lookup, value, request=None):
        # The country filter keeps the address of the field's own filter it replaced.
        return lookup == SessionCountryFilter.parameter_name or super().lookup_allowed(lookup, value, request)

    def get_queryset(self, request):
        # Counted per listed session through the (session, status) index; a join grouped every booking of every
        # session before a page could be shown.
        booked = (Booking.objects.filter(session=OuterRef("pk"), status=BookingStatus.BOOKED).order_by()
                  .values("session").annotate(count=Count("pk")).values("count"))
        return super().get_queryset(request).prefetch_related("levels").annotate(
            booked_count=Coalesce(Subquery(booked), 0))

    @admin.display(description=_("starts (local time)"), ordering="starts_at")
    def local_start(self, obj: ExamSession) -> str:
        local = obj.local_starts_at
        return f"{local:%Y-%m-%d %H:%M} {local.tzname()}"

    @admin.display(description=_("country"), ordering="centre__country")
    def country(self, obj: ExamSession) -> str:
        return obj.centre.country.name

    @admin.display(description=_("levels"))
    def levels_offered(self, obj: ExamSession) -> str:
        return ", ".join(level.code for level in obj.levels.all())

    @admin.display(description=_("seats left"))
    def seats_left(self, obj: ExamSession) -> int:
        return obj.seats_left

    @admin.display(description=_("booked"), ordering="booked_count")
    def booked(self, obj: ExamSession) -> int:
        return obj.booked_count

    @admin.display(description=_("roster"))
    def documents(self, obj: ExamSession) -> str:
        roster, attendance, results = _session_links(obj.pk)
        return format_html('<a href="{}">CSV</a> · <a href="{}">PDF</a> · <a href="{}">{}</a>',
                           roster, attendance, results, _("results"))

    def save_model(self, request, obj, form, change):
        if change:
            # seats_taken moves only through the booking services' conditional UPDATEs; the form's copy
            # may be stale, so it is never written from here.
            fields = [field.attname for field in obj._meta.concrete_fields
                      if not field.primary_key and field.name != "seats_taken"]
            obj.save(update_fields=fields)
        else:
            obj.save()

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/roster.csv", view(self.roster_view), name="exams_examsession_roster"),
            path("<int:pk>/attendance.pdf", view(self.attendance_view), name="exams_examsession_attendance"),
            path("<int:pk>/results/", view(self.results_view), name="exams_examsession_results"),
            *super().get_urls(),
        ]

    def _session(self, request, pk: int) -> ExamSession:
        session = get_object_or_404(ExamSession.objects.select_related("centre", "window"), pk=pk)
        if not self.has_view_permission(request, session):
            raise PermissionDenied
        return session

    def roster_view(self, request, pk: int):
        session = self._session(request, pk)
        response = HttpResponse(roster_csv(session), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{roster_filename(session, "csv")}"'
        return response

    def attendance_view(self, request, pk: int):
        session = self._session(request, pk)
        pdf = attendance_sheet_pdf(session, base_url=request.build_absolute_uri("/"))
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{roster_filename(session, "pdf")}"'
        return response

    def results_view(self, request, pk: int):
        session = self._session(request, pk)
        if not request.user.has_perm("exams.add_examresult"):
            raise PermissionDenied
        pending = list(session.bookings.filter(status__in=[BookingStatus.BOOKED, BookingStatus.ATTENDED],
                                               result__isnull=True)
                       .select_related("candidate", "level").order_by("candidate__full_name", "candidate__email"))
        topics = list(Topic.objects.all())
        weights = level_weights({booking.level_id for booking in pending})
        posted = request.method == "POST"
        entry_form = SessionResultsForm(request.POST if posted and "save" in request.POST else None,
                                        bookings=pending, weights=weights, topics=topics)
        upload_form = ResultsUploadForm(request.POST if posted and "upload" in request.POST else None,
                                        request.FILES or None)
        row_errors = []
        try:
            if entry_form.is_bound and entry_form.is_valid():
                rows = entry_form.result_rows()
                if not rows:
                    raise ValidationError(_("Nothing entered: give scores or tick absent for at least one candidate."))
                recorded = results_record(session=session, rows=rows, actor=request.user)
            elif upload_form.is_bound and upload_form.is_valid():
                recorded = results_import_csv(session=session, data=upload_form.cleaned_data["file"].read(),
                                              actor=request.user)
            else:
                recorded = None
        except ValidationError as error:
            row_errors = error.messages
            recorded = None
        if recorded is not None:
            self.message_user(request, ngettext("%d candidate's result recorded.", "%d candidates' results recorded.",
                                                len(recorded)) % len(recorded), messages.SUCCESS)
            return redirect("admin:exams_examsession_results", pk=session.pk)
        return TemplateResponse(request, "admin/exams/examsession/results.html", {
            **self.admin_site.each_context(request),
            "title": _("Results: %(session)s") % {"session": session}, "opts": self.model._meta,
            "session": session, "topics": topics, "entry_form": entry_form, "upload_form": upload_form,
            "row_errors": row_errors, "original": session,
            "recorded": session.bookings.filter(result__isnull=False).count(),
            "no_shows": session.bookings.filter(status=BookingStatus.NO_SHOW).count(),
        })
