"""The committee's screens: certificates (re-render, revoke), the PDU audit queue and renewals.

Nothing is edited in place: every change is an action that calls a service, which records the event.
"""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from certificates import services
from certificates.models import (
    Certificate,
    CertificateEvent,
    CertificateStatus,
    PDUAudit,
    PDUClaim,
    PDUClaimEvent,
    PDUClaimStatus,
    Renewal,
    RenewalEvent,
    RenewalStatus,
)
from certificates.periods import today
from certificates.selectors import certificate_holder_countries
from workflows.admin import (
    Decision,
    DecisionAdminMixin,
    EventInline,
    LargeChangelistMixin,
    NoteActionForm,
    ReadOnlyAdmin,
)

EXPIRY_WINDOWS = (30, 60, 90, 180, 365)


class CertificateEventInline(EventInline):
    model = CertificateEvent


class PDUClaimEventInline(EventInline):
    model = PDUClaimEvent


class RenewalEventInline(EventInline):
    model = RenewalEvent


def _bulk(slug: str, description, permission: str):
    """A list action that takes one decision per selected row (with the note typed beside the actions)."""

    @admin.action(description=description, permissions=[permission])
    def run(modeladmin, request, queryset):
        modeladmin.decide_in_bulk(request, queryset, slug, {"note": request.POST.get("note", "")})

    run.__name__ = slug
    return run


def _renewal_approve(renewal, actor, data):
    services.renewal_approve(renewal=renewal, actor=actor, note=data["note"])


def _revocable(certificate) -> bool:
    """A person's certificate; a programme's is withdrawn with its accreditation (Programme applications, Revoke),
    which asks the organization's conflict of interest and ends the accreditation with it."""
    return not certificate.is_programme and certificate.can_transition(CertificateStatus.REVOKED)


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
        return certificate_holder_countries()

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(holder__profile__country=self.value())
        return queryset


@admin.register(Certificate)
class CertificateAdmin(LargeChangelistMixin, DecisionAdminMixin, ReadOnlyAdmin):
    list_display = ("number", "legal_name", "kind", "level", "status", "issued_on", "expires_on", "pdf_ready")
    list_filter = ("status", "level", "kind", CountryFilter, ExpiringWithinFilter)
    list_select_related = ("level", "holder")
    search_people = ("holder",)
    search_words = ("search_vector",)
    search_numbers = ("number",)
    date_hierarchy = "issued_on"
    ordering = ("-issued_on", "-pk")
    fields = ("number", "kind", "status", "legal_name", "holder", "level", "organization_name", "organization_id",
              "programme_name", "issued_on", "valid_from", "expires_on", "previous", "source", "revocation_reason",
              "pdf_link", "pdf_rendered_at", "status_changed_at", "created_at")
    readonly_fields = fields
    inlines = [CertificateEventInline]
    action_form = NoteActionForm
    actions = ["rerender_pdf", _bulk("revoke", _("Revoke the selected certificates (with the reason)"), "revoke")]
    decisions = (
        Decision("revoke", _("Revoke"),
                 lambda certificate, actor, data: services.certificate_revoke(
                     certificate=certificate, actor=actor, reason=data["note"]),
                 applies=_revocable, permission="certificates.revoke_certificate", reason_required=True,
                 reason_label=_("Reason the holder will read")),
    )

    def decision_person(self, obj):
        return obj.holder

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
        if not claim.evidence:
            return "—"
        return format_html('<a href="{}">{}</a>', reverse("certificates:pdu_evidence", args=[claim.pk]),
                           claim.evidence_name)


@admin.register(PDUClaim)
class PDUClaimAdmin(PDUClaimAdminBase):
    list_filter = ("status", "category", "audit_selected")
    actions = None


@admin.register(PDUAudit)
class PDUAuditAdmin(DecisionAdminMixin, PDUClaimAdminBase):
    """The audit queue: only claims drawn for audit and not decided yet, oldest first."""

    ordering = ("submitted_at", "pk")
    list_filter = ("category",)
    action_form = NoteActionForm
    actions = [_bulk("approve", _("Approve: the evidence supports the claim"), "audit"),
               _bulk("reject", _("Reject the selected claims (with the reasons)"), "audit")]
    decisions = (
        Decision("approve", _("Approve: the evidence supports the claim"),
                 lambda claim, actor, data: services.pdu_claim_approve(claim=claim, actor=actor, note=data["note"]),
                 applies=lambda claim: claim.can_transition(PDUClaimStatus.APPROVED),
                 permission="certificates.audit_pduclaim", reason_label=_("Note (optional)")),
        Decision("reject", _("Reject"),
                 lambda claim, actor, data: services.pdu_claim_reject(claim=claim, actor=actor, reason=data["note"]),
                 applies=lambda claim: claim.can_transition(PDUClaimStatus.REJECTED),
                 permission="certificates.audit_pduclaim", reason_required=True,
                 reason_label=_("Reasons the holder will read")),
    )

    def decision_person(self, obj):
        return obj.holder

    def get_queryset(self, request):
        return super().get_queryset(request).filter(status=PDUClaimStatus.IN_AUDIT)

    def has_audit_permission(self, request) -> bool:
        return request.user.has_perm("certificates.audit_pduclaim")


@admin.register(Renewal)
class RenewalAdmin(DecisionAdminMixin, ReadOnlyAdmin):
    list_display = ("certificate", "holder", "status", "pdu_hours", "pdu_required", "applied_at", "decided_at")
    list_filter = ("status",)
    list_select_related = ("certificate", "holder")
    search_fields = ("certificate__number", "holder__email")
    ordering = ("applied_at", "pk")
    fields = ("certificate", "holder", "status", "fee_paid", "pdu_hours", "pdu_required", "applied_at", "decided_at",
              "decided_by", "decision_note", "new_certificate")
    readonly_fields = fields
    inlines = [RenewalEventInline]
    action_form = NoteActionForm
    actions = [_bulk("approve", _("Approve: start the next certificate period"), "decide"),
               _bulk("reject", _("Reject the selected renewals (with the reasons)"), "decide")]
    decisions = (
        # Only renewals under review (the fee is paid) can be approved.
        Decision("approve", _("Approve: start the next certificate period"), _renewal_approve,
                 applies=lambda renewal: renewal.can_transition(RenewalStatus.APPROVED),
                 permission="certificates.decide_renewal", reason_label=_("Note (optional)")),
        Decision("reject", _("Reject"),
                 lambda renewal, actor, data: services.renewal_reject(renewal=renewal, actor=actor,
                                                                      reason=data["note"]),
                 applies=lambda renewal: renewal.can_transition(RenewalStatus.REJECTED),
                 permission="certificates.decide_renewal", reason_required=True,
                 reason_label=_("Reasons the holder will read")),
    )

    def decision_person(self, obj):
        return obj.holder

    @admin.display(boolean=True, description=_("fee paid"))
    def fee_paid(self, renewal) -> bool:
        return services.renewal_fee_is_paid(renewal)

    def has_decide_permission(self, request) -> bool:
        return request.user.has_perm("certificates.decide_renewal")
