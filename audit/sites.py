"""The admin site: every ModelAdmin registered on it records its adds, changes and deletions in the trail.

:class:`AuditedAdminMixin` is mixed into every ModelAdmin by :class:`AuditedAdminSite`: it records
each add, change (with the names of the changed fields) and deletion, and shows the object's trail on its
change page (a person's page also shows what they did).
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin import AdminSite, ModelAdmin
from django.contrib.admin.widgets import AdminSplitDateTime
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.admin import GenericTabularInline
from django.contrib.contenttypes.forms import BaseGenericInlineFormSet
from django.contrib.contenttypes.models import ContentType
from django.forms.models import BaseInlineFormSet
from django.urls import get_script_prefix, reverse
from django.utils.translation import get_language, gettext_noop
from django.utils.translation import gettext_lazy as _

from audit.models import AuditAction, AuditEntry
from audit.services import audit_record, audit_record_many

VIEW_PERMISSION = "audit.view_auditentry"

# The column headings of Django 5.2's app list (read by screen readers), which its own zh_Hans catalog lacks: the
# portal's catalog translates them, and these marks keep them there for makemessages.
APP_LIST_HEADINGS = (gettext_noop("Model name"), gettext_noop("Add link"), gettext_noop("Change or view list link"))


class ReadOnlyMixin:
    """No add, change or delete for anyone, superusers included: the admin only shows these rows."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class NewestTrailMixin:
    """An inline formset of the newest ``TRAIL_SHOWN`` lines of a trail (it is shown, never posted): a record
    or a person with thousands of lines would otherwise render them all on every view of the page. The page
    links to the whole trail, filtered, in the trail's own list when there are more."""

    TRAIL_SHOWN = 50

    def get_queryset(self):
        if not hasattr(self, "_newest"):
            rows = list(super().get_queryset()[: self.TRAIL_SHOWN + 1])
            self.has_more, self._newest = len(rows) > self.TRAIL_SHOWN, rows[: self.TRAIL_SHOWN]
        return self._newest

    def whole_trail_url(self) -> str:
        return f"{reverse('admin:audit_auditentry_changelist')}?{self.whole_trail_filter()}"


class NewestSubjectTrailFormSet(NewestTrailMixin, BaseGenericInlineFormSet):
    def whole_trail_filter(self) -> str:
        content_type = ContentType.objects.get_for_model(self.instance, for_concrete_model=self.for_concrete_model)
        return f"content_type__id__exact={content_type.pk}&object_id={self.instance.pk}"


class NewestActorTrailFormSet(NewestTrailMixin, BaseInlineFormSet):
    def whole_trail_filter(self) -> str:
        return f"actor__id__exact={self.instance.pk}"


class SubjectTrailInline(ReadOnlyMixin, GenericTabularInline):
    """The newest of the trail about the object on its change page (one query, whatever the number of rows)."""

    model = AuditEntry
    formset = NewestSubjectTrailFormSet
    template = "admin/audit/trail_inline.html"
    ct_field, ct_fk_field = "content_type", "object_id"
    fields = readonly_fields = ["created_at", "action", "actor_name", "changes", "address"]
    extra = 0
    can_delete = False
    verbose_name = _("audit entry about this record")
    verbose_name_plural = _("audit trail of this record")


class ActorTrailInline(ReadOnlyMixin, admin.TabularInline):
    """On a person's page: the newest of what they did, wherever it was."""

    model = AuditEntry
    formset = NewestActorTrailFormSet
    template = "admin/audit/trail_inline.html"
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

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        widget = getattr(formfield, "widget", None)
        if isinstance(widget, AdminSplitDateTime):
            # Django writes "Date:" and "Time:" beside the two boxes but labels neither (axe: "label", critical).
            for box, part in zip(widget.widgets, (_("date"), _("time")), strict=True):
                box.attrs["aria-label"] = f"{formfield.label}: {part}"
        return formfield

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
    # Every page's sidebar lists the apps a person may see: ~15 ms of permission checks and URL reversing
    # per page over ~70 models (issue 17). The list is kept per process, keyed by what it depends on: the
    # set of permissions (so granting or withdrawing one, directly or through a group, gives another key),
    # the language and the URL prefix. This holds because every ModelAdmin here answers its
    # ``has_*_permission`` from ``user.has_perm`` alone; one that looks at anything else must not be listed.
    APP_LIST_KEYS_KEPT = 64

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._app_lists: dict[tuple, list[dict]] = {}

    def get_app_list(self, request, app_label=None):
        user = request.user
        # A superuser has every permission (has_perm asks nothing); listing them would cost a query.
        permissions = frozenset() if user.is_superuser else frozenset(user.get_all_permissions())
        key = (get_language(), get_script_prefix(), app_label, user.is_active, user.is_superuser, permissions)
        app_list = self._app_lists.get(key)
        if app_list is None:
            if len(self._app_lists) >= self.APP_LIST_KEYS_KEPT:
                self._app_lists.clear()
            app_list = self._app_lists[key] = super().get_app_list(request, app_label)
        # Copies: a page may sort or extend what it is given.
        return [{**app, "models": [dict(model) for model in app["models"]]} for app in app_list]

    def register(self, model_or_iterable, admin_class=None, **options):
        super().register(model_or_iterable, audited(admin_class or ModelAdmin), **options)
