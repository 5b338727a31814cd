"""The committee's screens: certificates (re-render, revoke), the PDU audit queue and renewals.

Nothing is edited in place: every change is an action that calls a service, which records the event.
"""

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import ValidationError
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_countries import countries

from certificates import services
from certificates.forms import ReasonForm
from certificates.models import (
    Certificate,
    CertificateEvent,
    PDUAudit,
    PDUClaim,
    PDUClaimEvent,
    PDUClaimStatus,
    Renewal,
    RenewalEvent,
    RenewalStatus,
)
from certificates.periods import today

EXPIRY_WINDOWS = (30, 60, 90, 180, 365)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Reviewers read; the actions change things, through the services."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class EventInline(admin.TabularInline):
    extra = 0
    can_delete = False
    fields = ("created_at", "from_status", "to_status", "actor", "note")
    readonly_fields = fields
    ordering = ("created_at", "pk")

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class CertificateEventInline(EventInline):
    model = CertificateEvent


class PDUClaimEventInline(EventInline):
    model = PDUClaimEvent


class RenewalEventInline(EventInline):
    model = RenewalEvent


def _reason_action(modeladmin, request, queryset, *, title: str, service, done_message: str):
    """An action that asks for a reason on an intermediate page, then calls ``service`` per object."""
    form = ReasonForm(request.POST if "apply" in request.POST else None)
    if form.is_valid():
        done = 0
        for obj in queryset:
            try:
                service(obj, actor=request.user, reason=form.cleaned_data["reason"])
            except ValidationError as error:
                modeladmin.message_user(request, f"{obj}: {' '.join(error.messages)}", messages.ERROR)
            else:
                done += 1
        if done:
            modeladmin.message_user(request, done_message % {"count": done}, messages.SUCCESS)
        return None
    return TemplateResponse(request, "admin/certificates/action_reason.html", {
        **modeladmin.admin_site.each_context(request),
        "title": title,
        "objects": queryset,
        "form": form,
        "action": request.POST.get("action", ""),
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "opts": modeladmin.model._meta,
    })


class ExpiringWithinFilter(admin.SimpleListFilter):
    title = _("expiring within")
    parameter_name = "expiring_within"

    def lookups(self, request, model_admin):
        return [(str(days), _("%(days)s days") % {"days": days}) for days in EXPIRY_WINDOWS]

    def queryset(self, request, queryset):
        if self.value() in {str(days) for days in EXPIRY_WINDOWS}:
            return queryset.expiring_within(int(self.value()), today=today())
        return queryset


class CountryFilter(admin.SimpleListFilter):
    """The holder's country from their profile (programme certificates have none)."""

    title = _("country")
    parameter_name = "country"

    def lookups(self, request, model_admin):
        codes = (
            Certificate.objects.exclude(holder__profile__country="").exclude(holder__profile__isnull=True)
            .values_list("holder__profile__country", flat=True).distinct()
        )
        return sorted(((code, countries.name(code)) for code in codes), key=lambda pair: pair[1])

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(holder__profile__country=self.value())
        return queryset


@admin.register(Certificate)
class CertificateAdmin(ReadOnlyAdmin):
    list_display = ("number", "legal_name", "kind", "level", "status", "issued_on", "expires_on", "pdf_ready")
    list_filter = ("status", "level", "kind", CountryFilter, ExpiringWithinFilter)
    list_select_related = ("level", "holder")
    search_fields = ("number", "legal_name", "holder__email", "organization_name", "programme_name")
    date_hierarchy = "issued_on"
    ordering = ("-issued_on", "-pk")
    fields = ("number", "kind", "status", "legal_name", "holder", "level", "organization_name", "organization_id",
              "programme_name", "issued_on", "valid_from", "expires_on", "previous", "source", "revocation_reason",
              "pdf_link", "pdf_rendered_at", "status_changed_at", "created_at")
    readonly_fields = fields
    inlines = [CertificateEventInline]
    actions = ["rerender_pdf", "revoke"]

    @admin.display(boolean=True, description=_("PDF"))
    def pdf_ready(self, certificate) -> bool:
        return bool(certificate.pdf)

    @admin.display(description=_("PDF"))
    def pdf_link(self, certificate):
        if not certificate.pdf:
            return _("Not rendered yet")
        return format_html('<a href="{}">{}</a>', reverse("certificates:download", args=[certificate.number]),
                           _("Download"))

    def has_render_permission(self, request) -> bool:
        return request.user.has_perm("certificates.render_certificate")

    def has_revoke_permission(self, request) -> bool:
        return request.user.has_perm("certificates.revoke_certificate")

    @admin.action(description=_("Render the PDF again"), permissions=["render"])
    def rerender_pdf(self, request, queryset):
        count = services.certificate_render_enqueue(certificate_ids=list(queryset.values_list("pk", flat=True)))
        self.message_user(request, ngettext("%(count)d PDF is being rendered again.",
                                            "%(count)d PDFs are being rendered again.", count) % {"count": count})

    @admin.action(description=_("Revoke the selected certificates…"), permissions=["revoke"])
    def revoke(self, request, queryset):
        return _reason_action(
            self, request, queryset, title=_("Revoke certificates"),
            service=lambda certificate, **kwargs: services.certificate_revoke(certificate=certificate, **kwargs),
            done_message=_("%(count)d certificate(s) revoked."),
        )


class PDUClaimAdminBase(ReadOnlyAdmin):
    list_display = ("activity", "holder", "certificate", "category", "activity_date", "hours", "status",
                    "evidence_link", "submitted_at")
    list_select_related = ("holder", "certificate")
    search_fields = ("activity", "provider", "holder__email", "certificate__number")
    fields = ("certificate", "holder", "activity", "provider", "activity_date", "hours", "category",
              "evidence_link", "status", "audit_selected", "submitted_at", "decided_at", "decided_by",
              "decision_note")
    readonly_fields = fields
    inlines = [PDUClaimEventInline]

    @admin.display(description=_("evidence"))
    def evidence_link(self, claim):
        return format_html('<a href="{}">{}</a>', reverse("certificates:pdu_evidence", args=[claim.pk]),
                           claim.evidence_name)


@admin.register(PDUClaim)
class PDUClaimAdmin(PDUClaimAdminBase):
    list_filter = ("status", "category", "audit_selected")
    actions = None


@admin.register(PDUAudit)
class PDUAuditAdmin(PDUClaimAdminBase):
    """The audit queue: only claims drawn for audit and not decided yet, oldest first."""

    ordering = ("submitted_at", "pk")
    list_filter = ("category",)
    actions = ["approve", "reject"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(status=PDUClaimStatus.IN_AUDIT)

    def has_audit_permission(self, request) -> bool:
        return request.user.has_perm("certificates.audit_pduclaim")

    @admin.action(description=_("Approve: the evidence supports the claim"), permissions=["audit"])
    def approve(self, request, queryset):
        done = 0
        for claim in queryset:
            try:
                services.pdu_claim_approve(claim=claim, actor=request.user)
            except ValidationError as error:
                self.message_user(request, f"{claim}: {' '.join(error.messages)}", messages.ERROR)
            else:
                done += 1
        self.message_user(request, _("%(count)d claim(s) approved.") % {"count": done}, messages.SUCCESS)

    @admin.action(description=_("Reject the selected claims…"), permissions=["audit"])
    def reject(self, request, queryset):
        return _reason_action(
            self, request, queryset, title=_("Reject PDU claims"),
            service=lambda claim, *, actor, reason: services.pdu_claim_reject(claim=claim, actor=actor, reason=reason),
            done_message=_("%(count)d claim(s) rejected."),
        )


@admin.register(Renewal)
class RenewalAdmin(ReadOnlyAdmin):
    list_display = ("certificate", "holder", "status", "pdu_hours", "pdu_required", "applied_at", "decided_at")
    list_filter = ("status",)
    list_select_related = ("certificate", "holder")
    search_fields = ("certificate__number", "holder__email")
    ordering = ("applied_at", "pk")
    fields = ("certificate", "holder", "status", "fee_paid", "pdu_hours", "pdu_required", "applied_at", "decided_at",
              "decided_by", "decision_note", "new_certificate")
    readonly_fields = fields
    inlines = [RenewalEventInline]
    actions = ["approve", "reject"]

    @admin.display(boolean=True, description=_("fee paid"))
    def fee_paid(self, renewal) -> bool:
        return services.renewal_fee_is_paid(renewal)

    def has_decide_permission(self, request) -> bool:
        return request.user.has_perm("certificates.decide_renewal")

    @admin.action(description=_("Approve: start the next certificate period"), permissions=["decide"])
    def approve(self, request, queryset):
        for renewal in queryset.filter(status=RenewalStatus.UNDER_REVIEW):
            try:
                certificate = services.renewal_approve(renewal=renewal, actor=request.user)
            except ValidationError as error:
                self.message_user(request, f"{renewal}: {' '.join(error.messages)}", messages.ERROR)
            else:
                self.message_user(request, _("%(renewal)s approved: new certificate %(number)s.")
                                  % {"renewal": renewal, "number": certificate.number}, messages.SUCCESS)
        skipped = queryset.exclude(status=RenewalStatus.UNDER_REVIEW).count()
        if skipped:
            self.message_user(request, _("%(count)d renewal(s) skipped: only renewals under review (fee paid) "
                                         "can be approved.") % {"count": skipped}, messages.WARNING)

    @admin.action(description=_("Reject the selected renewals…"), permissions=["decide"])
    def reject(self, request, queryset):
        return _reason_action(
            self, request, queryset, title=_("Reject renewals"),
            service=lambda renewal, *, actor, reason: services.renewal_reject(renewal=renewal, actor=actor,
                                                                              reason=reason),
            done_message=_("%(count)d renewal(s) rejected."),
        )
