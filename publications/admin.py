from django import forms
from django.conf import settings
from django.contrib import admin
from django.db import models
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin, TranslationStackedInline

from documents.forms import DocumentField
from notifications.models import OutboxMessage
from publications.models import Article, Issue, Mailing, MailingEvent, Publication, Research, Subscriber
from publications.services import mailing_cancel, mailing_created, mailing_start
from workflows.admin import Decision, DecisionAdminMixin, EventInline, ReadOnlyAdmin


@admin.register(Publication)
class PublicationAdmin(TranslationAdmin):
    list_display = ["name", "slug", "position"]
    prepopulated_fields = {"slug": ["name"]}


class IssueForm(forms.ModelForm):
    pdf = DocumentField(label=_("PDF of the issue (members only)"), kinds=("pdf",), required=False)

    class Meta:
        model = Issue
        fields = ["publication", "number", "title", "published_on", "is_published", "cover", "cover_text", "pdf"]


class ArticleInline(TranslationStackedInline):
    """Stacked: a title in both languages does not fit a table row at 1280 px."""

    model = Article
    fields = ["position", "title", "slug", "members_only", "is_published"]
    show_change_link = True
    extra = 0


@admin.register(Issue)
class IssueAdmin(TranslationAdmin):
    form = IssueForm
    list_display = ["__str__", "published_on", "is_published"]
    list_filter = ["publication", "is_published"]
    inlines = [ArticleInline]


@admin.register(Article)
class ArticleAdmin(TranslationAdmin):
    list_display = ["title", "issue", "members_only", "is_published"]
    list_filter = ["issue__publication", "members_only", "is_published"]
    search_fields = ["title", "abstract"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["authors"]
    filter_horizontal = ["topics"]
    list_select_related = ["issue__publication"]


@admin.register(Research)
class ResearchAdmin(TranslationAdmin):
    list_display = ["title", "authors", "year", "is_published"]
    list_filter = ["is_published", "topics"]
    search_fields = ["title", "authors"]
    filter_horizontal = ["topics"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Subscriber)
class SubscriberAdmin(ReadOnlyAdmin):
    """Staff see who subscribed and how consent was given; subscribers change their own subscription."""

    list_display = ["email", "status", "language", "consent_at", "consent_source", "unsubscribed_at"]
    list_filter = ["status", "language"]
    search_fields = ["email"]
    readonly_fields = ["email", "status", "language", "requested_at", "consent_at", "consent_source",
                       "unsubscribed_at", "unsubscribe_source"]
    fields = readonly_fields


class MailingEventInline(EventInline):
    model = MailingEvent


def _start(mailing, actor, data):
    mailing_start(mailing=mailing, actor=actor)


def _cancel(mailing, actor, data):
    mailing_cancel(mailing=mailing, actor=actor, note=data.get("note", ""))


@admin.register(Mailing)
class MailingAdmin(DecisionAdminMixin, TranslationAdmin):
    list_display = ["subject", "status", "queued", "created_at"]
    list_filter = ["status"]
    filter_horizontal = ["topics"]
    readonly_fields = ["status", "queued", "progress", "started_at", "finished_at"]
    inlines = [MailingEventInline]
    decisions = (
        Decision(slug="send", label=_("Send to the subscribers"), service=_start,
                 applies=lambda m: m.can_transition(Mailing.Status.SENDING),
                 reason_label=_("Note (optional)")),
        Decision(slug="cancel", label=_("Cancel the mailing"), service=_cancel,
                 applies=lambda m: m.can_transition(Mailing.Status.CANCELLED), reason_required=True),
    )

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.status != Mailing.Status.DRAFT:
            return [*self.readonly_fields, "subject", "subject_en", "subject_zh_hans", "body", "body_en",
                    "body_zh_hans", "issue", "topics"]
        return self.readonly_fields

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            mailing_created(mailing=obj, actor=request.user)

    @admin.display(description=_("Progress (sent / failed / waiting)"))
    def progress(self, obj):
        counts = OutboxMessage.objects.filter(key__startswith=f"newsletter:{obj.pk}:").aggregate(
            sent=Count("pk", filter=Q(sent_at__isnull=False)),
            failed=Count("pk", filter=Q(sent_at__isnull=True, attempts__gte=settings.OUTBOX_MAX_ATTEMPTS)),
            waiting=Count("pk", filter=Q(sent_at__isnull=True, attempts__lt=settings.OUTBOX_MAX_ATTEMPTS)),
        )
        return _("%(sent)s sent / %(failed)s failed / %(waiting)s waiting") % counts
