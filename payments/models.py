from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from workflows.models import Workflow, WorkflowEvent, actor_label

CURRENCY = "USD"


class FeeKind(models.TextChoices):
    ACCREDITATION_MEMBER = "accreditation_member", _("Accreditation fee (member)")
    ACCREDITATION_NON_MEMBER = "accreditation_non_member", _("Accreditation fee (non-member)")
    EXAM = "exam", _("Examination fee")
    RENEWAL = "renewal", _("Certificate renewal fee")
    MEMBERSHIP_UPGRADE = "membership_upgrade", _("Permanent membership upgrade")
    PROGRAMME_ACCREDITATION = "programme_accreditation", _("Programme accreditation fee")


# Fees that differ by level carry one; the others apply whatever the level.
# A tuple, not a set: the constraint below lists these in this order, and a set's order changes
# between processes, which made makemigrations see a change that was not there.
PER_LEVEL_FEES = (FeeKind.EXAM, FeeKind.ACCREDITATION_NON_MEMBER, FeeKind.ACCREDITATION_MEMBER)


class Fee(models.Model):
    """One price of the fee schedule, in effect from its date until a later row of the same kind and level."""

    kind = models.CharField(_("fee"), max_length=40, choices=FeeKind.choices)
    level = models.ForeignKey(
        "accreditation.Level", verbose_name=_("level"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    amount = models.DecimalField(_("amount (USD)"), max_digits=10, decimal_places=2)
    effective_from = models.DateField(
        _("effective from"), help_text=_("The first day (UTC) on which invoices are raised at this price.")
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("fee")
        verbose_name_plural = _("fee schedule")
        ordering = ["kind", "level__rank", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "level", "effective_from"], nulls_distinct=False,
                name="payments_fee_one_price_per_day",
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="payments_fee_amount_not_negative"),
            models.CheckConstraint(
                condition=(
                    Q(kind__in=[kind.value for kind in PER_LEVEL_FEES], level__isnull=False)
                    | (~Q(kind__in=[kind.value for kind in PER_LEVEL_FEES]) & Q(level__isnull=True))
                ),
                name="payments_fee_level_iff_per_level",
            ),
        ]

    def __str__(self) -> str:
        level = f" {self.level.code}" if self.level_id else ""
        return f"{self.get_kind_display()}{level}: {CURRENCY} {self.amount} from {self.effective_from}"


class MemberGroup(models.TextChoices):
    """The eight groups the association's "Who Can Join" names (seeds/004); a member says which is theirs."""

    PROGRAMME_REPRESENTATIVE = "programme_representative", _(
        "Representative of a mentoring programme or organization (business, government, education, "
        "community or nonprofit)"
    )
    PROGRAMME_DIRECTOR = "programme_director", _("Mentoring programme director")
    EDUCATION_FACULTY = "education_faculty", _("Education faculty (from K-12 to graduate)")
    HR_TRAINING = "hr_training", _("Human resources leader or training professional")
    ORGANIZATION_DEVELOPMENT = "organization_development", _("Organization development or staff development leader")
    RESEARCHER_TRAINER_CONSULTANT = "researcher_trainer_consultant", _(
        "Mentoring researcher, mentor trainer or consultant"
    )
    MENTOR_COACH_MENTEE = "mentor_coach_mentee", _("Mentor, coach, mentee or protégé")
    SUPPORTER = "supporter", _("Interested in mentoring and supporting the mission")


class MembershipPeriod(models.Model):
    """A span during which the person is a member; ``ends_on`` empty means permanent membership."""

    PERMANENT = "permanent"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("member"), on_delete=models.CASCADE,
        related_name="membership_periods",
    )
    plan = models.CharField(
        _("plan"), max_length=40, help_text=_("A membership plan code, or “permanent”.")
    )
    group = models.CharField(
        _("member group"), max_length=40, choices=MemberGroup.choices, blank=True,
        help_text=_("Which of the association's groups the member belongs to; empty when not stated."),
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on (inclusive)"), null=True, blank=True)
    invoice = models.OneToOneField(
        "payments.Invoice", verbose_name=_("paid by invoice"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="membership_period",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("membership period")
        verbose_name_plural = _("membership periods")
        ordering = ["user", "-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="payments_membership_ends_after_start",
            ),
        ]
        indexes = [models.Index(fields=["user", "starts_on"], name="payments_membership_user_idx")]

    def __str__(self) -> str:
        return f"{self.user} {self.plan} {self.starts_on}–{self.ends_on or '∞'}"

    @property
    def is_permanent(self) -> bool:
        return self.ends_on is None

    @property
    def group_label(self) -> str:
        return self.get_group_display() if self.group else str(_("not stated"))


class InvoiceKind(models.TextChoices):
    ACCREDITATION = "accreditation", _("Level accreditation")
    EXAM = "exam", _("Exam")
    EXAM_RETAKE = "exam_retake", _("Exam retake")
    RENEWAL = "renewal", _("Certificate renewal")
    MEMBERSHIP = "membership", _("Membership")
    MEMBERSHIP_UPGRADE = "membership_upgrade", _("Permanent membership upgrade")
    PROGRAMME_ACCREDITATION = "programme_accreditation", _("Programme accreditation")
    EVENT = "event", _("Event registration")
    SPONSORSHIP = "sponsorship", _("Sponsor's monthly invoice")


EXAM_KINDS = {InvoiceKind.EXAM, InvoiceKind.EXAM_RETAKE}
MEMBERSHIP_KINDS = {InvoiceKind.MEMBERSHIP, InvoiceKind.MEMBERSHIP_UPGRADE}


class InvoiceStatus(models.TextChoices):
    OPEN = "open", _("Open")
    PAID = "paid", _("Paid")
    VOID = "void", _("Void")
    REFUNDED = "refunded", _("Refunded")


# At most one invoice per (kind, reference) is payable or paid; void and refunded ones are history.
LIVE_STATUSES = [InvoiceStatus.OPEN, InvoiceStatus.PAID]


class Provider(models.TextChoices):
    STRIPE = "stripe", _("Card (Stripe Checkout)")
    BANK_TRANSFER = "bank_transfer", _("Bank transfer")
    DEMO = "demo", _("Demo payment (no money moves)")
    SPONSOR = "sponsor", _("Billed to the sponsor's monthly invoice")


class Invoice(Workflow):
    """What a person owes for one business action (``kind`` + ``reference``, e.g. ``booking:42``)."""

    TRANSITIONS: ClassVar[dict] = {
        InvoiceStatus.OPEN: frozenset({InvoiceStatus.PAID, InvoiceStatus.VOID}),
        InvoiceStatus.PAID: frozenset({InvoiceStatus.REFUNDED}),
        InvoiceStatus.VOID: frozenset(),
        InvoiceStatus.REFUNDED: frozenset(),
    }

    number = models.CharField(_("number"), max_length=20, unique=True, editable=False)
    payer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("payer"), on_delete=models.PROTECT, related_name="invoices"
    )
    kind = models.CharField(_("for"), max_length=30, choices=InvoiceKind.choices)
    reference = models.CharField(
        _("reference"), max_length=100, help_text=_("The business object paid for, e.g. application:12.")
    )
    level = models.ForeignKey(
        "accreditation.Level", verbose_name=_("level"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    member_pricing = models.BooleanField(_("member price"), default=False)
    billed_to = models.CharField(
        _("billed to"), max_length=200, blank=True,
        help_text=_("The organization a sponsor's monthly invoice is addressed to; empty for a person's own."),
    )
    membership_plan = models.CharField(_("membership plan"), max_length=40, blank=True)
    membership_months = models.PositiveSmallIntegerField(_("membership months"), null=True, blank=True)
    membership_group = models.CharField(
        _("member group"), max_length=40, choices=MemberGroup.choices, blank=True,
        help_text=_("The group the buyer stated, carried to the membership period the payment opens."),
    )
    currency = models.CharField(_("currency"), max_length=3, default=CURRENCY, editable=False)
    amount = models.DecimalField(_("amount"), max_digits=10, decimal_places=2)
    status = models.CharField(
        _("status"), max_length=10, choices=InvoiceStatus.choices, default=InvoiceStatus.OPEN, db_index=True
    )
    provider = models.CharField(_("payment method"), max_length=20, choices=Provider.choices, blank=True)
    checkout_reference = models.CharField(
        _("checkout reference"), max_length=255, blank=True, help_text=_("The provider's checkout session.")
    )
    payment_reference = models.CharField(
        _("payment reference"), max_length=255, blank=True,
        help_text=_("The provider's id of the payment (e.g. a Stripe PaymentIntent)."),
    )
    created_at = models.DateTimeField(_("raised at"), default=timezone.now, db_index=True)
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    voided_at = models.DateTimeField(_("voided at"), null=True, blank=True)
    refunded_at = models.DateTimeField(_("refunded at"), null=True, blank=True)

    class Meta:
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "reference"], condition=Q(status__in=LIVE_STATUSES),
                name="payments_invoice_one_live_per_reference",
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="payments_invoice_amount_not_negative"),
            models.CheckConstraint(
                condition=Q(status__in=[status.value for status in InvoiceStatus]), name="payments_invoice_status_valid"
            ),
        ]
        indexes = [
            models.Index(fields=["kind", "created_at"], condition=Q(status="open"), name="payments_invoice_open_idx"),
            models.Index(fields=["payer", "-created_at"], name="payments_invoice_payer_idx"),
            # The committee list's search by a number's start ("IPMA-2026") or a provider's id (LIKE 'x%'):
            # the unique index's collation cannot serve a LIKE.
            models.Index(fields=["number"], name="payments_invoice_number_like", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["payment_reference"], name="payments_invoice_payref_like",
                         opclasses=["varchar_pattern_ops"]),
        ]
        permissions = [
            ("confirm_bank_transfer", "Can confirm that a bank transfer was received"),
            ("void_invoice", "Can void an open invoice"),
            ("refund_invoice", "Can refund a paid invoice"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_payable(self) -> bool:
        return self.status == InvoiceStatus.OPEN

    @property
    def amount_minor(self) -> int:
        """The amount in cents, as card providers count it."""
        return int((self.amount * 100).to_integral_value())


class InvoiceLine(models.Model):
    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="lines")
    fee = models.ForeignKey(
        Fee, verbose_name=_("fee schedule row"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    description = models.CharField(_("description"), max_length=200)
    quantity = models.PositiveSmallIntegerField(_("quantity"), default=1)
    unit_amount = models.DecimalField(_("unit price"), max_digits=10, decimal_places=2)
    amount = models.DecimalField(_("amount"), max_digits=10, decimal_places=2)

    class Meta:
        verbose_name = _("invoice line")
        verbose_name_plural = _("invoice lines")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount=models.F("unit_amount") * models.F("quantity")),
                name="payments_line_amount_is_quantity_times_price",
            ),
        ]

    def __str__(self) -> str:
        return self.description


class InvoiceEvent(WorkflowEvent):
    """An immutable record of a status change, or of something staff should know (``from == to``)."""

    invoice = models.ForeignKey(Invoice, verbose_name=_("invoice"), on_delete=models.PROTECT, related_name="events")
    from_status = models.CharField(_("from"), max_length=10, choices=InvoiceStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=10, choices=InvoiceStatus.choices)

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("invoice event")
        verbose_name_plural = _("invoice events")

    def __str__(self) -> str:
        return f"{self.invoice}: {self.from_status or '∅'} → {self.to_status}"


class PaymentOutcome(models.TextChoices):
    PROCESSED = "processed", _("Processed: invoice paid")
    IGNORED = "ignored", _("Ignored: not a payment")
    FLAGGED = "flagged", _("Flagged: needs staff attention")


class PaymentEvent(models.Model):
    """Each provider event, kept once: the unique (provider, event id) makes retries and replays no-ops."""

    provider = models.CharField(_("provider"), max_length=20, choices=Provider.choices)
    event_id = models.CharField(_("event id"), max_length=255)
    event_type = models.CharField(_("event type"), max_length=100)
    invoice = models.ForeignKey(
        Invoice, verbose_name=_("invoice"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="payment_events",
    )
    invoice_number = models.CharField(_("invoice number sent"), max_length=255, blank=True)
    amount = models.DecimalField(_("amount"), max_digits=10, decimal_places=2, null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    payment_reference = models.CharField(_("payment reference"), max_length=255, blank=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=PaymentOutcome.choices, db_index=True)
    note = models.TextField(_("note"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("confirmed by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    actor_name = models.CharField(
        _("confirmed by (name)"), max_length=300, blank=True, editable=False,
        help_text=_("Who confirmed, kept even after their account is deleted."),
    )
    payload = models.JSONField(_("payload"), default=dict, blank=True)
    received_at = models.DateTimeField(_("received at"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("payment event")
        verbose_name_plural = _("payment events")
        ordering = ["-received_at"]
        constraints = [
            models.UniqueConstraint(fields=["provider", "event_id"], name="payments_event_once"),
        ]

    def __str__(self) -> str:
        return f"{self.provider} {self.event_id} ({self.outcome})"

    def save(self, *args, **kwargs) -> None:
        if self._state.adding and self.actor_id and not self.actor_name:
            self.actor_name = actor_label(self.actor)
        super().save(*args, **kwargs)


class RefundStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    COMPLETED = "completed", _("Completed")


class Refund(models.Model):
    """The full refund of a paid invoice: sent to the card provider, or a bank-transfer task for staff."""

    invoice = models.OneToOneField(Invoice, on_delete=models.PROTECT, related_name="refund")
    amount = models.DecimalField(_("amount"), max_digits=10, decimal_places=2)
    reason = models.TextField(_("reason"))
    status = models.CharField(
        _("status"), max_length=10, choices=RefundStatus.choices, default=RefundStatus.REQUESTED, db_index=True
    )
    provider = models.CharField(_("paid back through"), max_length=20, choices=Provider.choices)
    provider_reference = models.CharField(_("refund reference"), max_length=255, blank=True)
    note = models.TextField(_("note"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("completed by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("refund")
        verbose_name_plural = _("refunds")
        ordering = ["-requested_at"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="payments_refund_amount_not_negative"),
        ]

    def __str__(self) -> str:
        return f"Refund of {self.invoice} ({self.get_status_display()})"


class SponsoredCharge(models.Model):
    """A person's fee that their sponsor pays: it waits here until the month's grouped invoice is raised.

    ``fee_invoice`` is the person's own invoice for the fee, settled by the sponsor (provider ``sponsor``)
    so their workflow proceeds; ``monthly_invoice`` is the sponsor's grouped invoice once raised. A charge
    released after it was billed is balanced by a credit (a negative amount) on a later invoice.
    """

    sponsor_key = models.CharField(
        _("sponsor"), max_length=100, db_index=True,
        help_text=_("Who pays, as the answering app names it (e.g. organization:12)."),
    )
    sponsor_name = models.CharField(_("sponsor's name"), max_length=200)
    billing_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("billing contact"), on_delete=models.PROTECT, related_name="+",
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("sponsored person"), on_delete=models.PROTECT,
        related_name="sponsored_charges",
    )
    fee_invoice = models.ForeignKey(
        Invoice, verbose_name=_("person's fee invoice"), on_delete=models.PROTECT, related_name="sponsored_charges",
    )
    monthly_invoice = models.ForeignKey(
        Invoice, verbose_name=_("sponsor's monthly invoice"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="sponsor_lines",
    )
    description = models.CharField(_("description"), max_length=200)
    amount = models.DecimalField(_("amount"), max_digits=10, decimal_places=2)
    is_credit = models.BooleanField(_("credit"), default=False)
    released_at = models.DateTimeField(_("released at"), null=True, blank=True)
    created_at = models.DateTimeField(_("charged at"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("sponsored charge")
        verbose_name_plural = _("sponsored charges")
        ordering = ["created_at", "pk"]
        constraints = [
            # One charge and at most one credit per fee invoice, whatever runs twice.
            models.UniqueConstraint(fields=["fee_invoice", "is_credit"], name="payments_sponsored_charge_once"),
        ]
        indexes = [
            models.Index(fields=["sponsor_key", "created_at"], condition=Q(monthly_invoice__isnull=True),
                         name="payments_charge_unbilled_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.sponsor_name}: {self.description} {self.amount}"
