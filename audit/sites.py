"""The admin site: every ModelAdmin registered on it records its adds, changes and deletions in the trail.

:class:`AuditedAdminMixin` is mixed into every ModelAdmin by :class:`AuditedAdminSite`: it records
each add, change (with the names of the changed fields) and deletion, and shows the object's trail on its
change page (a person's page also shows what they did).
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin import AdminSite, ModelAdmin
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.admin import GenericTabularInline
from django.utils.translation import gettext_lazy as _

from audit.models import AuditAction, AuditEntry
from audit.services import audit_record, audit_record_many

VIEW_PERMISSION = "audit.view_auditentry"


class ReadOnlyMixin:
    """No add, change or delete for anyone, superusers included: the admin only shows these rows."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class SubjectTrailInline(ReadOnlyMixin, GenericTabularInline):
    """The trail about the object on its change page (one query, whatever the number of rows)."""

    model = AuditEntry
    ct_field, ct_fk_field = "content_type", "object_id"
    fields = readonly_fields = ["created_at", "action", "actor_name", "changes", "address"]
    extra = 0
    can_delete = False
    verbose_name = _("audit entry about this record")
    verbose_name_plural = _("audit trail of this record")


class ActorTrailInline(ReadOnlyMixin, admin.TabularInline):
    """On a person's page: what they did, wherever it was."""

    model = AuditEntry
    fk_name = "actor"
    fields = readonly_fields = ["created_at", "action", "object_repr", "changes", "address"]
    extra = 0
    can_delete = False
    verbose_name = _("audit entry by this person")
    verbose_name_plural = _("audit trail of what this person did")


class AuditedAdminMixin:
    """Record every admin add, change and deletion; show the trail on change pages to those who may read it."""

    def construct_change_message(self, request, form, formsets, add=False):
        # Field names only: a value (a password hash, a secret) never reaches the trail.
        changed = list(form.changed_data)
        for formset in formsets or ():
            name = formset.model._meta.model_name
            changed += [f"{name}.{field}" for inline in formset.forms
                        if inline.has_changed() for field in inline.changed_data]
            changed += [f"{name} (deleted)" for _inline in getattr(formset, "deleted_forms", [])]
        request.audit_changed_fields = sorted(set(changed))
        return super().construct_change_message(request, form, formsets, add)

    def log_addition(self, request, obj, message):
        entry = super().log_addition(request, obj, message)
        audit_record(action=AuditAction.ADMIN_ADD, actor=request.user, obj=obj, request=request,
                     changes={"fields": getattr(request, "audit_changed_fields", [])})
        return entry

    def log_change(self, request, obj, message):
        entry = super().log_change(request, obj, message)
        audit_record(action=AuditAction.ADMIN_CHANGE, actor=request.user, obj=obj, request=request,
                     changes={"fields": getattr(request, "audit_changed_fields", [])})
        return entry

    def log_deletions(self, request, queryset):
        objects = list(queryset)
        entries = super().log_deletions(request, objects)
        audit_record_many(action=AuditAction.ADMIN_DELETE, actor=request.user, objects=objects, request=request)
        return entries

    def get_inlines(self, request, obj):
        inlines = list(super().get_inlines(request, obj))
        # The trail is read, never posted: a change form's POST carries no formset for it.
        if obj is None or request.method != "GET" or self.model is AuditEntry \
                or not request.user.has_perm(VIEW_PERMISSION):
            return inlines
        if self.model is get_user_model():
            inlines.append(ActorTrailInline)
        return [*inlines, SubjectTrailInline]


def audited(admin_class: type[ModelAdmin]) -> type[ModelAdmin]:
    """``admin_class`` with :class:`AuditedAdminMixin` in front (the same class when it has it already)."""
    if issubclass(admin_class, AuditedAdminMixin):
        return admin_class
    return type(admin_class.__name__, (AuditedAdminMixin, admin_class),
                {"__module__": admin_class.__module__, "__doc__": admin_class.__doc__,
                 "__qualname__": admin_class.__qualname__})


class AuditedAdminSite(AdminSite):
    def register(self, model_or_iterable, admin_class=None, **options):
        super().register(model_or_iterable, audited(admin_class or ModelAdmin), **options)
