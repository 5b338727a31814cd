"""Programme applications in the committee admin: read-only, with the committee's actions as their own pages.

Nothing here writes a status: taking an application for review, deciding, revoking and accepting a
condition's answer each call their service. The scores shown are filtered by ``scores_visible_to``:
a reviewer sees the other reviewers' scores only once every required review is in.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from organizations import selectors, services
from organizations.conflicts import application_people
from organizations.forms import ConditionFormSet
from organizations.models import (
    AccreditedMentor,
    AnnualReport,
    ApplicationDocument,
    ApplicationEvent,
    ApplicationStatus,
    Condition,
    ConditionStatus,
    Criterion,
    ProgrammeApplication,
    Review,
)
from workflows.admin import Decision, DecisionAdminMixin, ReadOnlyAdmin, ReadOnlyInline, ReasonForm
from workflows.admin import EventInline as WorkflowEventInline


def condition_review_link(condition) -> str:
    """The committee's links to accept or return an answered condition (its decide pages)."""
    if condition.status != ConditionStatus.ANSWERED:
        return "—"
    return format_html_join(" · ", '<a href="{}">{}</a>', (
        (reverse("admin:organizations_condition_decide", args=[condition.pk, slug]), label)
        for slug, label in (("accept", _("Accept")), ("return", _("Return")))
    ))



class MentorInline(ReadOnlyInline):
    model = AccreditedMentor
    fields = ["full_name", "certificate_number", "check_result", "certificate_holder", "certificate_level",
              "checked_at"]
    readonly_fields = fields


class DocumentInline(ReadOnlyInline):
    model = ApplicationDocument
    fields = ["kind", "download", "size", "uploaded_by", "uploaded_at"]
    readonly_fields = fields

    @admin.display(description=gettext_lazy("file"))
    def download(self, document):
        return format_html('<a href="{}">{}</a>', reverse("organizations:document_download", args=[document.pk]),
                           document.original_name)


class ReviewInline(ReadOnlyInline):
    """Who reviews; the summaries of other reviewers only once all reviews are in (the queryset says)."""

    model = Review
    fields = ["reviewer", "assigned_at", "submitted_at", "summary"]
    readonly_fields = fields

    def get_queryset(self, request):
        return selectors.reviews_visible_to(request.user).select_related("reviewer")


class ConditionInline(ReadOnlyInline):
    model = Condition
    fields = ["text", "due_on", "status", "response", "responded_at", "committee_note", "review_link"]
    readonly_fields = fields

    @admin.display(description=gettext_lazy("committee"))
    def review_link(self, condition):
        return condition_review_link(condition)


class ReportInline(ReadOnlyInline):
    model = AnnualReport
    fields = ["year", "period_start", "period_end", "due_on", "status", "active_pairs", "retention_percent",
              "filed_at"]
    readonly_fields = fields


class EventInline(WorkflowEventInline):
    model = ApplicationEvent
    fields = ["created_at", "action", "from_status", "to_status", "by", "note"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")


# ---- the committee's decisions (one page each, workflows.admin) ----------------------------------------------


class DecisionForm(ReasonForm):
    """Accredited, with conditions (each with its due date, in the formset below) or rejected."""

    decision = forms.ChoiceField(
        label=gettext_lazy("Decision"), widget=forms.RadioSelect,
        choices=[(ApplicationStatus.ACCREDITED, gettext_lazy("Accredited")),
                 (ApplicationStatus.CONDITIONAL, gettext_lazy("Accredited with conditions")),
                 (ApplicationStatus.REJECTED, gettext_lazy("Rejected"))],
    )
    field_order = ["decision", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.conditions = ConditionFormSet(self.data if self.is_bound else None, prefix="conditions")
        self.formsets = [self.conditions]

    def is_valid(self) -> bool:
        return super().is_valid() & self.conditions.is_valid()

    def clean(self):
        cleaned = super().clean()
        if self.conditions.is_valid():
            cleaned["conditions"] = [(row["text"], row["due_on"]) for row in self.conditions.cleaned_data
                                     if row and row.get("text")]
        return cleaned


def _take(application, actor, data) -> None:
    services.review_assign(application=application, reviewer=actor, actor=actor)


def _decide(application, actor, data) -> None:
    services.application_decide(application=application, actor=actor, decision=data["decision"],
                                reasons=data["note"], conditions=data.get("conditions", []))


def _revoke(application, actor, data) -> None:
    services.accreditation_revoke(application=application, actor=actor, reason=data["note"])


def _under_review(application) -> bool:
    return application.status == ApplicationStatus.UNDER_REVIEW


def _reviews_in(application) -> bool:
    return _under_review(application) and application.reviews_completed_at is not None


@admin.register(ProgrammeApplication)
class ProgrammeApplicationAdmin(DecisionAdminMixin, ReadOnlyAdmin):
    change_form_template = "admin/organizations/programmeapplication/change_form.html"
    decisions = (
        Decision("take", gettext_lazy("Take for review"), _take, applies=_under_review,
                 permission="organizations.assign_programmereviewer"),
        Decision("decide", gettext_lazy("Decide"), _decide, applies=_reviews_in,
                 permission="organizations.decide_programmeapplication", form_class=DecisionForm,
                 reason_help=gettext_lazy("Required for a rejection and for conditions; the organization reads them.")),
        Decision("revoke", gettext_lazy("Revoke"), _revoke, applies=lambda application: application.is_accredited_status,
                 permission="organizations.revoke_programmeapplication", reason_required=True,
                 reason_label=gettext_lazy("Reason for the revocation"),
                 reason_help=gettext_lazy("The organization reads it; the logo kit goes at once.")),
    )

    def decision_person(self, obj):
        return application_people(obj)

    list_display = ["number", "programme", "organization", "kind", "status", "submitted_at", "reviews",
                    "valid_until"]
    list_filter = ["status", "kind"]
    search_fields = ["number", "programme__name", "programme__organization__legal_name", "certificate_number"]
    list_select_related = ["programme__organization"]
    date_hierarchy = "submitted_at"
    actions = ["take_for_review"]
    inlines = [MentorInline, DocumentInline, ReviewInline, ConditionInline, ReportInline, EventInline]
    fieldsets = [
        (None, {"fields": ["number", "programme", "organization", "kind", "previous", "status"]}),
        (gettext_lazy("The programme"), {"fields": [
            "purpose", "audiences", "audience_details", "mentors_count", "mentees_count", "active_pairs", "matching",
            "training_provider", "training_details", "supervision", "monitoring", "ethics_adopted", "ethics_details",
        ]}),
        (gettext_lazy("Review and decision"), {"fields": [
            "submitted_by", "submitted_at", "review_started_at", "reviews_required", "reviews_completed_at",
            "decided_by", "decided_at", "decision_reasons", "certificate_number", "valid_from", "valid_until",
            "ended_at",
        ]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("programme__organization", "previous")

    def get_readonly_fields(self, request, obj=None):
        return [field for fieldset in self.fieldsets for field in fieldset[1]["fields"]]

    @admin.display(description=gettext_lazy("organization"), ordering="programme__organization__legal_name")
    def organization(self, application):
        return application.programme.organization

    @admin.display(description=gettext_lazy("reviews"))
    def reviews(self, application):
        if application.reviews_required is None:
            return "—"
        return _("complete") if application.reviews_completed_at else _("in progress")

    # ---- actions --------------------------------------------------------------------------------------------

    def has_assign_programmereviewer_permission(self, request) -> bool:
        return request.user.has_perm("organizations.assign_programmereviewer")

    def has_decide_programmeapplication_permission(self, request) -> bool:
        return request.user.has_perm("organizations.decide_programmeapplication")

    @admin.action(description=gettext_lazy("Take for review (assign me as a reviewer)"),
                  permissions=["assign_programmereviewer"])
    def take_for_review(self, request, queryset):
        for application in queryset:
            try:
                services.review_assign(application=application, reviewer=request.user, actor=request.user)
            except ValidationError as exc:
                self.message_user(request, f"{application.number}: {' '.join(exc.messages)}", messages.ERROR)
            else:
                self.message_user(request, _("%(number)s: you are a reviewer. Score it under Programme reviews.")
                                  % {"number": application.number}, messages.SUCCESS)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        application = self.get_object(request, object_id)
        extra_context = extra_context or {}
        if application is not None:
            extra_context["score_table"] = score_table(application, user=request.user)
        return super().change_view(request, object_id, form_url, extra_context)

    def decision_context(self, request, obj, decision: Decision) -> dict:
        if decision.slug != "decide":
            return {}
        return {"facts": True, "facts_template": "admin/organizations/programmeapplication/score_table.html",
                "score_table": score_table(obj, user=request.user)}


def score_table(application: ProgrammeApplication, *, user) -> dict:
    """The scores this user may see, one row per standard and one column per visible review (2 queries)."""
    scores = list(selectors.scores_visible_to(user).filter(review__application=application)
                  .order_by("review__assigned_at", "review_id", "criterion__position"))
    reviews, rows = [], {}
    for score in scores:
        if score.review not in reviews:
            reviews.append(score.review)
        rows.setdefault(score.criterion, {})[score.review_id] = score
    criteria = sorted(rows, key=lambda criterion: (criterion.position, criterion.code))
    table = []
    for criterion in criteria:
        cells = [rows[criterion].get(review.pk) for review in reviews]
        values = [cell.score for cell in cells if cell is not None and cell.score is not None]
        table.append({"criterion": criterion, "cells": cells,
                      "average": round(sum(values) / len(values), 1) if values else None})
    hidden = application.reviews.exclude(pk__in=[review.pk for review in reviews]).count()
    return {"reviews": reviews, "rows": table, "hidden": hidden, "complete": application.reviews_completed_at is not None,
            "criteria_count": Criterion.objects.active().count()}


@admin.register(Condition)
class ConditionAdmin(DecisionAdminMixin, ReadOnlyAdmin):
    """Answered conditions are accepted (met) or returned to the organization with a note."""

    decisions = (
        Decision("accept", gettext_lazy("Accept: the condition is met"),
                 lambda condition, actor, data: services.condition_review(
                     condition=condition, actor=actor, accept=True, note=data["note"]),
                 applies=lambda condition: condition.can_transition(ConditionStatus.MET),
                 permission="organizations.decide_programmeapplication",
                 reason_label=gettext_lazy("Note to the organization")),
        Decision("return", gettext_lazy("Return to the organization: something is missing"),
                 lambda condition, actor, data: services.condition_review(
                     condition=condition, actor=actor, accept=False, note=data["note"]),
                 applies=lambda condition: condition.can_transition(ConditionStatus.OPEN),
                 permission="organizations.decide_programmeapplication", reason_required=True,
                 reason_label=gettext_lazy("Note to the organization")),
    )

    def decision_person(self, obj):
        return application_people(obj.application)

    list_display = ["application", "short_text", "due_on", "status", "overdue", "review_link"]
    list_filter = ["status", "due_on"]
    search_fields = ["application__number", "application__programme__name", "text"]
    list_select_related = ["application__programme"]
    readonly_fields = ["application", "text", "due_on", "status", "response", "responded_by", "responded_at",
                       "committee_note", "closed_by", "closed_at", "overdue_flagged_at"]

    @admin.display(description=gettext_lazy("condition"))
    def short_text(self, condition):
        return condition.text[:80]

    @admin.display(description=gettext_lazy("overdue"), boolean=True)
    def overdue(self, condition):
        return condition.is_overdue

    @admin.display(description=gettext_lazy("committee"))
    def review_link(self, condition):
        return condition_review_link(condition)
