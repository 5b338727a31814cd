"""Partners and organizations: QTSP trainees and their exam results, fast-track referral answers,
programmes accredited, annual reports overdue."""

from django.conf import settings
from django.db.models import Count, Exists, F, Min, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from exams.models import ExamResult
from fasttrack.models import Referral
from insights.figures.base import Chart, Filters, Percentile, Table, days_between, rate, rounded
from insights.labels import country_name
from organizations.models import ACCREDITED_STATUSES, AnnualReport, ProgrammeApplication, ReportStatus
from partners.models import Cohort, Enrolment


def _per_cohort(enrolments, **condition):
    """How many of a cohort's ``enrolments`` meet ``condition`` (0 for none)."""
    return Coalesce(Subquery(enrolments.filter(**condition).values("cohort_id").annotate(n=Count("pk")).values("n")), 0)


def trainees_by_qtsp(filters: Filters) -> Table:
    # Counted per cohort (an index scan each) and summed per QTSP: joining every one of a busy body's 60,000
    # enrolments to its cohort, programme and QTSP and sorting them by name cost twice as much.
    cohorts = Cohort.objects.filter(starts_on__gte=filters.start, starts_on__lte=filters.end)
    if filters.level:
        cohorts = cohorts.filter(programme__level__code=filters.level)
    if filters.country:
        cohorts = cohorts.filter(programme__qtsp__country=filters.country)
    results = ExamResult.objects.filter(
        booking__candidate=OuterRef("trainee"), booking__level=OuterRef(OuterRef("programme__level")))
    enrolments = Enrolment.objects.filter(cohort_id=OuterRef("pk"))
    with_results = enrolments.annotate(sat=Exists(results), passed_exam=Exists(results.filter(passed=True)))
    rows = cohorts.values(qtsp=F("programme__qtsp__name")).annotate(
        trainees=Sum(_per_cohort(enrolments)),
        completed=Sum(_per_cohort(enrolments, status=Enrolment.Status.COMPLETED)),
        sat_count=Sum(_per_cohort(with_results, sat=True)),
        passed_count=Sum(_per_cohort(with_results, passed_exam=True)),
    ).filter(trainees__gt=0).order_by("qtsp")
    return Table(
        "trainees_by_qtsp", _("Trainees and pass rates per QTSP"),
        _("Trainees on the rosters of cohorts starting in the period per QTSP: completions, trainees who sat the "
          "exam of the programme's level, and their pass rate."),
        [_("QTSP"), _("Trainees"), _("Completed"), _("Sat the exam"), _("Passed"), _("Pass rate (%)")],
        [(row["qtsp"], row["trainees"], row["completed"], row["sat_count"], row["passed_count"],
          rate(row["passed_count"], row["sat_count"])) for row in rows],
        Chart(values=(5,), maximum=100),
    )


def referral_response_times(filters: Filters) -> Table:
    queryset = Referral.objects.filter(offered_at__gte=filters.since, offered_at__lt=filters.until)
    if filters.level and filters.level != "SM":  # the fast track leads to the Senior Mentor level only
        queryset = queryset.none()
    if filters.country:
        queryset = queryset.filter(qtsp__country=filters.country)
    now = timezone.now()
    answered = Q(responded_at__isnull=False)
    rows = queryset.annotate(hours=days_between("offered_at", "responded_at") * 24).values(
        qtsp_name=F("qtsp__name")).annotate(
        offered=Count("pk"), answered=Count("pk", filter=answered),
        median=Percentile("hours", 0.5), p90=Percentile("hours", 0.9),
        on_time=Count("pk", filter=answered & Q(responded_at__lte=F("respond_by"))),
        late=Count("pk", filter=(answered & Q(responded_at__gt=F("respond_by")))
                   | Q(responded_at__isnull=True, respond_by__lt=now)),
    ).order_by("qtsp_name")
    days = settings.FASTTRACK_REFERRAL_RESPONSE_BUSINESS_DAYS
    return Table(
        "referral_response_times", _("Fast-track referral response times"),
        _("Referrals offered in the period per QTSP: hours to answer (median and 90th percentile) and answers "
          "within the target of %(days)s business days.") % {"days": days},
        [_("QTSP"), _("Offered"), _("Answered"), _("Median (hours)"), _("90th percentile (hours)"),
         _("On time"), _("Late or unanswered past the target"), _("On time (%)")],
        [(row["qtsp_name"], row["offered"], row["answered"], rounded(row["median"]), rounded(row["p90"]),
          row["on_time"], row["late"], rate(row["on_time"], row["offered"])) for row in rows],
        Chart(values=(7,), maximum=100),
    )


def programmes_accredited(filters: Filters) -> Table:
    queryset = ProgrammeApplication.objects.all()
    if filters.country:
        queryset = queryset.filter(programme__organization__country=filters.country)
    today = timezone.localdate()
    rows = queryset.values(country=F("programme__organization__country")).annotate(
        accredited=Count("pk", filter=Q(valid_from__isnull=False, decided_at__gte=filters.since,
                                        decided_at__lt=filters.until)),
        in_force=Count("pk", filter=Q(status__in=ACCREDITED_STATUSES, valid_from__lte=today, valid_until__gte=today)),
    ).filter(Q(accredited__gt=0) | Q(in_force__gt=0)).order_by("-in_force", "country")
    return Table(
        "programmes_accredited", _("Programmes accredited"),
        _("Mentoring programmes accredited in the period, and accreditations in force today, per organization's "
          "country (levels do not apply)."),
        [_("Country"), _("Accredited in the period"), _("In force today")],
        [(country_name(row["country"]), row["accredited"], row["in_force"]) for row in rows],
        Chart(values=(1, 2)),
    )


def annual_reports_overdue(filters: Filters) -> Table:
    today = timezone.localdate()
    queryset = AnnualReport.objects.filter(
        Q(status=ReportStatus.LATE) | Q(status=ReportStatus.DUE, due_on__lt=today))
    if filters.country:
        queryset = queryset.filter(application__programme__organization__country=filters.country)
    rows = queryset.values(country=F("application__programme__organization__country")).annotate(
        overdue=Count("pk"), oldest=Min("due_on")).order_by("-overdue", "country")
    return Table(
        "annual_reports_overdue", _("Annual reports overdue"),
        _("Annual reports of accredited programmes past their due date today, per organization's country "
          "(the date range does not apply)."),
        [_("Country"), _("Overdue"), _("Oldest due date")],
        [(country_name(row["country"]), row["overdue"], row["oldest"]) for row in rows],
        Chart(values=(1,)),
    )


FIGURES = [trainees_by_qtsp, referral_response_times, programmes_accredited, annual_reports_overdue]
