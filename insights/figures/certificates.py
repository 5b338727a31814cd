"""Certificates: in force per level and country, renewals coming up, lapses, and the renewal rate."""

import datetime

from django.conf import settings
from django.db.models import Count, Exists, F, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from certificates.models import (
    RENEWAL_OPEN_STATUSES,
    Certificate,
    CertificateKind,
    CertificateStatus,
    Renewal,
    RenewalStatus,
)
from certificates.selectors import certificates_active
from insights.figures.base import Chart, Filters, Table, rate
from insights.labels import country_name

RENEWALS_DUE_DAYS = 90


def _individual(queryset, filters: Filters):
    queryset = queryset.filter(kind=CertificateKind.INDIVIDUAL)
    if filters.level:
        queryset = queryset.filter(level__code=filters.level)
    if filters.country:
        queryset = queryset.filter(holder__profile__country=filters.country)
    return queryset


def active_by_level(filters: Filters) -> Table:
    rows = _individual(certificates_active(), filters).values(code=F("level__code"), rank=F("level__rank")).annotate(
        active=Count("pk")).order_by("rank")
    return Table(
        "active_by_level", _("Certificates in force by level"),
        _("Individual certificates in force today per level (the date range does not apply)."),
        [_("Level"), _("In force")], [(row["code"], row["active"]) for row in rows], Chart(values=(1,)),
    )


def active_by_country(filters: Filters) -> Table:
    rows = _individual(certificates_active(), filters).values(country=F("holder__profile__country")).annotate(
        active=Count("pk")).order_by("-active", "country")
    return Table(
        "active_by_country", _("Certificates in force by country"),
        _("Individual certificates in force today per holder's country (the date range does not apply)."),
        [_("Country"), _("In force")], [(country_name(row["country"]), row["active"]) for row in rows],
        Chart(values=(1,)),
    )


def renewals_due(filters: Filters) -> Table:
    today = timezone.localdate()
    queryset = _individual(Certificate.objects.expiring_within(RENEWALS_DUE_DAYS, today=today), filters)
    open_renewal = Renewal.objects.filter(
        certificate=OuterRef("pk"), status__in=RENEWAL_OPEN_STATUSES)
    rows = queryset.annotate(renewing=Exists(open_renewal)).values(
        code=F("level__code"), rank=F("level__rank")).annotate(
        due=Count("pk"), renewing_count=Count("pk", filter=Q(renewing=True))).order_by("rank")
    return Table(
        "renewals_due", _("Renewals due in the next 90 days"),
        _("Certificates in force that expire within 90 days of today per level, and how many of them have a "
          "renewal under way."),
        [_("Level"), _("Expiring"), _("Renewal under way")],
        [(row["code"], row["due"], row["renewing_count"]) for row in rows], Chart(values=(1, 2)),
    )


def lapsed(filters: Filters) -> Table:
    """Expired and past the grace period within the last year: the holder must apply for the level again."""
    today = timezone.localdate()
    grace = datetime.timedelta(days=settings.CERTIFICATES_GRACE_DAYS)
    queryset = _individual(Certificate.objects.filter(
        status=CertificateStatus.EXPIRED, expires_on__lt=today - grace,
        expires_on__gte=today - grace - datetime.timedelta(days=365)), filters)
    rows = queryset.values(code=F("level__code"), rank=F("level__rank")).annotate(count=Count("pk")).order_by("rank")
    return Table(
        "lapsed", _("Lapsed in the last year"),
        _("Certificates whose grace period after expiry ended in the last 365 days without a renewal, per level."),
        [_("Level"), _("Lapsed")], [(row["code"], row["count"]) for row in rows], Chart(values=(1,)),
    )


def renewal_rate(filters: Filters) -> Table:
    """Of the certificates that expired in the period, how many were renewed."""
    today = timezone.localdate()
    queryset = _individual(Certificate.objects.filter(
        expires_on__gte=filters.start, expires_on__lte=min(filters.end, today)), filters).exclude(
        status=CertificateStatus.REVOKED)
    renewed = Renewal.objects.filter(certificate=OuterRef("pk"), status=RenewalStatus.APPROVED)
    rows = queryset.annotate(was_renewed=Exists(renewed)).values(code=F("level__code"), rank=F("level__rank")).annotate(
        expired=Count("pk"), renewed=Count("pk", filter=Q(was_renewed=True))).order_by("rank")
    return Table(
        "renewal_rate", _("Renewal rate"),
        _("Certificates whose expiry date fell in the period (up to today), and the share renewed."),
        [_("Level"), _("Expired"), _("Renewed"), _("Renewal rate (%)")],
        [(row["code"], row["expired"], row["renewed"], rate(row["renewed"], row["expired"])) for row in rows],
        Chart(values=(3,), maximum=100),
    )


FIGURES = [active_by_level, active_by_country, renewals_due, lapsed, renewal_rate]
