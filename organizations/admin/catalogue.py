"""Standards (criteria) maintained by the committee, and read-only views of organizations, reports, listings."""

from django.contrib import admin
from django.utils.translation import gettext_lazy

from organizations.models import (
    AnnualReport,
    Criterion,
    DirectoryListing,
    Organization,
    OrganizationStaff,
    Programme,
)
from workflows.admin import KeptPagesMixin, ReadOnlyAdmin, ReadOnlyInline, country_column


@admin.register(Criterion)
class CriterionAdmin(admin.ModelAdmin):
    """The standards programmes are scored on. Retire one (untick "in use") rather than delete it."""

    list_display = ["name", "code", "position", "is_active"]
    list_editable = ["position", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "code"]
    fields = ["code", "name", "guidance", "position", "is_active"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class StaffInline(ReadOnlyInline):
    model = OrganizationStaff
    fields = ["user", "role", "created_at"]
    readonly_fields = fields


class ProgrammeInline(ReadOnlyInline):
    model = Programme
    fields = ["name", "description", "created_at"]
    readonly_fields = fields
    show_change_link = True


@admin.register(Organization)
class OrganizationAdmin(KeptPagesMixin, ReadOnlyAdmin):
    list_display = ["legal_name", "sector", country_column(), "city", "registered_at"]
    list_filter = ["sector", "country"]
    search_fields = ["legal_name", "city"]
    readonly_fields = ["legal_name", "sector", "country", "city", "website", "registered_by", "registered_at"]
    inlines = [StaffInline, ProgrammeInline]


@admin.register(Programme)
class ProgrammeAdmin(ReadOnlyAdmin):
    list_display = ["name", "organization", "created_at"]
    search_fields = ["name", "organization__legal_name"]
    list_select_related = ["organization"]
    readonly_fields = ["organization", "name", "description", "created_at"]


@admin.register(AnnualReport)
class AnnualReportAdmin(ReadOnlyAdmin):
    list_display = ["application", "programme", "year", "due_on", "status", "active_pairs", "retention_percent",
                    "filed_at"]
    list_filter = ["status", "year"]
    search_fields = ["application__number", "application__programme__name"]
    list_select_related = ["application__programme"]
    readonly_fields = ["application", "year", "period_start", "period_end", "due_on", "status", "active_pairs",
                       "pairs_started", "retention_percent", "outcomes", "changes", "filed_by", "filed_at",
                       "flagged_late_at", "created_at"]

    @admin.display(description=gettext_lazy("programme"))
    def programme(self, report):
        return report.application.programme


@admin.register(DirectoryListing)
class DirectoryListingAdmin(KeptPagesMixin, ReadOnlyAdmin):
    list_display = ["display_name", "user", "opted_in", country_column(), "city", "updated_at"]
    list_filter = ["opted_in", "country"]
    search_fields = ["display_name", "user__email"]
    list_select_related = ["user"]
    readonly_fields = ["user", "opted_in", "display_name", "headline", "profile", "country", "city", "languages",
                       "sectors", "accepts_contact", "updated_at"]
