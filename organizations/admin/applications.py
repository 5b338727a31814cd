"""Programme applications in the committee admin: read-only, with the committee's actions as their own pages.

Nothing here writes a status: taking an application for review, deciding, revoking and accepting a
condition's answer each call their service. The scores shown are filtered by ``scores_visible_to``:
a reviewer sees the other reviewers' scores only once every required review is in.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from organizations import selectors, services
from organizations.forms import ConditionFormSet, ConditionReviewForm, DecisionForm, RevokeForm
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


def condition_review_link(condition) -> str:
    """The committee's link to accept or return an answered condition."""
    if condition.status != ConditionStatus.ANSWERED:
        return "—"
    return format_html('<a href="{}">{}</a>', reverse("admin:organizations_condition_review", args=[condition.pk]),
                       _("Accept or return"))


class ReadOnlyAdmin(admin.ModelAdmin):
    """What the committee reads here is changed only by services (through this admin's own pages)."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


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


class EventInline(ReadOnlyInline):
    model = ApplicationEvent
    fields = ["created_at", "action", "from_status", "to_status", "actor", "note"]
    readonly_fields = fields
    ordering = ["created_at", "pk"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")


@admin.register(ProgrammeApplication)
class ProgrammeApplicationAdmin(ReadOnlyAdmin):
    change_form_template = "admin/organizations/programmeapplication/change_form.html"
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

    # ---- the committee's pages ---------------------------------------------------------------------------

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/take/", view(self.take_view), name="organizations_programmeapplication_take"),
            path("<int:pk>/decide/", view(self.decide_view), name="organizations_programmeapplication_decide"),
            path("<int:pk>/revoke/", view(self.revoke_view), name="organizations_programmeapplication_revoke"),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        application = self.get_object(request, object_id)
        extra_context = extra_context or {}
        if application is not None:
            user = request.user
            extra_context.update(
                score_table=score_table(application, user=user),
                can_take=application.status == ApplicationStatus.UNDER_REVIEW
                and user.has_perm("organizations.assign_programmereviewer")
                and not application.reviews.filter(reviewer=user).exists(),
                can_decide=application.status == ApplicationStatus.UNDER_REVIEW
                and application.reviews_completed_at is not None
                and user.has_perm("organizations.decide_programmeapplication"),
                can_revoke=application.is_accredited_status
                and user.has_perm("organizations.revoke_programmeapplication"),
            )
        return super().change_view(request, object_id, form_url, extra_context)

    def _page(self, request, application, template: str, title: str, **context):
        return TemplateResponse(request, f"admin/organizations/programmeapplication/{template}", {
            **self.admin_site.each_context(request), "opts": self.model._meta, "original": application,
            "application": application, "title": title,
            "change_url": reverse("admin:organizations_programmeapplication_change", args=[application.pk]),
            **context,
        })

    def take_view(self, request, pk: int):
        application = get_object_or_404(ProgrammeApplication.objects.select_related("programme__organization"), pk=pk)
        if request.method == "POST":
            self.take_for_review(request, ProgrammeApplication.objects.filter(pk=application.pk))
            return redirect("admin:organizations_programmeapplication_change", pk)
        return self._page(request, application, "take.html",
                          _("Take %(number)s for review") % {"number": application.number}, form=forms.Form())

    def decide_view(self, request, pk: int):
        if not request.user.has_perm("organizations.decide_programmeapplication"):
            raise PermissionDenied
        application = get_object_or_404(ProgrammeApplication.objects.select_related("programme__organization"), pk=pk)
        form = DecisionForm(request.POST or None)
        conditions = ConditionFormSet(request.POST or None, prefix="conditions")
        if request.method == "POST" and form.is_valid() and conditions.is_valid():
            listed = [(row["text"], row["due_on"]) for row in conditions.cleaned_data if row and row.get("text")]
            try:
                services.application_decide(application=application, actor=request.user, conditions=listed,
                                            **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                self.message_user(request, _("Decision recorded: %(status)s.")
                                  % {"status": ApplicationStatus(form.cleaned_data["decision"]).label})
                return redirect("admin:organizations_programmeapplication_change", pk)
        return self._page(request, application, "decide.html", _("Decide %(number)s") % {"number": application.number},
                          form=form, conditions=conditions, score_table=score_table(application, user=request.user))

    def revoke_view(self, request, pk: int):
        if not request.user.has_perm("organizations.revoke_programmeapplication"):
            raise PermissionDenied
        application = get_object_or_404(ProgrammeApplication.objects.select_related("programme__organization"), pk=pk)
        form = RevokeForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                services.accreditation_revoke(application=application, actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                self.message_user(request, _("The accreditation was revoked."))
                return redirect("admin:organizations_programmeapplication_change", pk)
        return self._page(request, application, "revoke.html",
                          _("Revoke the accreditation %(number)s") % {"number": application.number}, form=form)


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
class ConditionAdmin(ReadOnlyAdmin):
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

    def get_urls(self):
        return [
            path("<int:pk>/review/", self.admin_site.admin_view(self.review_view),
                 name="organizations_condition_review"),
            *super().get_urls(),
        ]

    def review_view(self, request, pk: int):
        if not request.user.has_perm("organizations.decide_programmeapplication"):
            raise PermissionDenied
        condition = get_object_or_404(Condition.objects.select_related("application__programme"), pk=pk)
        form = ConditionReviewForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                services.condition_review(condition=condition, actor=request.user,
                                          accept=form.cleaned_data["outcome"] == "accept",
                                          note=form.cleaned_data["note"])
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                self.message_user(request, _("Recorded."))
                return redirect("admin:organizations_programmeapplication_change", condition.application_id)
        return TemplateResponse(request, "admin/organizations/condition/review.html", {
            **self.admin_site.each_context(request), "opts": self.model._meta, "original": condition,
            "condition": condition, "form": form, "title": _("Accept or return an answer"),
        })
