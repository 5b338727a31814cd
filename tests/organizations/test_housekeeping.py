"""The beat job: annual reports opened, reminded and flagged late; overdue conditions; renewal; expiry.
And what the organization does in return: file the report, renew with the previous answers filled in."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from notifications.models import OutboxMessage
from organizations import services
from organizations.models import AnnualReport, ApplicationKind, ApplicationStatus, ReportStatus
from organizations.tasks import housekeeping
from tests.organizations import factories

pytestmark = pytest.mark.django_db


def at(day: datetime.date):
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(9), tzinfo=datetime.UTC), tick=False)


def _run(day: datetime.date):
    with at(day):
        return services.organizations_housekeeping()


@pytest.fixture
def accredited(org, owner, reviewers):
    return factories.accredited(org, owner, reviewers)


def _outbox(prefix: str) -> list[str]:
    return sorted(OutboxMessage.objects.filter(key__startswith=prefix).values_list("key", flat=True))


def test_no_report_is_owed_during_the_first_year(accredited):
    run = _run(accredited.valid_from + datetime.timedelta(days=364))

    assert run.reports_opened == 0
    assert not AnnualReport.objects.exists()


def test_the_report_for_a_year_opens_when_the_year_ends_once_however_often_the_job_runs(accredited):
    year_end = accredited.valid_from.replace(year=accredited.valid_from.year + 1) - datetime.timedelta(days=1)
    day_after = year_end + datetime.timedelta(days=1)

    first = _run(day_after)
    second = _run(day_after)

    report = AnnualReport.objects.get()
    assert (first.reports_opened, second.reports_opened) == (1, 0)
    assert (report.year, report.period_start, report.period_end) == (1, accredited.valid_from, year_end)
    assert report.due_on == year_end + datetime.timedelta(days=30)
    assert _outbox("organizations:report-") == [f"organizations:report-opened:{report.pk}"]


def test_a_reminder_goes_once_a_week_before_the_due_date(accredited):
    _run(accredited.valid_from.replace(year=accredited.valid_from.year + 1))
    report = AnnualReport.objects.get()
    reminder_day = report.due_on - datetime.timedelta(days=7)

    _run(reminder_day - datetime.timedelta(days=1))
    assert _outbox("organizations:report-reminder") == []
    _run(reminder_day)
    _run(reminder_day + datetime.timedelta(days=1))

    assert _outbox("organizations:report-reminder") == [f"organizations:report-reminder:{report.pk}"]


def test_a_late_report_is_flagged_to_the_committee_once(accredited, reviewers):
    _run(accredited.valid_from.replace(year=accredited.valid_from.year + 1))
    report = AnnualReport.objects.get()

    _run(report.due_on)
    assert AnnualReport.objects.get().status == ReportStatus.DUE
    runs = [_run(report.due_on + datetime.timedelta(days=1)) for _ in range(2)]

    report.refresh_from_db()
    assert [run.reports_flagged_late for run in runs] == [1, 0]
    assert report.status == ReportStatus.LATE and report.flagged_late_at is not None
    late = OutboxMessage.objects.get(key=f"organizations:report-late:{report.pk}")
    assert set(late.to) == {reviewer.email for reviewer in reviewers}
    assert accredited.events.filter(action="report_late").count() == 1


def test_the_organization_files_its_report_in_the_portal(client, accredited, contact):
    _run(accredited.valid_from.replace(year=accredited.valid_from.year + 1))
    report = AnnualReport.objects.get()
    client.force_login(contact)

    incomplete = client.post(reverse("organizations:report_file", args=[report.pk]), {"active_pairs": "20"})
    filed = client.post(reverse("organizations:report_file", args=[report.pk]), {
        "active_pairs": "22", "pairs_started": "25", "retention_percent": "88",
        "outcomes": "Two in three mentees stayed in teaching.", "changes": "",
    })

    report.refresh_from_db()
    assert incomplete.status_code == 200 and filed.status_code == 302
    assert report.status == ReportStatus.FILED
    assert (report.active_pairs, report.retention_percent, report.filed_by) == (22, 88, contact)
    with pytest.raises(ValidationError, match="already filed"):
        services.annual_report_file(report=report, actor=contact, active_pairs=1, pairs_started=1,
                                    retention_percent=1, outcomes="again")
    assert _run(report.due_on + datetime.timedelta(days=5)).reports_flagged_late == 0


def test_retention_is_a_percentage(client, accredited, contact):
    _run(accredited.valid_from.replace(year=accredited.valid_from.year + 1))
    report = AnnualReport.objects.get()
    client.force_login(contact)

    response = client.post(reverse("organizations:report_file", args=[report.pk]), {
        "active_pairs": "22", "pairs_started": "25", "retention_percent": "120", "outcomes": "Good.",
    })

    assert response.status_code == 200
    assert AnnualReport.objects.get().status == ReportStatus.DUE


def test_five_reports_over_an_accreditation(accredited):
    _run(accredited.valid_until + datetime.timedelta(days=1))

    assert list(AnnualReport.objects.order_by("year").values_list("year", flat=True)) == [1, 2, 3, 4, 5]
    assert AnnualReport.objects.get(year=5).period_end == accredited.valid_until


def test_an_overdue_condition_is_flagged_to_the_committee_once(org, owner, reviewers):
    due = factories.soon(20)
    application = factories.accredited(org, owner, reviewers, conditions=[("Name a supervisor.", due)])
    condition = application.conditions.get()

    assert _run(due).conditions_flagged == 0
    runs = [_run(due + datetime.timedelta(days=1)) for _ in range(2)]

    assert [run.conditions_flagged for run in runs] == [1, 0]
    assert _outbox("organizations:condition-overdue") == [f"organizations:condition-overdue:{condition.pk}"]


def test_the_renewal_reminder_goes_once_when_the_window_opens(accredited, settings):
    window = accredited.valid_until - datetime.timedelta(days=settings.ORGANIZATIONS_RENEWAL_WINDOW_DAYS)

    _run(window - datetime.timedelta(days=1))
    assert _outbox("organizations:renewal-open") == []
    _run(window)
    _run(window + datetime.timedelta(days=10))

    assert _outbox("organizations:renewal-open") == [f"organizations:renewal-open:{accredited.pk}"]


def test_the_accreditation_expires_after_its_last_day_once(accredited):
    assert _run(accredited.valid_until).expired == 0
    runs = [_run(accredited.valid_until + datetime.timedelta(days=1)) for _ in range(2)]

    accredited.refresh_from_db()
    assert [run.expired for run in runs] == [1, 0]
    assert accredited.status == ApplicationStatus.EXPIRED
    assert accredited.events.filter(action="expired").count() == 1
    assert _outbox("organizations:expired") == [f"organizations:expired:{accredited.pk}"]


def test_the_beat_task_calls_the_job(accredited):
    with at(accredited.valid_until + datetime.timedelta(days=1)):
        result = housekeeping.apply().get()

    assert result["expired"] == 1 and result["reports_opened"] == 5


def test_renewal_opens_in_the_window_and_reuses_the_previous_application(client, org, owner, reviewers,
                                                                         mentor_certificate):
    certificate = mentor_certificate(level_code="SM", legal_name="Dana Ode")
    accredited = factories.accredited(org, owner, reviewers, mentors=[certificate])
    window = accredited.valid_until - datetime.timedelta(days=180)
    with at(window - datetime.timedelta(days=1)), pytest.raises(ValidationError, match="cannot be renewed now"):
        services.renewal_start(application=accredited, actor=owner)

    with at(window):
        client.force_login(owner)
        response = client.post(reverse("organizations:renewal_start", args=[accredited.pk]))
        renewal = accredited.programme.applications.get(kind=ApplicationKind.RENEWAL)
        form = client.get(reverse("organizations:application_edit", args=[renewal.pk]))

    assert response.status_code == 302
    assert renewal.previous == accredited and renewal.status == ApplicationStatus.DRAFT
    for field in ("purpose", "audiences", "matching", "training_details", "supervision", "monitoring",
                  "ethics_adopted", "mentors_count", "active_pairs"):
        assert getattr(renewal, field) == getattr(accredited, field)
    assert list(renewal.mentors.values_list("full_name", "certificate_number", "check_result")) == [
        ("Dana Ode", certificate.number, "valid")]
    assert accredited.purpose in form.content.decode()
    assert "Filled in from your previous application" in form.content.decode()
    with pytest.raises(ValidationError, match="keeps its name"):
        services.application_update(application=renewal, actor=owner, programme_name="Another name")
    with at(window), pytest.raises(ValidationError, match="cannot be renewed now"):
        services.renewal_start(application=accredited, actor=owner)


def test_after_a_withdrawn_renewal_another_one_can_start(accredited, owner):
    with at(accredited.valid_until - datetime.timedelta(days=30)):
        first = services.renewal_start(application=accredited, actor=owner)
        with pytest.raises(ValidationError, match="cannot be renewed now"):
            services.renewal_start(application=accredited, actor=owner)
        services.application_withdraw(application=first, actor=owner)

        second = services.renewal_start(application=accredited, actor=owner)

    assert second.previous == accredited and second.status == ApplicationStatus.DRAFT
    assert set(accredited.renewals.values_list("status", flat=True)) == {"withdrawn", "draft"}
