"""Money: revenue per month and fee kind, open and overdue invoices, refunds."""

import datetime

from django.conf import settings
from django.db.models import Count, F, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from insights.figures.base import Chart, Filters, Table
from insights.labels import month_label
from payments.models import Invoice, InvoiceKind, InvoiceStatus, Provider, Refund, RefundStatus


def _by_payer(queryset, filters: Filters, prefix: str = ""):
    if filters.level:
        queryset = queryset.filter(**{f"{prefix}level__code": filters.level})
    if filters.country:
        queryset = queryset.filter(**{f"{prefix}payer__profile__country": filters.country})
    return queryset


def _kind(value: str) -> str:
    return str(InvoiceKind(value).label) if value in InvoiceKind.values else value


def revenue_by_month(filters: Filters) -> Table:
    # A fee a sponsor covers is settled on the person's invoice at once but paid with the sponsor's monthly
    # invoice: counting both would count the money twice, so the revenue is the monthly invoice's.
    queryset = _by_payer(Invoice.objects.filter(
        status__in=[InvoiceStatus.PAID, InvoiceStatus.REFUNDED], paid_at__gte=filters.since, paid_at__lt=filters.until,
    ).exclude(provider=Provider.SPONSOR), filters)
    rows = queryset.annotate(month=TruncMonth("paid_at")).values("month", "kind", "currency").annotate(
        invoices=Count("pk"), revenue=Sum("amount")).order_by("month", "kind", "currency")
    return Table(
        "revenue_by_month", _("Revenue by month and fee kind"),
        _("Invoices paid in each month of the period per fee kind, and the amount paid (refunds are listed apart)."),
        [_("Month"), _("Fee kind"), _("Currency"), _("Invoices"), _("Revenue")],
        [(month_label(row["month"]), _kind(row["kind"]), row["currency"], row["invoices"], row["revenue"])
         for row in rows],
        Chart(values=(4,), label=(0, 1)),
    )


def open_invoices(filters: Filters) -> Table:
    overdue_before = timezone.now() - datetime.timedelta(days=settings.INSIGHTS_INVOICE_OVERDUE_DAYS)
    queryset = _by_payer(Invoice.objects.filter(status=InvoiceStatus.OPEN), filters)
    rows = queryset.values("kind", "currency").annotate(
        open=Count("pk"), open_amount=Sum("amount"),
        overdue=Count("pk", filter=Q(created_at__lt=overdue_before)),
        overdue_amount=Sum("amount", filter=Q(created_at__lt=overdue_before)),
    ).order_by("kind", "currency")
    return Table(
        "open_invoices", _("Open and overdue invoices"),
        _("Invoices open today per fee kind; overdue are those open for more than %(days)s days "
          "(the date range does not apply).") % {"days": settings.INSIGHTS_INVOICE_OVERDUE_DAYS},
        [_("Fee kind"), _("Currency"), _("Open"), _("Amount open"), _("Overdue"), _("Amount overdue")],
        [(_kind(row["kind"]), row["currency"], row["open"], row["open_amount"], row["overdue"],
          row["overdue_amount"] or 0) for row in rows],
        Chart(values=(2, 4), label=(0, 1)),
    )


def refunds(filters: Filters) -> Table:
    queryset = _by_payer(Refund.objects.filter(requested_at__gte=filters.since, requested_at__lt=filters.until),
                         filters, prefix="invoice__")
    rows = queryset.annotate(month=TruncMonth("requested_at")).values(
        "month", "status", currency=F("invoice__currency")).annotate(
        refunds=Count("pk"), refunded=Sum("amount")).order_by("month", "status", "currency")
    return Table(
        "refunds", _("Refunds"),
        _("Refunds requested in each month of the period, by status, with the amount refunded."),
        [_("Month"), _("Status"), _("Currency"), _("Refunds"), _("Amount")],
        [(month_label(row["month"]), str(RefundStatus(row["status"]).label), row["currency"], row["refunds"], row["refunded"]) for row in rows],
        Chart(values=(3,), label=(0, 1)),
    )


FIGURES = [revenue_by_month, open_invoices, refunds]
