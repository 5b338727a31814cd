from django.contrib import admin
from modeltranslation.admin import TranslationAdmin

from content.models import Expert


@admin.register(Expert)
class ExpertAdmin(TranslationAdmin):
    list_display = ["name", "affiliation"]
    search_fields = ["name", "affiliation"]
    prepopulated_fields = {"slug": ["name"]}
