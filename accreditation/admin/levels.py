from django.contrib import admin
from modeltranslation.admin import TranslationAdmin

from accreditation.models import Level


@admin.register(Level)
class LevelAdmin(TranslationAdmin):
    """The levels are data from the source documents: the committee reads them here, changes need a migration;
    their wording (name, training) is edited here in each language."""

    list_display = ["code", "name", "service_hours", "years_mentoring", "minimum_education", "prerequisite",
                    "training", "requires_contribution_statement", "certificate_validity_years", "confirmed_hours_share"]
    list_select_related = ["prerequisite"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
