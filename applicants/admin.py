from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from applicants.models import EthicsCode, User
from applicants.selectors import ethics_current
from applicants.services import ethics_code_publish


class UserAddForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ["email"]


class UserEditForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    add_form = UserAddForm
    form = UserEditForm
    ordering = ["email"]
    list_display = ["email", "full_name", "is_staff", "is_active", "date_joined"]
    list_filter = ["is_staff", "is_superuser", "is_active", "groups"]
    search_fields = ["email", "full_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Personal"), {"fields": ["full_name", "time_zone", "preferred_language"]}),
        (_("Roles and permissions"), {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "usable_password", "password1", "password2"]})]


@admin.register(EthicsCode)
class EthicsCodeAdmin(admin.ModelAdmin):
    """Staff publish new versions; a published text never changes (people adopted it as it was)."""

    list_display = ["version", "title", "published_at", "adoption_count"]
    fields = ["title", "text", "published_at"]
    readonly_fields = ["version", "created_by"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(adoption_total=Count("adoptions"))

    @admin.display(description=_("adoptions"), ordering="adoption_total")
    def adoption_count(self, obj) -> int:
        return obj.adoption_total

    def get_fields(self, request, obj=None):
        return ["version", "title", "text", "published_at", "created_by"] if obj else self.fields

    def get_readonly_fields(self, request, obj=None):
        return ["version", "title", "text", "published_at", "created_by"] if obj else []

    def has_change_permission(self, request, obj=None):
        return False if obj is not None else super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        published = ethics_code_publish(
            text=obj.text, title=obj.title, actor=request.user, published_at=obj.published_at
        )
        obj.pk, obj.version = published.pk, published.version

    def get_changeform_initial_data(self, request):
        current = ethics_current()
        return {"title": current.title, "text": current.text} if current else {}
