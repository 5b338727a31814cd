"""The beat jobs: each idempotent (run twice, nothing doubles) and tested at its boundaries."""

import datetime

import pytest
import time_machine

from certificates import tasks
from certificates.models import (
    CertificateEvent,
    CertificateStatus,
    MembershipUpgradeCheck,
    RenewalReminder,
    RenewalStatus,
)
from certificates.services import certificates_expire, membership_upgrade_notices_send, renewal_reminders_send
from certificates.services.notices import reminder_windows
from notifications.models import OutboxMessage
from tests.payments.factories import MembershipPeriodFactory

EXPIRY = datetime.date(2027, 6, 30)


def at(day: datetime.date, hour: int = 6, minute: int = 0):
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=datetime.UTC),
                               tick=False)


def before(days: int) -> datetime.date:
    return EXPIRY - datetime.timedelta(days=days)


def reminders(certificate) -> list[int]:
    return sorted(certificate.reminders.values_list("days_before", flat=True))


@pytest.fixture
def certificate(certificate_factory):
    return certificate_factory(issued_on=datetime.date(2022, 6, 30), valid_from=datetime.date(2022, 6, 30),
                               expires_on=EXPIRY)


def test_reminder_windows_from_the_setting():
    assert reminder_windows([7, 90, 30]) == [(90, 30), (30, 7), (7, 0)]


# Renewal reminders -----------------------------------------------------------------------------


@pytest.mark.parametrize("days_before, expected", [
    (91, []), (90, [90]), (31, [90]), (30, [30]), (8, [30]), (7, [7]), (1, [7]), (0, []),
])
def test_first_run_sends_only_the_reminder_whose_window_it_is(certificate, days_before, expected):
    with at(before(days_before)):
        renewal_reminders_send()

    assert reminders(certificate) == expected


def test_each_reminder_goes_once_at_90_30_and_7_days(certificate):
    sent = []
    for days in (91, 90, 90, 60, 31, 30, 30, 8, 7, 7, 1, 0):
        with at(before(days)):
            sent.append(renewal_reminders_send())

    assert sent == [0, 1, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0]
    assert reminders(certificate) == [7, 30, 90]
    keys = sorted(OutboxMessage.objects.filter(key__startswith="certificate-reminder:").values_list("key", flat=True))
    assert keys == [f"certificate-reminder:{certificate.pk}:{days}" for days in (30, 7, 90)]


def test_reminder_text_tells_the_days_and_the_pdus(certificate, pdu_claim_factory):
    pdu_claim_factory(certificate=certificate, hours=12)

    with at(before(30)):
        renewal_reminders_send()

    message = OutboxMessage.objects.get(key=f"certificate-reminder:{certificate.pk}:30")
    assert message.to == [certificate.holder.email]
    assert f"{certificate.number} expires in 30 days" in message.subject
    assert "you have 12.0" in message.body_text and "30 approved PDUs" in message.body_text


def test_the_utc_day_decides_the_boundary(certificate):
    with at(before(91), hour=23, minute=59):
        assert renewal_reminders_send() == 0
    with at(before(90), hour=0, minute=0):
        assert renewal_reminders_send() == 1


def test_no_reminders_with_an_open_renewal_or_for_inactive_certificates(certificate_factory, renewal_factory):
    renewing = certificate_factory(expires_on=EXPIRY)
    renewal_factory(certificate=renewing, status=RenewalStatus.UNDER_REVIEW)
    revoked = certificate_factory(expires_on=EXPIRY, status=CertificateStatus.REVOKED, revocation_reason="x")

    with at(before(30)):
        assert renewal_reminders_send() == 0
    assert not RenewalReminder.objects.filter(certificate__in=[renewing, revoked]).exists()


def test_reminders_work_in_batches_with_queries_independent_of_the_certificates_not_due(
        certificate_factory, django_assert_num_queries):
    for _ in range(25):
        certificate_factory(expires_on=EXPIRY + datetime.timedelta(days=200))
    with at(before(30)), django_assert_num_queries(3):  # one read per window finds nothing due
        assert renewal_reminders_send() == 0


def test_reminders_batches_cover_every_due_certificate(certificate_factory):
    due = [certificate_factory(expires_on=EXPIRY) for _ in range(5)]

    with at(before(30)):
        assert renewal_reminders_send(batch_size=2) == 5
        assert renewal_reminders_send(batch_size=2) == 0

    assert all(reminders(certificate) == [30] for certificate in due)
    assert OutboxMessage.objects.count() == 5


def test_reminder_task_runs_the_service(certificate):
    with at(before(7)):
        assert tasks.renewal_reminders() == 1
        assert tasks.renewal_reminders() == 0


# Expiry ----------------------------------------------------------------------------------------


def test_certificate_expires_on_its_expiry_day_with_one_notice(certificate, settings):
    settings.CERTIFICATES_GRACE_DAYS = 90
    with at(before(1), hour=23, minute=59):
        assert certificates_expire() == 0
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.ACTIVE

    with at(EXPIRY, hour=0, minute=0):
        assert certificates_expire() == 1
        assert certificates_expire() == 0

    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.EXPIRED
    event = CertificateEvent.objects.get(certificate=certificate)
    assert (event.from_status, event.to_status, event.actor) == ("active", "expired", None)
    notice = OutboxMessage.objects.get(key=f"certificate-expired:{certificate.pk}")
    assert "grace period of 90 days" in notice.body_text
    assert OutboxMessage.objects.filter(key__startswith="certificate-expired:").count() == 1


def test_expiry_in_batches_leaves_other_statuses_alone(certificate_factory):
    due = [certificate_factory(expires_on=EXPIRY) for _ in range(5)]
    revoked = certificate_factory(expires_on=EXPIRY, status=CertificateStatus.REVOKED, revocation_reason="x")
    later = certificate_factory(expires_on=EXPIRY + datetime.timedelta(days=1))

    with at(EXPIRY):
        assert certificates_expire(batch_size=2) == 5
        assert tasks.certificates_expire() == 0

    statuses = {c.pk: c.status for c in type(later).objects.all()}
    assert {statuses[c.pk] for c in due} == {CertificateStatus.EXPIRED}
    assert statuses[revoked.pk] == CertificateStatus.REVOKED and statuses[later.pk] == CertificateStatus.ACTIVE


# Permanent membership upgrade ------------------------------------------------------------------

MEMBER_SINCE = datetime.date(2021, 1, 1)
ELIGIBLE_ON = MEMBER_SINCE + datetime.timedelta(days=1825)  # day 1,826 of membership: 5 years of 365.25 days


@pytest.fixture
def member(db):
    return MembershipPeriodFactory(starts_on=MEMBER_SINCE, ends_on=datetime.date(2030, 12, 31)).user


def test_member_is_told_once_on_the_day_they_become_eligible(member):
    with at(ELIGIBLE_ON - datetime.timedelta(days=1)):
        membership_upgrade_notices_send()
    assert not OutboxMessage.objects.filter(key=f"membership-upgrade-eligible:{member.pk}").exists()
    assert MembershipUpgradeCheck.objects.get(user=member).next_check_on == ELIGIBLE_ON

    with at(ELIGIBLE_ON):
        assert membership_upgrade_notices_send() == 1
        assert membership_upgrade_notices_send() == 0
    with at(ELIGIBLE_ON + datetime.timedelta(days=40)):
        assert tasks.membership_upgrade_notices() == 0

    message = OutboxMessage.objects.get(key=f"membership-upgrade-eligible:{member.pk}")
    assert message.to == [member.email] and "permanent member" in message.subject
    check = MembershipUpgradeCheck.objects.get(user=member)
    assert (check.notified_on, check.next_check_on) == (ELIGIBLE_ON, None)


def test_people_are_looked_at_again_only_when_they_could_qualify(member, monkeypatch):
    with at(ELIGIBLE_ON - datetime.timedelta(days=100)):
        membership_upgrade_notices_send()

    import certificates.services.notices as notices

    looked_at = []
    real = notices.membership_status  # the real payments selector, counted as it is called
    monkeypatch.setattr(notices, "membership_status",
                        lambda *, user, on: looked_at.append(user.pk) or real(user=user, on=on))
    with at(ELIGIBLE_ON - datetime.timedelta(days=50)):
        membership_upgrade_notices_send()
    assert member.pk not in looked_at
    with at(ELIGIBLE_ON):
        assert membership_upgrade_notices_send() == 1
    assert member.pk in looked_at


def test_permanent_members_and_non_members_are_not_told(db):
    permanent = MembershipPeriodFactory(starts_on=MEMBER_SINCE, ends_on=None, plan="permanent").user
    never = MembershipPeriodFactory(starts_on=ELIGIBLE_ON, ends_on=ELIGIBLE_ON + datetime.timedelta(days=364)).user

    with at(ELIGIBLE_ON + datetime.timedelta(days=1)):
        assert membership_upgrade_notices_send() == 0

    assert MembershipUpgradeCheck.objects.get(user=permanent).next_check_on is None
    assert MembershipUpgradeCheck.objects.get(user=never).next_check_on > ELIGIBLE_ON + datetime.timedelta(days=1000)


def test_beat_runs_every_job(settings):
    tasks_scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}

    assert {
        "certificates.tasks.certificates_render_missing", "certificates.tasks.certificates_expire",
        "certificates.tasks.renewal_reminders", "certificates.tasks.membership_upgrade_notices",
    } <= tasks_scheduled
