from django.contrib import admin, messages
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from notifications.models import OutboxMessage
from notifications.services import OutboxDeliveryError, outbox_deliver


class SentFilter(admin.SimpleListFilter):
    title = _("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("unsent", _("Waiting")), ("sent", _("Sent"))]

    def queryset(self, request, queryset):
        if self.value() == "unsent":
            return queryset.filter(sent_at__isnull=True)
        if self.value() == "sent":
            return queryset.filter(sent_at__isnull=False)
        return queryset


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = ["key", "recipients", "subject", "sensitive", "created_at", "sent_at", "attempts"]
    list_filter = [SentFilter]
    search_fields = ["key", "subject"]
    date_hierarchy = "created_at"
    actions = ["send_now"]
    # The bodies are never shown as stored: a sensitive one holds a secret (encrypted), and the
    # others are shown through ``text`` so that one rule decides what staff may read.
    fields = ["key", "to", "subject", "text", "sensitive", "created_at", "sent_at", "attempts", "last_error"]
    readonly_fields = fields

    @admin.display(description=_("text body"))
    def text(self, obj: OutboxMessage) -> str:
        if obj.sensitive:
            return gettext(
                "Hidden: this message carries a secret (a sign-in, reset or confirmation link or code) "
                "for its recipient only."
            )
        if not obj.body_text and obj.is_sent:
            return gettext("Erased after sending.")
        return obj.body_text

    @admin.display(description=_("recipients"))
    def recipients(self, obj: OutboxMessage) -> str:
        return ", ".join(obj.to)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    @admin.action(description=_("Send the selected waiting messages now"), permissions=["view"])
    def send_now(self, request, queryset):
        sent = 0
        for message_id in queryset.filter(sent_at__isnull=True).values_list("pk", flat=True):
            try:
                sent += outbox_deliver(message_id=message_id)
            except OutboxDeliveryError as exc:
                self.message_user(request, str(exc), messages.ERROR)
        self.message_user(request, ngettext("%d message sent.", "%d messages sent.", sent) % sent)
