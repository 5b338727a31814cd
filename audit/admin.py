"""The audit trail in the admin: read by superusers and holders of ``audit.view_auditentry``, changed by nobody."""

from django.contrib import admin

from audit.models import AuditEntry
from audit.sites import ReadOnlyMixin


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """Every staff decision, admin change and staff sign-in; nobody adds, changes or deletes a line."""

    list_display = ["created_at", "action", "actor_name", "content_type", "object_repr", "address"]
    list_filter = ["action", ("actor", admin.RelatedOnlyFieldListFilter), "created_at", "content_type"]
    search_fields = ["actor_name", "object_repr", "object_id", "address"]
    date_hierarchy = "created_at"
    list_select_related = ["content_type"]
    list_per_page = 50
    show_full_result_count = False
    actions = None
    fields = readonly_fields = ["created_at", "action", "actor", "actor_name", "content_type", "object_id",
                                "object_repr", "changes", "address"]
