"""Sponsorships, read-only for the committee: who sponsors whom, what is covered and shared, and the history."""

from django.contrib import admin

from organizations.models import Sponsorship, SponsorshipEvent
from workflows.admin import EventInline, ReadOnlyAdmin


class SponsorshipEventInline(EventInline):
    model = SponsorshipEvent


@admin.register(Sponsorship)
class SponsorshipAdmin(ReadOnlyAdmin):
    list_display = ["organization", "email", "person", "status", "invited_at", "accepted_at", "ended_at"]
    list_filter = ["status", "covers_accreditation", "covers_exams", "covers_events", "covers_renewals"]
    search_fields = ["organization__legal_name", "email", "person__email"]
    list_select_related = ["organization", "person"]
    readonly_fields = ["organization", "email", "invited_by", "invited_at", "person", "status", "accepted_at",
                       "ended_at", "covers_accreditation", "covers_exams", "covers_events", "covers_renewals", "shares_stage",
                       "shares_applications", "shares_exams", "shares_certificates"]
    inlines = [SponsorshipEventInline]
