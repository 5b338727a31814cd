from django import forms
from django.contrib import admin
from modeltranslation.admin import TranslationAdmin, TranslationStackedInline
from simple_history.admin import SimpleHistoryAdmin

from content.models import ContactMessage, Expert, FaqEntry, FaqGroup, LeadershipTerm, Page
from content.services import leadership_term_check, leadership_term_save


@admin.register(Expert)
class ExpertAdmin(TranslationAdmin):
    list_display = ["name", "affiliation"]
    search_fields = ["name", "affiliation"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Page)
class PageAdmin(SimpleHistoryAdmin, TranslationAdmin):
    list_display = ["title", "slug", "status", "nav_group", "nav_order", "updated_at"]
    list_filter = ["status", "nav_group"]
    search_fields = ["title", "slug", "body"]
    prepopulated_fields = {"slug": ["title"]}
    history_list_display = ["status"]


class FaqEntryInline(TranslationStackedInline):
    """Stacked: a question in both languages does not fit a table row at 1280 px."""

    model = FaqEntry
    fields = ["position", "slug", "question", "published"]
    show_change_link = True
    extra = 0


@admin.register(FaqGroup)
class FaqGroupAdmin(SimpleHistoryAdmin, TranslationAdmin):
    list_display = ["title", "slug", "position"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [FaqEntryInline]


@admin.register(FaqEntry)
class FaqEntryAdmin(SimpleHistoryAdmin, TranslationAdmin):
    list_display = ["question", "group", "position", "published"]
    list_filter = ["group", "published"]
    list_editable = ["published"]
    search_fields = ["question", "answer"]
    prepopulated_fields = {"slug": ["question"]}


class LeadershipTermForm(forms.ModelForm):
    class Meta:
        model = LeadershipTerm
        fields = ["name", "expert", "role", "affiliation", "starts_on", "ends_on"]

    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            # The instance is filled only after clean(); check a copy built from what was entered.
            leadership_term_check(LeadershipTerm(
                pk=self.instance.pk, role=cleaned["role"], starts_on=cleaned["starts_on"], ends_on=cleaned["ends_on"],
            ))
        return cleaned


@admin.register(LeadershipTerm)
class LeadershipTermAdmin(SimpleHistoryAdmin, TranslationAdmin):
    form = LeadershipTermForm
    list_display = ["name", "role", "starts_on", "ends_on"]
    list_filter = ["role"]
    search_fields = ["name", "affiliation"]
    autocomplete_fields = ["expert"]

    def save_model(self, request, obj, form, change):
        # The form checked without a lock; the service checks again under it, so a race is refused too.
        leadership_term_save(term=obj, actor=request.user)


@admin.register(ContactMessage)
class ContactMessageAdmin(admin.ModelAdmin):
    list_display = ["created_at", "topic", "subject", "name", "email"]
    list_filter = ["topic"]
    search_fields = ["subject", "name", "email", "message"]
    date_hierarchy = "created_at"
    readonly_fields = [field.name for field in ContactMessage._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


