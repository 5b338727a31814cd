"""The committee's review of fast-track applications: criteria beside their proofs, screening per group,
decisions with reasons, and the QTSP assignment (nearest proposed, reviewer confirms or picks another)."""

from django import forms
from django.contrib import admin
from django.db.models import Exists, OuterRef, Prefetch
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from fasttrack import selectors, services
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
from workflows.admin import (
    Decision,
    DecisionAdminMixin,
    EventInline,
    ReadOnlyAdmin,
    ReadOnlyInline,
    ReasonForm,
)

Status = FastTrackApplication.Status


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


class FastTrackEventInline(EventInline):
    model = FastTrackEvent
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


class AssignForm(ReasonForm):
    """The QTSP to refer the candidate to: the proposed nearest, or another of the candidates shown."""

    qtsp = forms.TypedChoiceField(label=_("QTSP"), coerce=int)

    def __init__(self, *args, obj=None, **kwargs):
        super().__init__(*args, obj=obj, **kwargs)
        del self.fields["note"]
        candidates = selectors.qtsp_candidates(obj)
        self.candidates = {candidate.qtsp.pk: candidate.qtsp for candidate in candidates}
        self.fields["qtsp"].choices = [
            (candidate.qtsp.pk, f"{candidate.qtsp.name}, {candidate.qtsp.city} ({candidate.distance_km:.0f} km)")
            for candidate in candidates
        ]

    def clean_qtsp(self):
        return self.candidates[self.cleaned_data["qtsp"]]


def _accept(application, actor, data):
    return services.application_accept(application=application, actor=actor, note=data["note"])


def _reject(application, actor, data):
    return services.application_reject(application=application, actor=actor, reasons=data["note"])


def _request_information(application, actor, data):
    return services.application_request_information(application=application, actor=actor, message=data["note"])


def _assign(application, actor, data):
    return services.referral_assign(application=application, qtsp=data["qtsp"], actor=actor)


def _allowed(to_status: str):
    return lambda application: application.can_transition(to_status)


def _assignable(application) -> bool:
    """Accepted, and no QTSP has taken the candidate yet (a referral still waiting may be reassigned)."""
    if application.status != Status.ACCEPTED:
        return False
    live = selectors.live_referral(application)
    return live is None or live.status == Referral.Status.OFFERED


DECIDE = "fasttrack.decide_fasttrackapplication"
DECISIONS = (
    Decision("accept", _("Accept"), _accept, applies=_allowed(Status.ACCEPTED), permission=DECIDE,
             reason_help=_("Accepting needs all three groups screened as met; the note is optional. "
                           "Assign a QTSP next.")),
    Decision("reject", _("Reject"), _reject, applies=_allowed(Status.REJECTED), permission=DECIDE,
             reason_required=True, reason_help=_("The reasons are required and are sent to the applicant.")),
    Decision("request-information", _("Request information"), _request_information,
             applies=_allowed(Status.INFORMATION_REQUESTED), permission=DECIDE, reason_required=True,
             reason_label=_("Message"),
             reason_help=_("Say what the applicant should add or explain; they can edit and submit again.")),
    Decision("assign", _("Assign a QTSP"), _assign, applies=_assignable,
             permission="fasttrack.assign_fasttrackapplication", form_class=AssignForm),
)


@admin.register(FastTrackApplication)
class FastTrackApplicationAdmin(DecisionAdminMixin, admin.ModelAdmin):
    list_display = ["applicant", "status", "submitted_at", "city", "prescreen_summary", "screening_summary",
                    "referral_summary"]
    list_filter = ["status", NeedsQTSPFilter, "screening_hard", "screening_experience", "screening_professional"]
    search_fields = ["applicant__email", "applicant__full_name", "city"]
    list_select_related = ["applicant"]
    date_hierarchy = "submitted_at"
    inlines = [ClaimInline, ReferralInline, FastTrackEventInline]
    decisions = DECISIONS

    def decision_person(self, obj):
        return obj.applicant

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
        # Screening is a decision: a reviewer in conflict reads it but has nothing to save.
        if obj is not None and obj.status == Status.SUBMITTED and not self.decision_conflict(request, obj):
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

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """The assignment table: the candidates nearest first, each with a button that decides "assign"."""
        application = self.get_object(request, object_id)
        extra = {"candidates": [], "live_referral": None, "can_assign": False}
        if application is not None and application.status == Status.ACCEPTED:
            extra["live_referral"] = selectors.live_referral(application)
            extra["candidates"] = selectors.qtsp_candidates(application)
            extra["can_assign"] = request.user.has_perm("fasttrack.assign_fasttrackapplication") and _assignable(
                application)
        return super().change_view(request, object_id, form_url, {**(extra_context or {}), **extra})


class ReferralEventInline(EventInline):
    model = ReferralEvent
    verbose_name_plural = _("history")


@admin.register(Referral)
class ReferralAdmin(ReadOnlyAdmin):
    list_display = ["application", "qtsp", "status", "distance_km", "offered_at", "respond_by", "escalated_at"]
    list_filter = ["status", ("escalated_at", admin.EmptyFieldListFilter)]
    list_select_related = ["application__applicant", "qtsp"]
    search_fields = ["application__applicant__email", "application__applicant__full_name", "qtsp__name"]
    inlines = [ReferralEventInline]
    readonly_fields = ["application", "qtsp", "status", "distance_km", "was_nearest", "offered_by", "offered_at",
                       "respond_by", "responded_at", "responded_by", "response_note", "escalated_at"]

