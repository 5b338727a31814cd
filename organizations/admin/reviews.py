"""Programme reviews in the admin: each reviewer scores their own; the others stay hidden until all are in.

The blind rule lives in ``selectors.reviews_visible_to``; this admin's queryset is built on it, so a
reviewer cannot list, open or guess the URL of another reviewer's review before then, and the scoring
page opens only for the assigned reviewer.
"""

from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from organizations import selectors, services
from organizations.forms import review_score_form
from organizations.models import ApplicationStatus, Review, Score
from workflows.admin import ReadOnlyAdmin, ReadOnlyInline


class ScoreInline(ReadOnlyInline):
    model = Score
    fields = ["criterion", "score", "comment"]
    readonly_fields = fields

    def get_queryset(self, request):
        return selectors.scores_visible_to(request.user)


@admin.register(Review)
class ReviewAdmin(ReadOnlyAdmin):
    list_display = ["application", "reviewer", "assigned_at", "submitted_at", "score_link"]
    list_filter = [("submitted_at", admin.EmptyFieldListFilter)]
    search_fields = ["application__number", "application__programme__name"]
    readonly_fields = ["application", "reviewer", "summary", "assigned_at", "submitted_at"]
    inlines = [ScoreInline]

    def get_queryset(self, request):
        return selectors.reviews_visible_to(request.user).select_related("application__programme", "reviewer")

    @admin.display(description=gettext_lazy("scores"))
    def score_link(self, review):
        if review.is_submitted or review.application.status != ApplicationStatus.UNDER_REVIEW:
            return _("submitted") if review.is_submitted else "—"
        return format_html('<a href="{}">{}</a>', reverse("admin:organizations_review_score", args=[review.pk]),
                           _("Score"))

    def get_urls(self):
        return [
            path("<int:pk>/score/", self.admin_site.admin_view(self.score_view), name="organizations_review_score"),
            *super().get_urls(),
        ]

    def score_view(self, request, pk: int):
        """The scoring form: only the assigned reviewer, only their own scores, until they submit."""
        review = (
            Review.objects.filter(pk=pk, reviewer=request.user).select_related("application__programme__organization")
            .first()
        )
        if review is None or not request.user.has_perm("organizations.change_review"):
            raise PermissionDenied
        if review.is_submitted:
            return redirect("admin:organizations_review_change", review.pk)
        rows = list(review.scores.select_related("criterion").order_by("criterion__position", "criterion__code"))
        criteria = [row.criterion for row in rows]
        initial = {row.criterion_id: (row.score, row.comment) for row in rows}
        form = review_score_form(criteria, data=request.POST or None, initial_scores=initial, summary=review.summary)
        if request.method == "POST" and form.is_valid():
            scores = {criterion.pk: (form.cleaned_data[f"score_{criterion.pk}"],
                                     form.cleaned_data[f"comment_{criterion.pk}"]) for criterion in criteria}
            submit = "_submit" in request.POST
            try:
                services.review_save(review=review, actor=request.user, scores=scores,
                                     summary=form.cleaned_data["summary"], submit=submit)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                self.message_user(request, _("Review submitted.") if submit else _("Scores saved; not submitted yet."))
                if submit:
                    return redirect("admin:organizations_programmeapplication_change", review.application_id)
                return redirect("admin:organizations_review_score", review.pk)
        application = review.application
        return TemplateResponse(request, "admin/organizations/review/score.html", {
            **self.admin_site.each_context(request), "opts": self.model._meta, "original": review, "review": review,
            "application": application, "form": form, "criteria": criteria,
            "title": _("Score %(number)s") % {"number": application.number},
        })
