from django.contrib import admin
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from exams.admin.forms import TopicWeightFormSet
from exams.models import ExamBlueprint, Topic, TopicWeight


@admin.register(Topic)
class TopicAdmin(TranslationAdmin):
    list_display = ["position", "name", "code"]
    list_display_links = ["name"]
    ordering = ["position"]


class TopicWeightInline(admin.TabularInline):
    model = TopicWeight
    formset = TopicWeightFormSet
    extra = 0
    fields = ["topic", "weight"]
    ordering = ["topic__position"]


@admin.register(ExamBlueprint)
class ExamBlueprintAdmin(admin.ModelAdmin):
    """A level's topic weights, edited together so the total can be checked (must be 100)."""

    list_display = ["level", "weights_summary", "updated_at"]
    inlines = [TopicWeightInline]
    readonly_fields = ["level", "updated_at"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("level").prefetch_related(
            Prefetch("weights", queryset=TopicWeight.objects.select_related("topic").order_by("topic__position")))

    @admin.display(description=_("weights"))
    def weights_summary(self, obj: ExamBlueprint) -> str:
        return " · ".join(f"{weight.topic.name} {weight.weight}%" for weight in obj.weights.all())

    def has_add_permission(self, request) -> bool:
        return False  # one blueprint per level, from the data migration

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
