"""The committee's review of fast-track applications: criteria beside their proofs, screening per group,
decisions with reasons, and the QTSP assignment (nearest proposed, reviewer confirms or picks another)."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef, Prefetch
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from fasttrack import selectors, services
from fasttrack.forms import DecisionForm
from fasttrack.models import (
    CriterionClaim,
    FastTrackApplication,
    FastTrackEvent,
    ProofDocument,
    Referral,
    ReferralEvent,
    Screening,
)
from fasttrack.requirements import GROUP_OF, RULES, Finding
from partners.models import QTSP

Status = FastTrackApplication.Status


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ClaimInline(ReadOnlyInline):
    model = CriterionClaim
    verbose_name_plural = _("criteria and proofs")
    fields = ["group", "criterion", "claimed", "years", "details", "proof_links", "prescreen"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related(
            Prefetch("proofs", queryset=ProofDocument.objects.order_by("uploaded_at", "pk"))
        )

    @admin.display(description=_("group"))
    def group(self, obj):
        return GROUP_OF[obj.criterion].label

    @admin.display(description=_("proofs"))
    def proof_links(self, obj):
        links = format_html_join(
            mark_safe("<br>"), '<a href="{}">{}</a>',
            ((reverse("fasttrack:proof_download", args=[proof.pk]), proof.original_name) for proof in obj.proofs.all()),
        )
        if links:
            return links
        return "—" if RULES[obj.criterion].needs_proof else _("(no proof needed)")

    @admin.display(description=_("pre-screen"))
    def prescreen(self, obj):
        snapshot = obj.application.prescreen.get("groups", {}).get(GROUP_OF[obj.criterion].value, {})
        finding = snapshot.get("criteria", {}).get(obj.criterion)
        return Finding(finding).label if finding else "—"


class EventInline(ReadOnlyInline):
    model = FastTrackEvent
    fields = ["created_at", "actor", "from_status", "to_status", "note"]
    readonly_fields = fields
    verbose_name_plural = _("history")


class ReferralInline(ReadOnlyInline):
    model = Referral
    fields = ["qtsp", "status", "distance_km", "was_nearest", "offered_by", "offered_at", "respond_by", "responded_at",
              "response_note", "escalated_at"]
    readonly_fields = fields
    show_change_link = True


class NeedsQTSPFilter(admin.SimpleListFilter):
    title = _("QTSP assignment")
    parameter_name = "assignment"

    def lookups(self, request, model_admin):
        return [("needed", _("Accepted, no QTSP yet")), ("waiting", _("Waiting for the QTSP")),
                ("escalated", _("Escalated (no answer in time)"))]

    def queryset(self, request, queryset):
        live = Referral.objects.filter(application=OuterRef("pk"), status__in=Referral.LIVE)
        if self.value() == "needed":
            return queryset.filter(status=Status.ACCEPTED).exclude(Exists(live))
        if self.value() == "waiting":
            return queryset.filter(Exists(live.filter(status=Referral.Status.OFFERED)))
        if self.value() == "escalated":
            return queryset.filter(Exists(live.filter(status=Referral.Status.OFFERED, escalated_at__isnull=False)))
        return queryset


DECISIONS = {
    # action in the URL: (button label, the status it leads to)
    "accept": (_("Accept"), Status.ACCEPTED),
    "reject": (_("Reject"), Status.REJECTED),
    "request-information": (_("Request information"), Status.INFORMATION_REQUESTED),
}

DECISION_EXPLANATIONS = {
    "accept": _("Accepting needs all three groups screened as met; the note is optional. Assign a QTSP next."),
    "reject": _("The reasons are required and are sent to the applicant."),
    "request-information": _("Say what the applicant should add or explain; they can edit and submit again."),
}


@admin.register(FastTrackApplication)
class FastTrackApplicationAdmin(admin.ModelAdmin):
    list_display = ["applicant", "status", "submitted_at", "city", "prescreen_summary", "screening_summary",
                    "referral_summary"]
    list_filter = ["status", NeedsQTSPFilter, "screening_hard", "screening_experience", "screening_professional"]
    search_fields = ["applicant__email", "applicant__full_name", "city"]
    list_select_related = ["applicant"]
    date_hierarchy = "submitted_at"
    inlines = [ClaimInline, ReferralInline, EventInline]
    change_form_template = "admin/fasttrack/fasttrackapplication/change_form.html"
    fieldsets = [
        (_("Applicant"), {"fields": ["applicant", "status", "country", "city", "cv_link", "submitted_at", "decided_at"]}),
        (_("Screening by the committee"), {
            "fields": ["prescreen_summary", "screening_hard", "screening_experience", "screening_professional"],
            "description": _("Decide each group from the criteria and proofs below; accepting needs all three met."),
        }),
        (_("Decision"), {"fields": ["information_request", "decision_reasons"]}),
    ]
    readonly_fields = ["applicant", "status", "country", "city", "cv_link", "submitted_at", "decided_at",
                       "prescreen_summary", "information_request", "decision_reasons"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related(
            Prefetch("referrals", queryset=Referral.objects.filter(status__in=Referral.LIVE).select_related("qtsp"),
                     to_attr="live_referrals")
        )

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.status == Status.SUBMITTED:
            return self.readonly_fields
        return [*self.readonly_fields, "screening_hard", "screening_experience", "screening_professional"]

    def save_model(self, request, obj, form, change):
        # Screening goes through the service (which records the event); nothing else is editable here.
        decisions = {group: form.cleaned_data[field] for group, field in FastTrackApplication.SCREENING_FIELDS.items()
                     if field in form.cleaned_data}
        if decisions:  # the fields are editable only while the application is submitted
            services.application_screen(application=obj, actor=request.user, decisions=decisions)

    @admin.display(description=_("CV"))
    def cv_link(self, obj):
        if not obj.cv:
            return "—"
        return format_html('<a href="{}">{}</a>', reverse("fasttrack:cv_download", args=[obj.pk]), obj.cv_name)

    @admin.display(description=_("pre-screen (applicant's view)"))
    def prescreen_summary(self, obj):
        groups = obj.prescreen.get("groups")
        if not groups:
            return "—"
        return " · ".join(f"{name.capitalize()} {'✓' if result['looks_met'] else '✗'}" for name, result in groups.items())

    @admin.display(description=_("screening"))
    def screening_summary(self, obj):
        marks = {Screening.MET: "✓", Screening.NOT_MET: "✗", Screening.PENDING: "…"}
        return " · ".join(f"{group.capitalize()} {marks[value]}" for group, value in obj.screening().items())

    @admin.display(description=_("QTSP"))
    def referral_summary(self, obj):
        referral = obj.live_referrals[0] if obj.live_referrals else None
        if referral is None:
            return _("needs a QTSP") if obj.status == Status.ACCEPTED else "—"
        flag = _(" (escalated)") if referral.escalated_at else ""
        return f"{referral.qtsp} — {referral.get_status_display()}{flag}"

    def get_urls(self):
        return [
            path("<int:pk>/decide/<str:action>/", self.admin_site.admin_view(self.decide_view),
                 name="fasttrack_fasttrackapplication_decide"),
            path("<int:pk>/assign/", self.admin_site.admin_view(self.assign_view),
                 name="fasttrack_fasttrackapplication_assign"),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        application = self.get_object(request, object_id)
        extra = {"decisions": [], "candidates": [], "live_referral": None, "can_assign": False}
        if application is not None:
            if request.user.has_perm("fasttrack.decide_fasttrackapplication"):
                extra["decisions"] = [
                    (reverse("admin:fasttrack_fasttrackapplication_decide", args=[application.pk, action]), label)
                    for action, (label, target) in DECISIONS.items() if application.can_become(target)
                ]
            if application.status == Status.ACCEPTED:
                extra["live_referral"] = selectors.live_referral(application)
                extra["candidates"] = selectors.qtsp_candidates(application)
                extra["can_assign"] = request.user.has_perm("fasttrack.assign_fasttrackapplication") and (
                    extra["live_referral"] is None or extra["live_referral"].status == Referral.Status.OFFERED
                )
        return super().change_view(request, object_id, form_url, {**(extra_context or {}), **extra})

    def decide_view(self, request, pk: int, action: str):
        if not request.user.has_perm("fasttrack.decide_fasttrackapplication") or action not in DECISIONS:
            raise PermissionDenied
        application = get_object_or_404(FastTrackApplication.objects.select_related("applicant"), pk=pk)
        label, _target = DECISIONS[action]
        form = DecisionForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            note = form.cleaned_data["note"]
            try:
                if action == "accept":
                    services.application_accept(application=application, actor=request.user, note=note)
                elif action == "reject":
                    services.application_reject(application=application, actor=request.user, reasons=note)
                else:
                    services.application_request_information(application=application, actor=request.user, message=note)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                self.message_user(request, _("Done: %(action)s.") % {"action": label}, messages.SUCCESS)
                return redirect("admin:fasttrack_fasttrackapplication_change", application.pk)
        return TemplateResponse(request, "admin/partners/decision_form.html", {
            **self.admin_site.each_context(request), "opts": self.model._meta, "original": application,
            "form": form, "title": f"{label}: {application.applicant}", "note_required": action != "accept",
            "change_url": reverse("admin:fasttrack_fasttrackapplication_change", args=[application.pk]),
            "changelist_url": reverse("admin:fasttrack_fasttrackapplication_changelist"),
            "explanation": DECISION_EXPLANATIONS[action],
        })

    def assign_view(self, request, pk: int):
        """Confirm the proposed (nearest) QTSP or the one the reviewer picked from the candidates."""
        if not request.user.has_perm("fasttrack.assign_fasttrackapplication"):
            raise PermissionDenied
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        application = get_object_or_404(FastTrackApplication, pk=pk)
        qtsp = get_object_or_404(QTSP, pk=request.POST.get("qtsp") or 0)
        try:
            referral = services.referral_assign(application=application, qtsp=qtsp, actor=request.user)
        except ValidationError as exc:
            self.message_user(request, " ".join(exc.messages), messages.ERROR)
        else:
            self.message_user(
                request, _("Referred to %(qtsp)s; it has until %(deadline)s to accept.")
                % {"qtsp": qtsp, "deadline": referral.respond_by.strftime("%Y-%m-%d %H:%M UTC")}, messages.SUCCESS)
        return redirect("admin:fasttrack_fasttrackapplication_change", application.pk)


class ReferralEventInline(ReadOnlyInline):
    model = ReferralEvent
    fields = ["created_at", "actor", "from_status", "to_status", "note"]
    readonly_fields = fields
    verbose_name_plural = _("history")


@admin.register(Referral)
class ReferralAdmin(admin.ModelAdmin):
    list_display = ["application", "qtsp", "status", "distance_km", "offered_at", "respond_by", "escalated_at"]
    list_filter = ["status", ("escalated_at", admin.EmptyFieldListFilter)]
    list_select_related = ["application__applicant", "qtsp"]
    search_fields = ["application__applicant__email", "application__applicant__full_name", "qtsp__name"]
    inlines = [ReferralEventInline]
    readonly_fields = ["application", "qtsp", "status", "distance_km", "was_nearest", "offered_by", "offered_at",
                       "respond_by", "responded_at", "responded_by", "response_note", "escalated_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
