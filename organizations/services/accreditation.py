"""A running accreditation: its conditions, its annual reports, and how it ends (expiry, revocation)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from certificates.selectors import certificates_active
from certificates.services import certificate_revoke
from notifications.services import outbox_enqueue_template
from organizations import selectors
from organizations.conflicts import application_people
from organizations.models import (
    ACCREDITED_STATUSES,
    AnnualReport,
    ApplicationStatus,
    Condition,
    ConditionStatus,
    EventAction,
    ProgrammeApplication,
    ReportStatus,
)
from organizations.services.access import (
    application_locked,
    require_no_conflict,
    require_permission,
    require_staff,
)
from organizations.services.mail import mail_committee, mail_staff
from workflows.services import event_record, transition

# ---- conditions -------------------------------------------------------------------------------------------


@transaction.atomic
def condition_answer(*, condition: Condition, actor, response: str) -> Condition:
    """The organization says how it met a condition; the committee then accepts it or sends it back."""
    application = application_locked(condition.application)
    require_staff(actor, application.programme.organization)
    condition = Condition.objects.select_for_update().get(pk=condition.pk)
    if application.status != ApplicationStatus.CONDITIONAL:
        raise ValidationError(_("This accreditation has no open conditions."), "not_conditional")
    if not condition.can_transition(ConditionStatus.ANSWERED):
        raise ValidationError(_("This condition was already answered."), "condition_not_open")
    if not response.strip():
        raise ValidationError(_("Say how the condition was met."), "response_required")
    condition.status, condition.response = ConditionStatus.ANSWERED, response.strip()
    condition.responded_by, condition.responded_at = actor, timezone.now()
    condition.save(update_fields=["status", "response", "responded_by", "responded_at"])
    event_record(application, action=EventAction.CONDITION_ANSWERED, actor=actor, note=condition.text[:200])
    mail_committee(application, "condition_answered",
                   key=f"organizations:condition-answered:{condition.pk}:{condition.responded_at:%Y%m%d%H%M%S%f}",
                   context={"condition": condition})
    return condition


@transaction.atomic
def condition_review(*, condition: Condition, actor, accept: bool, note: str = "") -> Condition:
    """The committee accepts an answer (the condition is met) or returns it with a note.

    When the last condition is met the accreditation becomes a full one.
    """
    require_permission(actor, "decide_programmeapplication")
    application = application_locked(condition.application)
    require_no_conflict(actor, application)
    condition = Condition.objects.select_for_update().get(pk=condition.pk)
    if not condition.can_transition(ConditionStatus.MET):
        raise ValidationError(_("Only an answered condition can be accepted or returned."), "condition_not_answered")
    if application.status != ApplicationStatus.CONDITIONAL:
        raise ValidationError(_("%(number)s is no longer accredited with conditions.") % {"number": application.number})
    condition.committee_note = note.strip()
    if accept:
        condition.status, condition.closed_by, condition.closed_at = ConditionStatus.MET, actor, timezone.now()
        condition.save(update_fields=["status", "committee_note", "closed_by", "closed_at"])
        event_record(application, action=EventAction.CONDITION_MET, actor=actor, note=condition.text[:200])
        if not application.conditions.exclude(status=ConditionStatus.MET).exists():
            transition(application, ApplicationStatus.ACCREDITED, actor=actor, action=EventAction.CONDITIONS_MET)
            mail_staff(application, "conditions_met", key=f"organizations:conditions-met:{application.pk}")
        return condition
    if not condition.committee_note:
        raise ValidationError(_("Tell the organization what is still missing."), "note_required")
    condition.status = ConditionStatus.OPEN
    condition.save(update_fields=["status", "committee_note"])
    event_record(application, action=EventAction.CONDITION_RETURNED, actor=actor, note=condition.committee_note)
    mail_staff(application, "condition_returned",
               key=f"organizations:condition-returned:{condition.pk}:{timezone.now():%Y%m%d%H%M%S%f}",
               context={"condition": condition})
    return condition


# ---- the end of an accreditation -----------------------------------------------------------------------------


@transaction.atomic
def accreditation_revoke(*, application: ProgrammeApplication, actor, reason: str) -> ProgrammeApplication:
    """Withdraw an accreditation: the logo kit goes at once and verification shows the certificate revoked."""
    require_permission(actor, "revoke_programmeapplication")
    if not reason.strip():
        raise ValidationError(_("Give the reason for the revocation; the organization reads it."), "reason_required")
    application = application_locked(application)
    require_no_conflict(actor, application)
    application.ended_at = timezone.now()
    transition(application, ApplicationStatus.REVOKED, actor=actor, action=EventAction.REVOKED, note=reason.strip(),
               update_fields=["ended_at"])
    certificate = (
        certificates_active().filter(number=application.certificate_number).first()
        if application.certificate_number else None
    )
    if certificate is not None:
        certificate_revoke(certificate=certificate, actor=actor, reason=reason.strip(),
                           people=application_people(application))
    mail_staff(application, "accreditation_revoked", key=f"organizations:revoked:{application.pk}",
               context={"reason": reason.strip()})
    return application


def accreditations_expire(*, today: date) -> int:
    """Accreditations past their last day become expired (each in its own transaction; safe to repeat)."""
    expired = 0
    due = ProgrammeApplication.objects.filter(status__in=ACCREDITED_STATUSES, valid_until__lt=today)
    for application_id in due.values_list("pk", flat=True):
        with transaction.atomic():
            application = ProgrammeApplication.objects.select_for_update().select_related(
                "programme__organization").get(pk=application_id)
            if application.status not in ACCREDITED_STATUSES:
                continue
            application.ended_at = timezone.now()
            transition(application, ApplicationStatus.EXPIRED, actor=None, action=EventAction.EXPIRED,
                       update_fields=["ended_at"])
            mail_staff(application, "accreditation_expired", key=f"organizations:expired:{application.pk}")
            expired += 1
    return expired


# ---- annual reports -----------------------------------------------------------------------------------------


def report_period(application: ProgrammeApplication, year: int) -> tuple[date, date]:
    start = application.valid_from + relativedelta(years=year - 1)
    end = application.valid_from + relativedelta(years=year) - timedelta(days=1)
    return start, min(end, application.valid_until)


def reports_owed(application: ProgrammeApplication, *, today: date) -> list[int]:
    """The accreditation years that have ended by ``today`` (a report is owed for each)."""
    years, year = [], 1
    while True:
        start, end = report_period(application, year)
        if start > application.valid_until or end >= today:
            return years
        years.append(year)
        year += 1


@transaction.atomic
def annual_report_file(
    *, report: AnnualReport, actor, active_pairs: int, pairs_started: int, retention_percent: int,
    outcomes: str, changes: str = "",
) -> AnnualReport:
    application = application_locked(report.application)
    require_staff(actor, application.programme.organization)
    report = AnnualReport.objects.select_for_update().get(pk=report.pk)
    if not report.can_transition(ReportStatus.FILED):
        raise ValidationError(_("This report was already filed."), "report_filed")
    if not outcomes.strip():
        raise ValidationError(_("Describe the outcomes of the year."), "outcomes_required")
    report.active_pairs, report.pairs_started, report.retention_percent = active_pairs, pairs_started, retention_percent
    report.outcomes, report.changes = outcomes.strip(), changes.strip()
    report.status, report.filed_by, report.filed_at = ReportStatus.FILED, actor, timezone.now()
    report.save()
    event_record(application, action=EventAction.REPORT_FILED, actor=actor, note=_("Year %(year)s") % {"year": report.year})
    return report


@dataclass
class HousekeepingRun:
    reports_opened: int = 0
    reports_reminded: int = 0
    reports_flagged_late: int = 0
    conditions_flagged: int = 0
    renewals_reminded: int = 0
    expired: int = 0


def _reports_open(*, today: date, run: HousekeepingRun) -> None:
    """One row per ended accreditation year; the unique (application, year) keeps a second run from adding any."""
    running = ProgrammeApplication.objects.filter(status__in=ACCREDITED_STATUSES, valid_from__isnull=False)
    opened = set(AnnualReport.objects.filter(application__in=running).values_list("application_id", "year"))
    rows = []
    for application in running.only("pk", "valid_from", "valid_until"):
        for year in reports_owed(application, today=today):
            if (application.pk, year) in opened:
                continue
            start, end = report_period(application, year)
            rows.append(AnnualReport(
                application=application, year=year, period_start=start, period_end=end,
                due_on=end + timedelta(days=settings.ORGANIZATIONS_ANNUAL_REPORT_DUE_DAYS),
            ))
    # A concurrent run may insert the same rows first: the unique constraint drops ours.
    AnnualReport.objects.bulk_create(rows, ignore_conflicts=True)
    run.reports_opened = len(rows)
    # The mail's key is per report, so whether or not this run opened the row, it goes out once.
    for report in AnnualReport.objects.filter(status=ReportStatus.DUE).select_related("application__programme__organization"):
        reminder_from = report.due_on - timedelta(days=settings.ORGANIZATIONS_ANNUAL_REPORT_REMINDER_DAYS)
        kind = "reminder" if today >= reminder_from else "opened"
        _mail_report(report, kind)
        run.reports_reminded += kind == "reminder"


def _mail_report(report: AnnualReport, kind: str) -> None:
    application = report.application
    recipients = selectors.staff_emails(organization_id=application.programme.organization_id)
    if recipients:
        outbox_enqueue_template(
            key=f"organizations:report-{kind}:{report.pk}", to=recipients,
            template=f"organizations/email/report_{kind}",
            context={"report": report, "application": application, "programme": application.programme},
        )


def _reports_flag_late(*, today: date, run: HousekeepingRun) -> None:
    late = AnnualReport.objects.filter(status=ReportStatus.DUE, due_on__lt=today)
    for report_id in late.values_list("pk", flat=True):
        with transaction.atomic():
            report = (
                AnnualReport.objects.select_for_update().select_related("application__programme__organization")
                .filter(pk=report_id, status=ReportStatus.DUE).first()
            )
            if report is None:
                continue
            report.check_transition(ReportStatus.LATE)
            report.status, report.flagged_late_at = ReportStatus.LATE, timezone.now()
            report.save(update_fields=["status", "flagged_late_at"])
            event_record(report.application, action=EventAction.REPORT_LATE, actor=None,
                   note=_("Year %(year)s, due %(due)s") % {"year": report.year, "due": report.due_on})
            mail_committee(report.application, "report_late", key=f"organizations:report-late:{report.pk}",
                           context={"report": report})
            run.reports_flagged_late += 1


def _conditions_flag_overdue(*, today: date, run: HousekeepingRun) -> None:
    overdue = Condition.objects.filter(
        status=ConditionStatus.OPEN, due_on__lt=today, overdue_flagged_at__isnull=True,
        application__status=ApplicationStatus.CONDITIONAL,
    )
    for condition_id in overdue.values_list("pk", flat=True):
        with transaction.atomic():
            condition = (
                Condition.objects.select_for_update().select_related("application__programme__organization")
                .filter(pk=condition_id, overdue_flagged_at__isnull=True).first()
            )
            if condition is None:
                continue
            condition.overdue_flagged_at = timezone.now()
            condition.save(update_fields=["overdue_flagged_at"])
            event_record(condition.application, action=EventAction.CONDITION_OVERDUE, actor=None, note=condition.text[:200])
            mail_committee(condition.application, "condition_overdue",
                           key=f"organizations:condition-overdue:{condition.pk}", context={"condition": condition})
            run.conditions_flagged += 1


def _renewals_remind(*, today: date, run: HousekeepingRun) -> None:
    window_end = today + timedelta(days=settings.ORGANIZATIONS_RENEWAL_WINDOW_DAYS)
    expiring = ProgrammeApplication.objects.filter(
        status__in=ACCREDITED_STATUSES, valid_until__gte=today, valid_until__lte=window_end,
    ).exclude(renewals__status__in=[ApplicationStatus.DRAFT, ApplicationStatus.SUBMITTED,
                                    ApplicationStatus.UNDER_REVIEW]).select_related("programme__organization")
    for application in expiring:
        mail_staff(application, "renewal_open", key=f"organizations:renewal-open:{application.pk}")
        run.renewals_reminded += 1


def organizations_housekeeping(*, today: date | None = None) -> HousekeepingRun:
    """The daily beat job: open and chase annual reports, flag what is late, remind renewals, expire.

    Every step is idempotent (unique rows, conditional updates under lock, one outbox key per message).
    """
    today = today or timezone.localdate()
    run = HousekeepingRun()
    _reports_open(today=today, run=run)
    _reports_flag_late(today=today, run=run)
    _conditions_flag_overdue(today=today, run=run)
    _renewals_remind(today=today, run=run)
    run.expired = accreditations_expire(today=today)
    return run
