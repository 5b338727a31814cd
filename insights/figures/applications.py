"""Level applications: the funnel per level, month and country, and how long the committee takes to decide."""

from django.conf import settings
from django.db.models import Count, F, Q
from django.db.models.functions import Coalesce, TruncMonth
from django.utils.translation import gettext as _

from accreditation.models import ApplicationStatus, LevelApplication
from insights.figures.base import Chart, Filters, Percentile, Table, days_between, rounded
from insights.labels import country_name, month_label

# The committee's first decision: accepted for the exam, or rejected (approval without an exam counts too).
DECIDED = Coalesce(F("accepted_at"), F("decided_at"))


def _applications(filters: Filters):
    queryset = LevelApplication.objects.filter(created_at__gte=filters.since, created_at__lt=filters.until)
    if filters.level:
        queryset = queryset.filter(level__code=filters.level)
    if filters.country:
        queryset = queryset.filter(applicant__profile__country=filters.country)
    return queryset


FUNNEL = {
    "started": Count("pk"),
    "submitted": Count("pk", filter=Q(submitted_at__isnull=False)),
    "decided": Count("pk", filter=Q(accepted_at__isnull=False) | Q(decided_at__isnull=False)),
    "approved": Count("pk", filter=Q(status=ApplicationStatus.APPROVED)),
}
FUNNEL_COLUMNS = ("started", "submitted", "decided", "approved")


def _funnel_labels() -> list[str]:
    return [_("Started (draft)"), _("Submitted"), _("Decided"), _("Approved")]


def funnel_by_level(filters: Filters) -> Table:
    rows = (_applications(filters).values("level__code", "level__rank").annotate(**FUNNEL)
            .order_by("level__rank"))
    return Table(
        "funnel_by_level", _("Applications by level"),
        _("Applications started in the period per level, and how many of them were submitted, decided and approved."),
        [_("Level"), *_funnel_labels()],
        [(row["level__code"], *(row[c] for c in FUNNEL_COLUMNS)) for row in rows],
        Chart(values=(1, 2, 3, 4)),
    )


def funnel_by_month(filters: Filters) -> Table:
    rows = (_applications(filters).annotate(month=TruncMonth("created_at")).values("month").annotate(**FUNNEL)
            .order_by("month"))
    return Table(
        "funnel_by_month", _("Applications by month"),
        _("Applications started each month, and how many of them were submitted, decided and approved."),
        [_("Month"), *_funnel_labels()],
        [(month_label(row["month"]), *(row[c] for c in FUNNEL_COLUMNS)) for row in rows],
        Chart(values=(1, 2, 3, 4)),
    )


def funnel_by_country(filters: Filters) -> Table:
    rows = (_applications(filters).values(country=F("applicant__profile__country")).annotate(**FUNNEL)
            .order_by("-started", "country"))
    return Table(
        "funnel_by_country", _("Applications by country"),
        _("Applications started in the period per applicant's country, and how far they went."),
        [_("Country"), *_funnel_labels()],
        [(country_name(row["country"]), *(row[c] for c in FUNNEL_COLUMNS)) for row in rows],
        Chart(values=(1, 2, 3, 4)),
    )


def decision_times(filters: Filters) -> Table:
    target = settings.INSIGHTS_DECISION_TARGET_DAYS
    days = days_between("submitted_at", DECIDED)
    rows = (
        _applications(filters).filter(submitted_at__isnull=False).filter(Q(accepted_at__isnull=False) | Q(decided_at__isnull=False))
        .annotate(days=days).values("level__code", "level__rank")
        .annotate(decided=Count("pk"), median=Percentile("days", 0.5), p90=Percentile("days", 0.9),
                  within=Count("pk", filter=Q(days__lte=target)))
        .order_by("level__rank")
    )
    return Table(
        "decision_times", _("Decision times"),
        _("Days from submission to the committee's decision per level: median and 90th percentile, "
          "against the target of %(target)s days.") % {"target": target},
        [_("Level"), _("Decided"), _("Median (days)"), _("90th percentile (days)"), _("Target (days)"),
         _("Within target")],
        [(row["level__code"], row["decided"], rounded(row["median"]), rounded(row["p90"]), target, row["within"])
         for row in rows],
        Chart(values=(2, 3, 4)),
    )


FIGURES = [funnel_by_level, funnel_by_month, funnel_by_country, decision_times]
