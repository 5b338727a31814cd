"""The committee's screens for fees, invoices, payments, refunds and membership.

Every action goes through ``payments.services``; no admin code sets an invoice's status.
"""

import datetime

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, OuterRef, Sum
from django.db.models.functions import Coalesce, TruncMonth
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields, resources
from import_export.admin import ExportActionModelAdmin
from simple_history.admin import SimpleHistoryAdmin

from documents.csv import SafeCSV
from payments.models import (
    PER_LEVEL_FEES,
    Fee,
    Invoice,
    InvoiceEvent,
    InvoiceLine,
    InvoiceStatus,
    MembershipPeriod,
    PaymentEvent,
    Refund,
    RefundStatus,
    SponsoredCharge,
)
from payments.selectors import schedule_date
from payments.services import invoice_paid_announce, invoice_void_by_staff, refund_complete
from payments.services.proposals import (
    bank_transfer_confirm_propose,
    membership_grant_propose,
    refund_propose,
)
from workflows.admin import Decision, DecisionAdminMixin, EventInline, LargeChangelistMixin, ReadOnlyAdmin
from workflows.conflicts import decision_conflict_check

# Fee schedule ---------------------------------------------------------------------------------


class FeeForm(forms.ModelForm):
    class Meta:
        model = Fee
        fields = ["kind", "level", "amount", "effective_from"]

    def clean(self):
        cleaned = super().clean()
        kind, level, effective_from = cleaned.get("kind"), cleaned.get("level"), cleaned.get("effective_from")
        if kind and (kind in PER_LEVEL_FEES) != (level is not None):
            self.add_error("level", _("Choose a level for this fee.") if kind in PER_LEVEL_FEES else _("This fee applies to every level; leave the level empty."))
        # Prices already charged stay as they were: change a price by adding a row from a later day.
        if effective_from and effective_from < schedule_date():
            self.add_error("effective_from", _("A price can only take effect today or later."))
        return cleaned


@admin.register(Fee)
class FeeAdmin(SimpleHistoryAdmin):
    form = FeeForm
    list_display = ["kind", "level", "amount", "effective_from", "schedule_state"]
    list_filter = ["kind", "level", "effective_from"]
    list_select_related = ["level"]
    ordering = ["kind", "level__rank", "-effective_from"]

    def get_queryset(self, request):
        today = schedule_date()
        later_in_effect = Fee.objects.annotate(level_key=Coalesce("level_id", 0)).filter(
            kind=OuterRef("kind"),
            level_key=Coalesce(OuterRef("level_id"), 0),
            effective_from__gt=OuterRef("effective_from"),
            effective_from__lte=today,
        )
        return super().get_queryset(request).annotate(superseded=Exists(later_in_effect))

    @admin.display(description=gettext_lazy("state"))
    def schedule_state(self, fee: Fee) -> str:
        if fee.effective_from > schedule_date():
            return _("scheduled")
        return _("superseded") if getattr(fee, "superseded", False) else _("in effect")

    def _in_force_or_past(self, fee: Fee | None) -> bool:
        return fee is not None and fee.effective_from <= schedule_date()

    def has_change_permission(self, request, obj=None):
        # A price that has been charged is history; only scheduled (future) rows can be edited.
        return super().has_change_permission(request, obj) and not self._in_force_or_past(obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not self._in_force_or_past(obj)


class RecordAdminMixin:
    """Rows written only by the services: every field read-only, never added or deleted in the admin
    (the change permission stays, for the actions and decisions that go through the services)."""

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# Invoices -------------------------------------------------------------------------------------


class InvoiceResource(resources.ModelResource):
    """The accounting export: one row per invoice."""

    payer_email = fields.Field(attribute="payer__email", column_name="payer_email")
    payer_name = fields.Field(attribute="payer__full_name", column_name="payer_name")
    level = fields.Field(attribute="level__code", column_name="level")
    refunded_amount = fields.Field(column_name="refunded_amount")

    class Meta:
        model = Invoice
        fields = [
            "number", "created_at", "payer_email", "payer_name", "kind", "reference", "level", "member_pricing",
            "currency", "amount", "status", "provider", "payment_reference", "paid_at", "voided_at",
            "refunded_at", "refunded_amount",
        ]
        export_order = fields

    def dehydrate_refunded_amount(self, invoice: Invoice) -> str:
        refund = getattr(invoice, "refund", None)
        return str(refund.amount) if refund and refund.status == RefundStatus.COMPLETED else ""

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("payer", "level", "refund")


class InvoiceActionForm(ActionForm):
    note = forms.CharField(
        label=gettext_lazy("Reason / bank reference"), required=False, max_length=255,
        help_text=gettext_lazy("Used by the void, refund and bank-transfer actions."),
    )


class InvoiceLineInline(EventInline):
    model = InvoiceLine
    fields = ["description", "quantity", "unit_amount", "amount", "fee"]
    readonly_fields = fields
    ordering = ["pk"]


class InvoiceEventInline(EventInline):
    model = InvoiceEvent
    verbose_name_plural = gettext_lazy("history")


class PaymentEventInline(EventInline):
    model = PaymentEvent
    fields = ["received_at", "provider", "event_id", "event_type", "amount", "currency", "outcome", "note"]
    readonly_fields = fields
    ordering = ["received_at", "pk"]


class RefundInline(EventInline):
    model = Refund
    fields = ["status", "amount", "provider", "provider_reference", "reason", "note", "requested_at", "completed_at"]
    readonly_fields = fields
    ordering = ["pk"]


def _bank_transfer_propose(invoice: Invoice, actor, data: dict) -> None:
    bank_transfer_confirm_propose(invoice=invoice, actor=actor, bank_reference=data.get("note", ""))


# Money changed by hand takes two people: these decisions propose, and another staff member approves the
# proposal (Workflows -> Proposals) before anything changes.
INVOICE_DECISIONS = (
    Decision(
        slug="confirm-bank-transfer", label=gettext_lazy("Propose: bank transfer received (full amount)"),
        service=_bank_transfer_propose, applies=lambda invoice: invoice.can_transition(InvoiceStatus.PAID),
        permission="payments.confirm_bank_transfer", reason_label=gettext_lazy("Bank reference"), bulk=True,
    ),
    Decision(
        slug="void", label=gettext_lazy("Void the invoice"),
        service=lambda invoice, actor, data: invoice_void_by_staff(invoice=invoice, actor=actor, note=data["note"]),
        applies=lambda invoice: invoice.can_transition(InvoiceStatus.VOID), permission="payments.void_invoice",
        bulk=True,
    ),
    Decision(
        slug="refund", label=gettext_lazy("Propose a refund of the invoice"),
        service=lambda invoice, actor, data: refund_propose(invoice=invoice, actor=actor, reason=data["note"]),
        applies=lambda invoice: invoice.can_transition(InvoiceStatus.REFUNDED),
        permission="payments.refund_invoice", reason_required=True, bulk=True,
    ),
)


@admin.register(Invoice)
class InvoiceAdmin(LargeChangelistMixin, DecisionAdminMixin, RecordAdminMixin, ExportActionModelAdmin):
    resource_classes = [InvoiceResource]
    export_formats = [SafeCSV]
    change_list_template = "admin/payments/invoice/change_list.html"
    change_form_template = "admin/payments/invoice/change_form.html"
    decisions = INVOICE_DECISIONS

    def decision_person(self, obj):
        return obj.payer

    action_form = InvoiceActionForm
    list_display = ["number", "payer", "kind", "level", "amount", "status", "provider", "created_at", "paid_at"]
    list_filter = ["status", "kind", "level", "provider", "member_pricing"]
    list_select_related = ["payer", "level"]
    date_hierarchy = "created_at"
    search_people = ("payer",)
    search_numbers = ("number",)
    search_references = ("payment_reference",)
    inlines = [InvoiceLineInline, RefundInline, PaymentEventInline, InvoiceEventInline]
    actions = ["confirm_bank_transfer", "void_invoices", "refund_invoices", "announce_paid"]

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", {}).get("cl")
        if changelist is not None:
            response.context_data["totals"] = invoice_totals(changelist.queryset)
        return response

    @admin.action(description=gettext_lazy("Propose: bank transfer received (full amount)"), permissions=["confirm_bank_transfer"])
    def confirm_bank_transfer(self, request, queryset):
        self.decide_in_bulk(request, queryset, "confirm-bank-transfer", {"note": request.POST.get("note", "").strip()})

    @admin.action(description=gettext_lazy("Void the selected open invoices"), permissions=["void_invoice"])
    def void_invoices(self, request, queryset):
        self.decide_in_bulk(request, queryset, "void", {"note": request.POST.get("note", "").strip()})

    @admin.action(description=gettext_lazy("Propose refunds of the selected paid invoices"), permissions=["refund_invoice"])
    def refund_invoices(self, request, queryset):
        reason = request.POST.get("note", "").strip()
        if not reason:
            self.message_user(request, _("Give the reason for the refund in the box next to the action."), messages.ERROR)
            return
        self.decide_in_bulk(request, queryset, "refund", {"note": reason})

    @admin.action(description=gettext_lazy("Announce payment again to the app that raised it"), permissions=["change"])
    def announce_paid(self, request, queryset):
        done = 0
        for invoice in queryset:
            try:
                invoice_paid_announce(invoice=invoice)
            except ValidationError as exc:
                self.message_user(request, f"{invoice.number}: {' '.join(exc.messages)}", messages.ERROR)
            else:
                done += 1
        if done:
            self.message_user(request, _("%(count)s payment(s) announced again.") % {"count": done}, messages.SUCCESS)

    def has_confirm_bank_transfer_permission(self, request):
        return request.user.has_perm("payments.confirm_bank_transfer")

    def has_void_invoice_permission(self, request):
        return request.user.has_perm("payments.void_invoice")

    def has_refund_invoice_permission(self, request):
        return request.user.has_perm("payments.refund_invoice")


def invoice_totals(queryset) -> dict:
    """Counts and sums of the listed invoices by month raised, level and status.

    One query grouped by all three (at most months x levels x statuses rows), folded here into the three
    tables: three grouped scans of a searched list cost three times the search.
    """
    cells = (
        queryset.order_by()
        .annotate(month=TruncMonth("created_at", tzinfo=datetime.UTC))
        .values("month", "level__code", "status")
        .annotate(count=Count("pk"), total=Sum("amount"))
    )
    by_month, by_level, by_status = {}, {}, {}
    for cell in cells:
        for table, key in ((by_month, cell["month"]), (by_level, cell["level__code"]), (by_status, cell["status"])):
            count, total = table.get(key, (0, 0))
            table[key] = (count + cell["count"], total + cell["total"])
    labels = dict(InvoiceStatus.choices)

    def rows(table, name, **order):
        return [{name: key, "count": count, "total": total}
                for key, (count, total) in sorted(table.items(), key=lambda item: (item[0] is None, item[0]), **order)]

    return {
        "by_month": rows(by_month, "month", reverse=True),
        "by_level": rows(by_level, "level__code"),
        "by_status": [{**row, "label": labels.get(row["status"], row["status"])} for row in rows(by_status, "status")],
    }


# Provider events, refunds, membership ----------------------------------------------------------


@admin.register(PaymentEvent)
class PaymentEventAdmin(ReadOnlyAdmin):
    list_display = ["received_at", "provider", "event_type", "event_id", "invoice", "amount", "currency", "outcome"]
    list_filter = ["outcome", "provider", "event_type"]
    list_select_related = ["invoice"]
    search_fields = ["event_id", "invoice_number", "payment_reference"]
    date_hierarchy = "received_at"


@admin.register(SponsoredCharge)
class SponsoredChargeAdmin(ReadOnlyAdmin):
    """Fees sponsors pay, each waiting for (or on) its sponsor's monthly invoice."""

    list_display = ["created_at", "sponsor_name", "person", "description", "amount", "fee_invoice", "monthly_invoice",
                    "released_at"]
    list_filter = ["sponsor_name", "is_credit"]
    list_select_related = ["person", "fee_invoice", "monthly_invoice"]
    search_fields = ["sponsor_name", "person__email", "fee_invoice__number", "monthly_invoice__number"]
    date_hierarchy = "created_at"


def _refund_paid_back(refund: Refund, actor, data: dict) -> None:
    refund_complete(refund=refund, actor=actor, reference=data.get("note", "").strip())


@admin.register(Refund)
class RefundAdmin(DecisionAdminMixin, RecordAdminMixin, admin.ModelAdmin):
    action_form = InvoiceActionForm
    decisions = (
        Decision(
            slug="paid-back", label=gettext_lazy("Mark as paid back (bank transfer sent)"), service=_refund_paid_back,
            applies=lambda refund: refund.status == RefundStatus.REQUESTED, permission="payments.change_refund",
            reason_label=gettext_lazy("Bank reference"), bulk=True,
        ),
    )

    def decision_person(self, obj):
        return obj.invoice.payer

    list_display = ["invoice", "amount", "provider", "status", "requested_by", "requested_at", "completed_at"]
    list_filter = ["status", "provider"]
    list_select_related = ["invoice", "requested_by"]
    search_fields = ["invoice__number", "invoice__payer__email", "provider_reference"]
    actions = ["mark_paid_back"]

    @admin.action(description=gettext_lazy("Mark as paid back (bank transfer sent)"), permissions=["change"])
    def mark_paid_back(self, request, queryset):
        self.decide_in_bulk(request, queryset, "paid-back", {"note": request.POST.get("note", "").strip()})


class MembershipGrantForm(forms.ModelForm):
    """A period granted by hand: proposed here, created when a second staff member approves it."""

    reason = forms.CharField(label=gettext_lazy("Reason"), widget=forms.Textarea(attrs={"rows": 3}))
    actor = None  # the staff member proposing, set by the admin for each request

    class Meta:
        model = MembershipPeriod
        fields = ["user", "plan", "starts_on", "ends_on"]

    def clean(self):
        data = super().clean()
        if data.get("user") is not None:
            try:
                decision_conflict_check(decider=self.actor, person=data["user"])
            except ValidationError as error:
                self.add_error("user", error)
        return data


@admin.register(MembershipPeriod)
class MembershipPeriodAdmin(SimpleHistoryAdmin):
    """Periods are read here; adding one proposes it (two-person rule), and none is changed by hand."""

    list_display = ["user", "plan", "starts_on", "ends_on", "invoice"]
    list_filter = ["plan", "starts_on"]
    list_select_related = ["user", "invoice"]
    search_fields = ["user__email", "user__full_name"]
    raw_id_fields = ["user"]
    readonly_fields = ["invoice", "created_at"]
    fields = ["user", "plan", "starts_on", "ends_on", "invoice", "created_at"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = type("MembershipGrantForm", (MembershipGrantForm,), {"actor": request.user})
            kwargs["fields"] = ["user", "plan", "starts_on", "ends_on", "reason"]
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request, obj=None):
        return ["user", "plan", "starts_on", "ends_on", "reason"] if obj is None else self.fields

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.fields

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        request.membership_proposal = membership_grant_propose(
            user=data["user"], plan=data["plan"], starts_on=data["starts_on"], ends_on=data["ends_on"],
            actor=request.user, reason=data["reason"])

    def save_related(self, request, form, formsets, change):
        pass  # nothing was saved: the period exists only once the proposal is approved

    def log_addition(self, request, obj, message):
        pass  # the proposal's own history records who proposed it

    def response_add(self, request, obj, post_url_continue=None):
        proposal = request.membership_proposal
        self.message_user(request, _("Proposed: %(proposal)s. Another staff member must approve it.")
                          % {"proposal": proposal.summary}, messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:workflows_proposal_change", args=[proposal.pk]))
