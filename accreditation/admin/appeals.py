"""Appeals: read in the admin, decided through ``appeal_decide`` by a reviewer other than the rejecter."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy

from accreditation.models import Appeal, AppealDecision
from accreditation.selectors import REVIEW_PERMISSION
from accreditation.services import appeal_decide
from workflows.admin import Decision, DecisionAdminMixin, ReadOnlyAdmin


def _pending(appeal: Appeal) -> bool:
    return appeal.decision == AppealDecision.PENDING


def _decide(grant: bool):
    def decide(appeal, actor, data):
        appeal_decide(appeal=appeal, actor=actor, grant=grant, reason=data["note"])

    return decide


REASONS = gettext_lazy("Reasons the applicant will read")


@admin.register(Appeal)
class AppealAdmin(DecisionAdminMixin, ReadOnlyAdmin):
    list_display = ["application", "filed_at", "rejected_by", "reviewer", "decision", "decided_at"]
    list_filter = ["decision", "filed_at"]
    list_select_related = ["application__level", "application__applicant", "rejected_by", "reviewer"]
    search_fields = ["application__number", "application__applicant__email", "application__applicant__full_name"]
    readonly_fields = ["application_link", "statement", "filed_at", "rejected_by", "reviewer", "decision",
                       "decision_reason", "decided_by", "decided_at", "rejection_reason"]
    fields = readonly_fields
    decisions = (
        Decision("grant", AppealDecision.GRANTED.label, _decide(True), applies=_pending,
                 permission=REVIEW_PERMISSION, reason_required=True, reason_label=REASONS),
        Decision("dismiss", AppealDecision.DISMISSED.label, _decide(False), applies=_pending,
                 permission=REVIEW_PERMISSION, reason_required=True, reason_label=REASONS),
    )

    def decision_person(self, obj):
        return obj.application.applicant

    def get_queryset(self, request):
        queryset = super().get_queryset(request).select_related("application")
        return queryset if request.user.is_superuser else queryset.exclude(application__applicant=request.user)

    def decisions_for(self, request, obj):
        # The reviewer who rejected is not offered the decision (the service refuses them anyway).
        if obj.rejected_by_id == request.user.pk:
            return []
        return super().decisions_for(request, obj)

    def decision_context(self, request, obj, decision):
        return {"facts": obj, "facts_template": "admin/accreditation/appeal/decision_facts.html"}

    @admin.display(description=gettext_lazy("application"))
    def application_link(self, obj):
        return format_html('<a href="{}">{}</a>', reverse("admin:accreditation_levelapplication_change",
                                                          args=[obj.application_id]), obj.application.number)

    @admin.display(description=gettext_lazy("reasons for the rejection"))
    def rejection_reason(self, obj):
        return obj.application.rejection_reason
