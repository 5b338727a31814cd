"""Level applications in the admin: read-only pages; every decision goes through ``accreditation.services``."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_countries import countries

from accreditation.eligibility import OUTCOME_LABELS, Outcome, Requirement, summary
from accreditation.models import (
    Appeal,
    ApplicationEvent,
    ApplicationStatus,
    LevelApplication,
)
from accreditation.selectors import (
    REVIEW_PERMISSION,
    applicant_countries,
    documents_of,
    eligibility_for,
    reviewer_applications,
    reviewer_choices,
    reviewers_by_load,
)
from accreditation.services import (
    application_accept_for_exam,
    application_approve,
    application_assign_reviewer,
    application_reject,
    application_request_information,
)
from applicants.models import ConfirmationStatus, EducationLevel, MentoringFormat, language_choices
from workflows.admin import (
    Decision,
    DecisionAdminMixin,
    EventInline,
    LargeChangelistMixin,
    NoteActionForm,
    ReadOnlyAdmin,
    ReasonForm,
)

S = ApplicationStatus


class ApplicationEventInline(EventInline):
    model = ApplicationEvent
    fields = ["created_at", "action", "from_status", "to_status", "by", "note"]
    readonly_fields = fields
    verbose_name_plural = gettext_lazy("History (read-only)")

    def has_view_permission(self, request, obj=None):
        # The history is part of the application: whoever may view the application sees it.
        return request.user.has_perm("accreditation.view_levelapplication")


class CountryListFilter(admin.SimpleListFilter):
    title = gettext_lazy("country")
    parameter_name = "country"

    def lookups(self, request, model_admin):
        return applicant_countries()

    def queryset(self, request, queryset):
        return queryset.filter(applicant__profile__country=self.value()) if self.value() else queryset


class ReviewerListFilter(admin.SimpleListFilter):
    title = gettext_lazy("assigned reviewer")
    parameter_name = "reviewer"

    def lookups(self, request, model_admin):
        return [("none", _("Nobody yet")), *((str(r.pk), str(r)) for r in reviewers_by_load())]

    def queryset(self, request, queryset):
        if self.value() == "none":
            return queryset.filter(reviewer__isnull=True)
        if self.value() and self.value().isdigit():
            return queryset.filter(reviewer_id=int(self.value()))
        return queryset


class DecisionActionForm(NoteActionForm):
    """Shown beside the bulk actions: the reviewer to assign, or the message / reasons the action needs."""

    reviewer = forms.ModelChoiceField(label=gettext_lazy("Reviewer"), queryset=None, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].queryset = reviewers_by_load()


def _checklist_html(requirements: list[Requirement]):
    return format_html(
        '<table class="checklist"><thead><tr><th scope="col">{}</th><th scope="col">{}</th><th scope="col">{}</th>'
        "</tr></thead><tbody>{}</tbody></table>",
        _("Requirement"), _("Outcome"), _("Reason"),
        format_html_join("", '<tr class="requirement-{}"><td>{}</td><td><strong>{}</strong></td><td>{}</td></tr>', (
            (r.outcome, r.label, OUTCOME_LABELS[r.outcome], r.reason) for r in requirements
        )),
    )


def _shown_date(value: str | None) -> str:
    """A snapshot's ISO date as the portal writes dates."""
    parsed = parse_date(value) if value else None
    return formats.date_format(parsed, "DATE_FORMAT") if parsed else (value or "—")


def _shown_datetime(value: str | None) -> str:
    """A snapshot's ISO timestamp in the reader's time zone, as the portal writes them."""
    parsed = parse_datetime(value) if value else None
    return formats.date_format(timezone.localtime(parsed), "DATETIME_FORMAT") if parsed else (value or "—")


def _summary_text(requirements: list[Requirement]) -> str:
    counts = summary(requirements)
    parts = [f"{counts[str(outcome)]} {OUTCOME_LABELS[outcome].lower()}" for outcome in Outcome if counts[str(outcome)]]
    return " · ".join(parts)


class AssignForm(ReasonForm):
    """The reviewer to assign: only committee reviewers without a conflict of interest."""

    reviewer = forms.ModelChoiceField(label=gettext_lazy("Reviewer"), queryset=None)

    def __init__(self, *args, obj=None, **kwargs):
        super().__init__(*args, obj=obj, **kwargs)
        del self.fields["note"]
        self.fields["reviewer"].queryset = reviewers_by_load().filter(
            pk__in=[r.pk for r in reviewer_choices(obj)])


def _assign(application, actor, data):
    if data.get("reviewer") is None:
        raise ValidationError(_("Choose the reviewer to assign."))
    application_assign_reviewer(application=application, reviewer=data["reviewer"], actor=actor)


def _in_review(application) -> bool:
    return application.is_open and not application.is_draft


DECISIONS = (
    Decision("assign", gettext_lazy("Assign reviewer"), _assign, applies=_in_review,
             permission=REVIEW_PERMISSION, form_class=AssignForm),
    Decision("request_information", gettext_lazy("Request information"),
             lambda obj, actor, data: application_request_information(application=obj, actor=actor,
                                                                      message=data["note"]),
             applies=lambda obj: obj.can_transition(S.INFORMATION_REQUESTED), permission=REVIEW_PERMISSION,
             reason_required=True, reason_label=gettext_lazy("What should the applicant provide?")),
    Decision("accept_for_exam", gettext_lazy("Accept for exam"),
             lambda obj, actor, data: application_accept_for_exam(application=obj, actor=actor, note=data["note"]),
             applies=lambda obj: obj.can_transition(S.ACCEPTED_FOR_EXAM), permission=REVIEW_PERMISSION,
             reason_label=gettext_lazy("Note for the record (optional)")),
    Decision("approve", gettext_lazy("Approve"),
             lambda obj, actor, data: application_approve(application=obj, actor=actor, note=data["note"]),
             applies=lambda obj: obj.can_transition(S.APPROVED), permission=REVIEW_PERMISSION,
             reason_label=gettext_lazy("Note for the record (optional)")),
    Decision("reject", gettext_lazy("Reject"),
             lambda obj, actor, data: application_reject(application=obj, actor=actor, reason=data["note"]),
             applies=lambda obj: obj.can_transition(S.REJECTED), permission=REVIEW_PERMISSION,
             reason_required=True, reason_label=gettext_lazy("Reasons the applicant will read")),
)


def _bulk_action(slug: str, description):
    """A list action that runs one decision per selected row through the service."""

    @admin.action(description=description, permissions=["review"])
    def run(modeladmin, request, queryset):
        reviewer_id = request.POST.get("reviewer")
        modeladmin.decide_in_bulk(request, queryset, slug, {
            "note": request.POST.get("note", ""),
            "reviewer": reviewers_by_load().filter(pk=reviewer_id).first() if reviewer_id else None,
        })

    run.__name__ = f"bulk_{slug}"
    return run


@admin.register(LevelApplication)
class LevelApplicationAdmin(LargeChangelistMixin, DecisionAdminMixin, ReadOnlyAdmin):
    list_display = ["number", "applicant_name", "applicant_email", "level_code", "status", "submitted_at",
                    "reviewer", "eligibility_summary", "audit_flag", "country"]
    list_display_links = ["number"]
    list_filter = ["level", "status", CountryListFilter, "submitted_at", ReviewerListFilter, "audit_selected"]
    search_people = ("applicant",)
    search_numbers = ("number",)
    list_select_related = ["applicant__profile", "level", "reviewer"]
    date_hierarchy = "submitted_at"
    inlines = [ApplicationEventInline]
    action_form = DecisionActionForm
    actions = [
        _bulk_action("assign", gettext_lazy("Assign the chosen reviewer")),
        _bulk_action("request_information", gettext_lazy("Request information (with the message)")),
        _bulk_action("accept_for_exam", gettext_lazy("Accept for exam")),
        _bulk_action("approve", gettext_lazy("Approve")),
        _bulk_action("reject", gettext_lazy("Reject (with the reasons)")),
    ]
    decisions = DECISIONS

    def decision_person(self, obj):
        return obj.applicant

    fieldsets = [
        (None, {"fields": ["number", "applicant_link", "level", "status", "reviewer", "audit_selected"]}),
        (gettext_lazy("Dates"), {"fields": ["created_at", "submitted_at", "review_started_at", "accepted_at",
                                            "exam_passed_at", "decided_at", "closed_at"]}),
        (gettext_lazy("Statements"), {"fields": ["practice_statement", "equivalent_training_statement",
                                                 "contribution_statement", "rejection_reason"]}),
        (gettext_lazy("Eligibility"), {"fields": ["eligibility_now", "snapshot_checklist"]}),
        (gettext_lazy("Snapshot at submission"), {"fields": ["snapshot_profile", "snapshot_hours"]}),
        (gettext_lazy("Documents"), {"fields": ["document_links"]}),
        (gettext_lazy("Appeal"), {"fields": ["appeal_summary"]}),
    ]
    readonly_fields = [
        "number", "applicant_link", "level", "status", "reviewer", "audit_selected", "created_at", "submitted_at",
        "review_started_at", "accepted_at", "exam_passed_at", "decided_at", "closed_at", "practice_statement",
        "equivalent_training_statement", "contribution_statement", "rejection_reason", "eligibility_now",
        "snapshot_checklist", "snapshot_profile", "snapshot_hours", "document_links", "appeal_summary",
    ]

    # ---- who may do what: the committee reads, and decides only through the actions ----

    def get_queryset(self, request):
        return reviewer_applications(request.user).select_related("applicant__profile", "level", "reviewer")

    def has_review_permission(self, request) -> bool:
        return request.user.has_perm(REVIEW_PERMISSION)

    # ---- list columns (no queries: they read the row, its joins and the frozen snapshot) ----

    @admin.display(description=gettext_lazy("applicant"), ordering="applicant__full_name")
    def applicant_name(self, obj):
        profile = getattr(obj.applicant, "profile", None)
        return (profile.legal_name if profile else "") or obj.applicant.full_name or obj.applicant.email

    @admin.display(description=gettext_lazy("email"), ordering="applicant__email")
    def applicant_email(self, obj):
        return obj.applicant.email

    @admin.display(description=gettext_lazy("level"), ordering="level__rank")
    def level_code(self, obj):
        return obj.level.code

    @admin.display(description=gettext_lazy("eligibility at submission"))
    def eligibility_summary(self, obj):
        requirements = [Requirement.from_dict(r) for r in obj.snapshot.get("requirements", [])]
        return _summary_text(requirements) if requirements else "—"

    @admin.display(description=gettext_lazy("audit"), boolean=True, ordering="audit_selected")
    def audit_flag(self, obj):
        return obj.audit_selected

    @admin.display(description=gettext_lazy("country"), ordering="applicant__profile__country")
    def country(self, obj):
        profile = getattr(obj.applicant, "profile", None)
        return profile.country.name if profile and profile.country else "—"

    # ---- detail page ----

    @admin.display(description=gettext_lazy("applicant"))
    def applicant_link(self, obj):
        return format_html("{} &lt;{}&gt;", self.applicant_name(obj), obj.applicant.email)

    @admin.display(description=gettext_lazy("requirements today"))
    def eligibility_now(self, obj):
        if not obj.is_open:
            return _("Closed: see the snapshot and the history.")
        return _checklist_html(eligibility_for(user=obj.applicant, level_code=obj.level.code, application=obj))

    @admin.display(description=gettext_lazy("requirements at submission"))
    def snapshot_checklist(self, obj):
        requirements = [Requirement.from_dict(r) for r in obj.snapshot.get("requirements", [])]
        if not requirements:
            return _("Not submitted yet.")
        return format_html("{}<p>{}</p>", _checklist_html(requirements),
                           _("Frozen at %(when)s.") % {"when": _shown_datetime(obj.snapshot.get("taken_at"))})

    @admin.display(description=gettext_lazy("profile"))
    def snapshot_profile(self, obj):
        profile = obj.snapshot.get("profile")
        if not profile:
            return "—"
        labels = {"legal_name": _("Legal name"), "country": _("Country"), "city": _("City"),
                  "languages": _("Languages"), "highest_education": _("Highest education"),
                  "mentoring_since": _("Mentoring since"), "background": _("Background")}
        shown = {
            **profile,
            "country": dict(countries).get(profile.get("country"), profile.get("country")),
            "languages": ", ".join(str(dict(language_choices()).get(code, code))
                                   for code in profile.get("languages") or []),
            "highest_education": dict(EducationLevel.choices).get(profile.get("highest_education"), ""),
            "mentoring_since": _shown_date(profile.get("mentoring_since")),
        }
        return format_html("<dl>{}</dl>", format_html_join("", "<dt>{}</dt><dd>{}</dd>", (
            (label, shown.get(key) or "—") for key, label in labels.items()
        )))

    @admin.display(description=gettext_lazy("hours entries"))
    def snapshot_hours(self, obj):
        entries = obj.snapshot.get("hours_entries", [])
        if not entries:
            return "—"
        return format_html(
            '<table><thead><tr><th scope="col">{}</th><th scope="col">{}</th><th scope="col">{}</th>'
            '<th scope="col">{}</th><th scope="col">{}</th><th scope="col">{}</th></tr></thead><tbody>{}</tbody></table>',
            _("Mentee"), _("From"), _("To"), _("Hours"), _("Format"), _("Confirmation"),
            format_html_join("", "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>", (
                (e["mentee"], _shown_date(e["started_on"]), _shown_date(e["ended_on"]), e["hours"],
                 dict(MentoringFormat.choices).get(e["format"], e["format"]),
                 # Snapshots taken before confirmations existed have no status: nothing was confirmed then.
                 dict(ConfirmationStatus.choices).get(e.get("status") or "unconfirmed"))
                for e in entries
            )),
        )

    @admin.display(description=gettext_lazy("documents"))
    def document_links(self, obj):
        documents = list(documents_of(obj))
        if not documents:
            return "—"
        return format_html("<ul>{}</ul>", format_html_join("", '<li><a href="{}">{}</a> ({}, {})</li>', (
            (reverse("accreditation:document_download", args=[obj.pk, d.pk]), d.original_name, d.get_kind_display(),
             d.uploaded_at.date().isoformat())
            for d in documents
        )))

    @admin.display(description=gettext_lazy("appeal"))
    def appeal_summary(self, obj):
        appeal = Appeal.objects.filter(application=obj).select_related("reviewer").first()
        if appeal is None:
            return "—"
        return format_html('<a href="{}">{}</a>: {} ({})', reverse("admin:accreditation_appeal_change", args=[appeal.pk]),
                           _("Appeal"), appeal.get_decision_display(), appeal.reviewer or _("no reviewer yet"))

    # ---- decisions: the one page pattern of ``workflows.admin``, with today's checklist ----

    def decision_context(self, request, obj, decision):
        if not obj.is_open:
            return {}
        # The outcome in words ("Met", "达到"), not its code ("met") that the template would print.
        return {"requirements": [
            {"label": r.label, "outcome": OUTCOME_LABELS[r.outcome], "reason": r.reason}
            for r in eligibility_for(user=obj.applicant, level_code=obj.level.code, application=obj)
        ]}
