from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from modeltranslation.utils import build_localized_fieldname

from applicants.confirmations import hours_dispute_accept, hours_dispute_reject
from applicants.models import ConfirmationStatus, EthicsCode, HoursEntry, HoursEntryEvent, User
from applicants.selectors import ethics_current
from applicants.services import ethics_code_publish
from workflows.admin import Decision, DecisionAdminMixin, EventInline, KeptPagesMixin, ReadOnlyAdmin


class UserAddForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ["email"]


class UserEditForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(KeptPagesMixin, BaseUserAdmin):
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
    # Published in both languages at once: a version's text never changes afterwards.
    fields = ["title_en", "text_en", "title_zh_hans", "text_zh_hans", "published_at"]
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
        languages = {code: {"title": getattr(obj, build_localized_fieldname("title", code)),
                            "text": getattr(obj, build_localized_fieldname("text", code))}
                     for code, _name in settings.LANGUAGES}
        published = ethics_code_publish(text=obj.text_en or obj.text, title=obj.title_en, actor=request.user,
                                        published_at=obj.published_at, languages=languages)
        obj.pk, obj.version = published.pk, published.version

    def get_changeform_initial_data(self, request):
        current = ethics_current()
        if current is None:
            return {}
        return {build_localized_fieldname(field, code): getattr(current, build_localized_fieldname(field, code))
                for field in ("title", "text") for code, _name in settings.LANGUAGES}


class HoursEntryEventInline(EventInline):
    model = HoursEntryEvent


def _disputed(entry: HoursEntry) -> bool:
    return entry.status == ConfirmationStatus.DISPUTED


@admin.register(HoursEntry)
class HoursEntryAdmin(KeptPagesMixin, DecisionAdminMixin, ReadOnlyAdmin):
    """Mentors' logged hours with the mentee's confirmation; the committee decides the disputed ones.

    The mentee's address is not shown: it serves only to ask the confirmation.
    """

    decisions = (
        Decision("accept", _("Accept the hours"),
                 lambda entry, actor, data: hours_dispute_accept(entry=entry, actor=actor, note=data["note"]),
                 applies=_disputed, permission="applicants.decide_hoursentry"),
        Decision("reject", _("Reject the hours"),
                 lambda entry, actor, data: hours_dispute_reject(entry=entry, actor=actor, note=data["note"]),
                 applies=_disputed, permission="applicants.decide_hoursentry", reason_required=True,
                 reason_help=_("The mentor reads these reasons.")),
    )
    list_display = ["mentee", "user", "started_on", "ended_on", "hours", "format", "status", "confirmation_answered_at"]
    list_filter = ["status", "format"]
    list_select_related = ["user"]
    search_fields = ["user__email", "user__full_name", "mentee"]
    show_full_result_count = False  # a second count of some 200,000 entries on every filtered page
    fields = ["user", "mentee", "started_on", "ended_on", "hours", "format", "notes", "status",
              "confirmation_requested_at", "confirmation_answered_at", "confirmation_comment", "locked_at", "created_at"]
    readonly_fields = fields
    inlines = [HoursEntryEventInline]

    def decision_person(self, entry: HoursEntry):
        return entry.user


# allauth's own admin offers every authenticator's ``data`` as an editable box: the sealed TOTP secret and
# recovery-code seed, which staff could read, or copy from their own authenticator onto someone else's
# account (or add one) to pass that person's second factor. Staff see that a factor exists and when it was
# used; removing one (a lost phone) stays possible, and the person enrols a new one themselves.
admin.site.unregister(Authenticator)


@admin.register(Authenticator)
class AuthenticatorAdmin(admin.ModelAdmin):
    list_display = ["user", "type", "created_at", "last_used_at"]
    list_filter = ["type", "created_at", "last_used_at"]
    list_select_related = ["user"]
    search_fields = ["user__email", "user__full_name"]
    fields = ["user", "type", "created_at", "last_used_at"]
    readonly_fields = fields

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
