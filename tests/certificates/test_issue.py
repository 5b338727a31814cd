import datetime
import re

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError, transaction

from certificates.models import Certificate, CertificateEvent, CertificateStatus, RenewalStatus
from certificates.services import (
    certificate_issue,
    certificate_issue_programme,
    certificate_revoke,
    certificate_supersede,
    certificates_render_missing,
)
from notifications.models import OutboxMessage
from tests.factories import ApplicantFactory, ReviewerFactory

NUMBER = re.compile(r"^IPMA-(AM|PM|SM|MM|PRG)-\d{4}-\d{6}$")


@time_machine.travel(datetime.datetime(2026, 3, 10, 12, tzinfo=datetime.UTC), tick=False)
def test_certificate_issue_numbers_dates_event_and_notice(applicant, reviewer):
    certificate = certificate_issue(user=applicant, level_code="SM", legal_name="  Ada   Lovelace ", actor=reviewer,
                                    source="application:1")

    assert NUMBER.match(certificate.number) and certificate.number.startswith("IPMA-SM-2026-")
    assert certificate.legal_name == "Ada Lovelace"
    assert (certificate.issued_on, certificate.valid_from) == (datetime.date(2026, 3, 10),) * 2
    assert certificate.expires_on == datetime.date(2031, 3, 10)
    assert certificate.status == CertificateStatus.ACTIVE
    event = certificate.events.get()
    assert (event.from_status, event.to_status, event.actor) == ("", CertificateStatus.ACTIVE, reviewer)
    message = OutboxMessage.objects.get(key=f"certificate-issued:{certificate.pk}")
    assert message.to == [applicant.email]
    assert certificate.number in message.body_text and f"/verify/{certificate.number}/" in message.body_text


def test_certificate_numbers_come_from_the_database_sequence_and_are_unique(reviewer):
    numbers = [
        certificate_issue(user=ApplicantFactory(), level_code=code, legal_name="A. Person", actor=reviewer).number
        for code in ("AM", "PM", "SM", "MM", "AM")
    ]
    sequence = [int(number.rsplit("-", 1)[1]) for number in numbers]

    assert len(set(numbers)) == 5
    assert sequence == sorted(sequence) and len(set(sequence)) == 5
    with pytest.raises(IntegrityError), transaction.atomic():
        Certificate.objects.filter(number=numbers[1]).update(number=numbers[0])


def test_certificate_issue_is_idempotent_per_source(applicant, reviewer):
    first = certificate_issue(user=applicant, level_code="AM", legal_name="Ada", actor=reviewer, source="application:7")
    again = certificate_issue(user=applicant, level_code="AM", legal_name="Ada", actor=reviewer, source="application:7")

    assert again.pk == first.pk
    assert Certificate.objects.count() == 1


def test_certificate_issue_supersedes_the_holders_certificate_at_that_level(applicant, reviewer):
    old = certificate_issue(user=applicant, level_code="PM", legal_name="Ada", actor=reviewer)
    other_level = certificate_issue(user=applicant, level_code="AM", legal_name="Ada", actor=reviewer)

    new = certificate_issue(user=applicant, level_code="PM", legal_name="Ada", actor=reviewer)

    old.refresh_from_db()
    other_level.refresh_from_db()
    assert old.status == CertificateStatus.SUPERSEDED and new.previous == old
    assert other_level.status == CertificateStatus.ACTIVE


def test_one_active_certificate_per_holder_and_level_is_a_database_rule(certificate_factory):
    certificate = certificate_factory(level_code="SM")

    with pytest.raises(IntegrityError), transaction.atomic():
        certificate_factory(level_code="SM", holder=certificate.holder)


def test_certificate_issue_refuses_unknown_level_and_empty_name(applicant, reviewer):
    with pytest.raises(ValidationError, match="Unknown level"):
        certificate_issue(user=applicant, level_code="XX", legal_name="Ada", actor=reviewer)
    with pytest.raises(ValidationError, match="name"):
        certificate_issue(user=applicant, level_code="AM", legal_name="   ", actor=reviewer)
    assert not Certificate.objects.exists()


def test_certificate_issue_joins_the_callers_transaction(applicant, reviewer):
    with pytest.raises(RuntimeError), transaction.atomic():
        certificate_issue(user=applicant, level_code="AM", legal_name="Ada", actor=reviewer)
        raise RuntimeError("the approval failed after issuing")

    assert not Certificate.objects.exists()
    assert not OutboxMessage.objects.exists()


def test_programme_certificate_issue(reviewer, settings):
    settings.CERTIFICATES_PROGRAMME_VALIDITY_YEARS = 5
    certificate = certificate_issue_programme(organization_id=42, organization_name="Acme Learning",
                                              programme_name="Acme Mentors", actor=reviewer)
    renewed = certificate_issue_programme(organization_id=42, organization_name="Acme Learning",
                                          programme_name="Acme Mentors", actor=reviewer)

    assert certificate.number.startswith("IPMA-PRG-")
    assert (certificate.kind, certificate.level, certificate.holder) == ("programme", None, None)
    assert certificate.title == "Acme Mentors" and certificate.legal_name == "Acme Learning"
    assert certificate.expires_on.year == certificate.valid_from.year + 5
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.SUPERSEDED and renewed.previous == certificate
    assert not OutboxMessage.objects.exists()  # the organizations app tells its own contacts


def test_issue_queues_the_pdf_render_only_after_commit(applicant, reviewer, renders,
                                                        django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        certificate = certificate_issue(user=applicant, level_code="AM", legal_name="Ada", actor=reviewer)
        assert renders == []

    for callback in callbacks:
        callback()
    assert renders == [certificate.pk]


def test_broker_outage_keeps_the_certificate_and_the_sweep_renders_it(applicant, reviewer, monkeypatch,
                                                                     django_capture_on_commit_callbacks):
    from certificates.tasks import certificate_render_pdf

    def broker_down(**kwargs):
        raise ConnectionError("redis is away")

    monkeypatch.setattr(certificate_render_pdf, "delay", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        certificate = certificate_issue(user=applicant, level_code="AM", legal_name="Ada", actor=reviewer)

    certificate.refresh_from_db()
    assert not certificate.pdf
    assert certificates_render_missing() == 0  # too fresh: its own task may still be running
    with time_machine.travel(datetime.timedelta(minutes=6)):
        assert certificates_render_missing() == 1
        assert certificates_render_missing() == 0
    certificate.refresh_from_db()
    assert certificate.pdf and certificate.pdf_rendered_at


def test_a_programme_certificate_is_not_revoked_without_the_accreditations_parties(reviewer):
    from tests.certificates.factories import programme_certificate

    certificate = programme_certificate()

    with pytest.raises(ValidationError, match="withdrawn with its accreditation"):
        certificate_revoke(certificate=certificate, actor=reviewer, reason="Misuse of the logo")

    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.ACTIVE


def test_a_programme_certificate_is_not_revoked_by_one_of_its_parties(reviewer):
    from tests.certificates.factories import programme_certificate

    certificate = programme_certificate()

    with pytest.raises(ValidationError, match="Conflict of interest"):
        certificate_revoke(certificate=certificate, actor=reviewer, reason="Misuse of the logo", people=[reviewer])

    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.ACTIVE


def test_revoke_needs_a_reason_and_records_it(certificate_factory, reviewer):
    certificate = certificate_factory()

    with pytest.raises(ValidationError, match="reason"):
        certificate_revoke(certificate=certificate, actor=reviewer, reason="  ")
    certificate_revoke(certificate=certificate, actor=reviewer, reason="Breach of the code of ethics")

    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.REVOKED
    assert certificate.revocation_reason == "Breach of the code of ethics"
    event = certificate.events.get()
    assert (event.from_status, event.to_status, event.actor, event.note) == (
        "active", "revoked", reviewer, "Breach of the code of ethics")
    assert OutboxMessage.objects.filter(key=f"certificate-revoked:{certificate.pk}").exists()


def test_revoke_closes_the_open_renewal(renewal_factory, reviewer):
    renewal = renewal_factory()

    certificate_revoke(certificate=renewal.certificate, actor=reviewer, reason="Fraudulent evidence")

    renewal.refresh_from_db()
    assert renewal.status == RenewalStatus.REJECTED
    assert renewal.events.get().to_status == RenewalStatus.REJECTED


@pytest.mark.parametrize("status", [CertificateStatus.REVOKED, CertificateStatus.SUPERSEDED])
def test_transitions_table_refuses_moves_out_of_final_states(certificate_factory, reviewer, status):
    certificate = certificate_factory(status=status, revocation_reason="x" if status == "revoked" else "")

    with pytest.raises(ValidationError, match="cannot become"):
        certificate_revoke(certificate=certificate, actor=reviewer, reason="Again")
    with pytest.raises(ValidationError, match="cannot become"):
        certificate_supersede(certificate=certificate, actor=reviewer)
    assert not CertificateEvent.objects.exists()


def test_events_are_immutable_in_the_database(certificate_factory):
    certificate = certificate_factory()
    certificate_revoke(certificate=certificate, actor=ReviewerFactory(), reason="Reason")
    event = certificate.events.get()

    with pytest.raises(DatabaseError, match="immutable"), transaction.atomic():
        CertificateEvent.objects.filter(pk=event.pk).update(note="rewritten")
    with pytest.raises(DatabaseError, match="immutable"), transaction.atomic():
        CertificateEvent.objects.filter(pk=event.pk).delete()
