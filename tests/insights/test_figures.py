"""Each figure's numbers on known data, and the page's query count whatever the data."""

import datetime

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from insights.figures import FIGURES, applications, certificates, exams, money, partners, sections
from insights.figures.base import Filters
from tests.certificates.factories import CertificateFactory, RenewalFactory
from tests.exams.factories import ExamSessionFactory, TestCentreFactory
from tests.factories import ApplicantFactory
from tests.insights.conftest import application, exam_result, in_country, invoice
from tests.partners.factories import CohortFactory, EnrolmentFactory, ProgrammeFactory, QTSPFactory

pytestmark = pytest.mark.django_db
# The reviewer and their roles and permissions in one query (the session from its Redis copy), then one aggregate per
# figure (none per row).
QUERIES_COMMITTEE_PAGE = 23


def test_every_table_key_is_its_figure_name(filters):
    assert all(FIGURES[key](filters).key == key for key in FIGURES)


def test_funnel_by_level_counts_each_stage(filters):
    person = ApplicantFactory()
    application(person, "AM")
    application(ApplicantFactory(), "AM", status="under_review", submitted_days=1)
    application(ApplicantFactory(), "AM", status="approved", submitted_days=1, accepted_days=5, decided_days=40)
    application(ApplicantFactory(), "PM", status="rejected", submitted_days=1, decided_days=3)
    assert applications.funnel_by_level(filters).rows == [("AM", 3, 2, 1, 1), ("PM", 1, 1, 1, 0)]


def test_funnel_filters_by_level_country_and_date(filters):
    application(in_country(ApplicantFactory(), "FR"), "AM")
    application(in_country(ApplicantFactory(), "DE"), "AM")
    application(in_country(ApplicantFactory(), "FR"), "PM")
    application(in_country(ApplicantFactory(), "FR"), "AM", days_ago=500)
    only = Filters(start=filters.start, end=filters.end, level="AM", country="FR")
    assert applications.funnel_by_level(only).rows == [("AM", 1, 0, 0, 0)]
    assert [row[0] for row in applications.funnel_by_country(filters).rows] == ["France", "Germany"]


def test_decision_times_median_and_p90_against_the_target(filters, settings):
    settings.INSIGHTS_DECISION_TARGET_DAYS = 10
    for days in (2, 4, 6, 8, 30):  # accepted for exam (or rejected) this many days after submission
        application(ApplicantFactory(), "AM", status="accepted_for_exam", days_ago=60, submitted_days=0,
                    accepted_days=days)
    application(ApplicantFactory(), "AM", status="under_review", submitted_days=0)  # undecided: not counted
    [row] = applications.decision_times(filters).rows
    assert row[:2] == ("AM", 5)
    assert row[2] == 6.0  # median
    assert row[3] == pytest.approx(21.2, abs=0.1)  # percentile_cont(0.9) of 2, 4, 6, 8, 30
    assert row[4:] == (10, 4)


def test_pass_rate_no_shows_and_seat_use(filters):
    session = ExamSessionFactory(starts_at=timezone.now() - datetime.timedelta(days=5), capacity=10)
    for passed in (True, True, False):
        exam_result(session, ApplicantFactory(), passed=passed)
    exam_result(session, ApplicantFactory(), status="no_show")
    session.seats_taken = 4
    session.save(update_fields=["seats_taken"])
    assert exams.pass_rate_by_level(filters).rows == [("AM", 3, 2, 66.7)]
    assert exams.pass_rate_by_centre(filters).rows == [(session.centre.name, "London", 3, 2, 66.7)]
    assert exams.no_shows(filters).rows == [("AM", 4, 1, 25.0)]
    [row] = exams.seat_use(filters).rows
    assert row[0] == session.centre.name and row[2:] == (1, 10, 4, 40.0)


def test_certificates_in_force_due_and_renewed(filters):
    CertificateFactory(level_code="AM", holder=in_country(ApplicantFactory(), "CN"))
    CertificateFactory(level_code="AM")
    due = CertificateFactory.expiring_in(30, level_code="PM")
    RenewalFactory(certificate=due)
    CertificateFactory.expiring_in(200, level_code="PM")
    assert certificates.active_by_level(filters).rows == [("AM", 2), ("PM", 2)]
    assert certificates.renewals_due(filters).rows == [("PM", 1, 1)]
    assert ("China", 1) in certificates.active_by_country(filters).rows


def test_lapsed_and_renewal_rate(filters, settings):
    settings.CERTIFICATES_GRACE_DAYS = 90
    lapsed = CertificateFactory.expiring_in(-120, level_code="SM", status="expired")
    renewed = CertificateFactory.expiring_in(-10, level_code="SM", status="superseded")
    RenewalFactory(certificate=renewed, status="approved",
                   new_certificate=CertificateFactory(level_code="SM", holder=renewed.holder))
    assert certificates.lapsed(filters).rows == [("SM", 1)]
    assert certificates.renewal_rate(filters).rows == [("SM", 2, 1, 50.0)]
    assert lapsed.pk != renewed.pk


def test_revenue_open_and_overdue_invoices(filters, settings):
    settings.INSIGHTS_INVOICE_OVERDUE_DAYS = 30
    payer = ApplicantFactory()
    paid_at = timezone.now() - datetime.timedelta(days=1)
    invoice(payer, kind="exam", amount="31.00", status="paid", paid_at=paid_at)
    invoice(payer, kind="exam", amount="131.00", status="paid", paid_at=paid_at)
    invoice(payer, kind="renewal", amount="50.00", status="open", created_days_ago=40)
    invoice(payer, kind="renewal", amount="50.00", status="open", created_days_ago=1)
    [row] = money.revenue_by_month(filters).rows
    assert row[1:] == ("Exam", "USD", 2, 162)
    [row] = money.open_invoices(filters).rows
    assert row == ("Certificate renewal", "USD", 2, 100, 1, 50)


def test_revenue_counts_a_sponsored_fee_once_with_the_sponsors_monthly_invoice(filters):
    paid_at = timezone.now() - datetime.timedelta(days=1)
    employee, sponsor_owner = ApplicantFactory(), ApplicantFactory()
    invoice(employee, kind="exam", amount="131.00", status="paid", paid_at=paid_at, provider="sponsor")
    invoice(sponsor_owner, kind="sponsorship", amount="131.00", status="paid", paid_at=paid_at,
            provider="bank_transfer")
    rows = money.revenue_by_month(filters).rows
    assert [row[1:] for row in rows] == [("Sponsor's monthly invoice", "USD", 1, 131)]


def test_trainees_and_exam_pass_rate_per_qtsp(filters):
    qtsp = QTSPFactory(name="North Academy")
    cohort = CohortFactory(programme=ProgrammeFactory(qtsp=qtsp), starts_on=timezone.localdate())
    session = ExamSessionFactory(starts_at=timezone.now() - datetime.timedelta(days=5))
    passed, failed, absent = ApplicantFactory(), ApplicantFactory(), ApplicantFactory()
    for trainee in (passed, failed, absent):
        EnrolmentFactory(cohort=cohort, trainee=trainee)
    exam_result(session, passed, level_code=cohort.programme.level.code, passed=True)
    exam_result(session, failed, level_code=cohort.programme.level.code, passed=False)
    assert partners.trainees_by_qtsp(filters).rows == [("North Academy", 3, 0, 2, 1, 50.0)]


def test_trainees_per_qtsp_sum_its_cohorts_in_the_period_and_skip_empty_ones(filters):
    qtsp = QTSPFactory(name="South Academy")
    programme = ProgrammeFactory(qtsp=qtsp)
    for starts_on, trainees in ((timezone.localdate(), 2), (timezone.localdate() - datetime.timedelta(days=30), 1),
                                (timezone.localdate() - datetime.timedelta(days=500), 4)):
        cohort = CohortFactory(programme=programme, starts_on=starts_on)
        for _n in range(trainees):
            EnrolmentFactory(cohort=cohort, trainee=ApplicantFactory())
    CohortFactory(programme=ProgrammeFactory(qtsp=QTSPFactory(name="Empty Academy")), starts_on=timezone.localdate())
    assert partners.trainees_by_qtsp(filters).rows == [("South Academy", 3, 0, 0, 0, None)]


def test_the_page_costs_the_same_queries_with_more_data(filters):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            sections(filters)
        return len(queries)

    application(ApplicantFactory(), "AM", status="approved", submitted_days=1, accepted_days=2, decided_days=3)
    CertificateFactory()
    ExamSessionFactory(centre=TestCentreFactory(), starts_at=timezone.now() - datetime.timedelta(days=3))
    before = count()
    for code in ("PM", "SM", "MM"):
        application(in_country(ApplicantFactory(), "JP"), code, status="rejected", submitted_days=1, decided_days=2)
        CertificateFactory(level_code=code)
        session = ExamSessionFactory(centre=TestCentreFactory(), starts_at=timezone.now() - datetime.timedelta(days=3))
        exam_result(session, ApplicantFactory(), level_code=code)
    assert count() == before
    assert before <= 2 * len(FIGURES)


def test_the_figures_are_kept_for_the_setting_per_filter(filters, settings):
    settings.INSIGHTS_CACHE_SECONDS = 300
    caches["reference"].clear()
    application(ApplicantFactory(), "AM")
    first = sections(filters)

    application(ApplicantFactory(), "AM")
    with CaptureQueriesContext(connection) as queries:
        kept = sections(filters)
    other_level = sections(Filters(start=filters.start, end=filters.end, level="PM"))

    assert len(queries) == 0 and kept[0][2][0].rows == first[0][2][0].rows
    assert other_level[0][2][0].rows != first[0][2][0].rows


def test_the_committee_page_is_kept_per_filter_and_shows_new_figures_after_the_setting(client, reviewer, settings):
    settings.INSIGHTS_CACHE_SECONDS = 300
    caches["reference"].clear()
    client.force_login(reviewer)
    client.get(reverse("insights:committee"))
    application(in_country(ApplicantFactory(), "FR"), "MM")

    kept = client.get(reverse("insights:committee")).content.decode()
    caches["reference"].clear()
    fresh = client.get(reverse("insights:committee")).content.decode()

    assert "<th scope=\"row\">MM</th>" not in kept and "<th scope=\"row\">MM</th>" in fresh


@pytest.mark.parametrize("applications", [5, 200])
def test_the_committee_page_costs_the_same_queries_with_few_and_many_rows(client, reviewer, applications,
                                                                          django_assert_num_queries):
    caches["reference"].clear()  # no fragment kept by an earlier test
    countries = ["FR", "DE", "CN", "BR", "NG", "JP", "IN"]
    for n in range(applications):
        application(in_country(ApplicantFactory(), countries[n % len(countries)]), ("AM", "PM", "SM", "MM")[n % 4],
                    status="rejected", submitted_days=1, decided_days=2)
    client.force_login(reviewer)
    client.get(reverse("insights:committee"))
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("insights:committee"))
    assert response.status_code == 200
    assert len(queries) == QUERIES_COMMITTEE_PAGE, [query["sql"][:80] for query in queries]


def test_the_warm_job_keeps_the_default_figures_so_the_page_computes_none(client, reviewer, settings):
    from insights.tasks import figures_warm_defaults

    settings.INSIGHTS_CACHE_SECONDS = 300
    caches["reference"].clear()
    application(ApplicantFactory(), "AM")
    client.force_login(reviewer)

    assert figures_warm_defaults() == 2 * len(FIGURES)  # English and Simplified Chinese
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("insights:committee"))

    assert response.status_code == 200 and '<th scope="row">AM</th><td>1</td>' in response.content.decode()
    assert not any("accreditation_levelapplication" in query["sql"] for query in queries)


def test_the_warm_job_keeps_nothing_when_the_figures_are_not_kept(settings):
    from insights.tasks import figures_warm_defaults

    settings.INSIGHTS_CACHE_SECONDS = 0
    assert figures_warm_defaults() == 0
