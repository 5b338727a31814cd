import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from certificates.models import PDUClaim, PDUClaimStatus
from certificates.selectors import pdu_progress
from events.models import PDUCredit
from events.services import attendance_import, attendance_record, registration_create
from tests.certificates.factories import CertificateFactory
from tests.factories import ApplicantFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def started(event_factory):
    start = timezone.now() - datetime.timedelta(minutes=30)
    # Registration stays open until the end, so people can register during the event in these tests.
    return event_factory(starts_at=start, ends_at=start + datetime.timedelta(minutes=60), pdu_value=Decimal("1.5"),
                         registration_closes_at=start + datetime.timedelta(minutes=60))


def _register(event, person):
    return registration_create(event=event, person=person)


def test_attendance_credits_the_pdus_once_to_the_current_certificate(started, reviewer):
    certificate = CertificateFactory(valid_from=timezone.now().date() - datetime.timedelta(days=100))
    registration = _register(started, certificate.holder)

    attendance_record(registration=registration, actor=reviewer, attended=True)
    attendance_record(registration=registration, actor=reviewer, attended=True)
    attendance_import(event=started, data=f"email,minutes\n{certificate.holder.email},60\n".encode(), actor=reviewer)

    claim = PDUClaim.objects.get(certificate=certificate)
    assert (claim.status, claim.hours, claim.audit_selected, claim.evidence_name) == (
        PDUClaimStatus.APPROVED, Decimal("1.5"), False, "")
    assert PDUCredit.objects.filter(registration=registration).count() == 1
    assert pdu_progress(certificate).approved == Decimal("1.5")


def test_corrected_attendance_withdraws_the_pdus_and_a_new_one_credits_again(started, reviewer):
    certificate = CertificateFactory(valid_from=timezone.now().date() - datetime.timedelta(days=100))
    registration = _register(started, certificate.holder)
    attendance_record(registration=registration, actor=reviewer, attended=True)

    attendance_record(registration=registration, actor=reviewer, attended=False)

    assert pdu_progress(certificate).approved == 0
    assert PDUClaim.objects.get(certificate=certificate).status == PDUClaimStatus.WITHDRAWN

    attendance_record(registration=registration, actor=reviewer, attended=True)
    assert pdu_progress(certificate).approved == Decimal("1.5")
    assert PDUCredit.objects.filter(registration=registration, withdrawn_at__isnull=True).count() == 1


def test_attendance_without_a_certificate_credits_nothing(started, reviewer, applicant):
    registration = _register(started, applicant)

    attendance_record(registration=registration, actor=reviewer, attended=True)

    registration.refresh_from_db()
    assert registration.attended is True
    assert not PDUCredit.objects.exists()


def test_attendance_refused_before_the_event_starts(event_factory, reviewer, applicant):
    registration = registration_create(event=event_factory(), person=applicant)

    with pytest.raises(ValidationError, match="once the event has started"):
        attendance_record(registration=registration, actor=reviewer, attended=True)


def test_staff_cannot_record_their_own_attendance(started, reviewer):
    registration = _register(started, reviewer)

    with pytest.raises(ValidationError, match="it is yourself"):
        attendance_record(registration=registration, actor=reviewer, attended=True)


def test_import_counts_only_the_set_share_of_the_event(started, reviewer, settings):
    settings.EVENTS_ATTENDANCE_SHARE = 0.75
    long, short = ApplicantFactory(), ApplicantFactory()
    first, second = _register(started, long), _register(started, short)

    report = attendance_import(event=started, actor=reviewer,
                               data=f"Email,Minutes\n{long.email.upper()},46\n{short.email},44\n{long.email},10\n".encode())

    assert report.ok and report.recorded == 2
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.attended, first.minutes_attended) == (True, 46)
    assert (second.attended, second.minutes_attended) == (False, 44)


def test_import_with_bad_rows_records_nothing_and_names_each_row(started, reviewer):
    person = ApplicantFactory()
    registration = _register(started, person)
    data = (f"email,minutes\n{person.email},60\n,30\nstranger@example.org,50\n{person.email},lots\n").encode()

    report = attendance_import(event=started, data=data, actor=reviewer)

    assert not report.ok and report.recorded == 0
    assert any(e.startswith("Line 3:") and "empty" in e for e in report.errors)
    assert any(e.startswith("Line 5:") and "lots" in e for e in report.errors)
    registration.refresh_from_db()
    assert registration.attended is None


def test_import_of_a_stranger_records_nothing(started, reviewer):
    person = ApplicantFactory()
    registration = _register(started, person)

    report = attendance_import(event=started, actor=reviewer,
                               data=f"email,minutes\n{person.email},60\nstranger@example.org,50\n".encode())

    assert report.errors == ["Line 3: stranger@example.org has no confirmed place at this event."]
    registration.refresh_from_db()
    assert registration.attended is None


@pytest.mark.parametrize("data, message", [
    (b"name,time\nx,1\n", "columns"), (b"\xff\xfe\x00", "UTF-8"), (b"email,minutes\n", "no attendance rows"),
])
def test_import_refuses_unreadable_files(started, reviewer, data, message):
    report = attendance_import(event=started, data=data, actor=reviewer)

    assert message in " ".join(report.errors)
