"""Approval of a level application issues the certificate in the approval's own transaction."""

import pytest
from django.core.exceptions import ValidationError

from accreditation.models import ApplicationStatus
from accreditation.services import application_accept_for_exam, application_approve, application_exam_passed
from certificates.models import Certificate, CertificateStatus
from partners.models import Enrolment
from tests.accreditation.conftest import submitted


def back_to_the_reviewer_after_the_exam(applicant, reviewer, application):
    """The exam is passed while the QTSP's record of the training is in doubt: the reviewer decides."""
    application_accept_for_exam(application=application, actor=reviewer)
    Enrolment.objects.filter(trainee=applicant).update(passed=False)
    application_exam_passed(candidate=applicant, level_code=application.level.code)
    Enrolment.objects.filter(trainee=applicant).update(passed=True)


def test_approval_issues_the_certificate(applicant, reviewer):
    applicant.full_name = "Grace Brewster Hopper"
    applicant.save()
    application = submitted(applicant, "AM")
    back_to_the_reviewer_after_the_exam(applicant, reviewer, application)

    application_approve(application=application, actor=reviewer)

    certificate = Certificate.objects.get(holder=applicant)
    assert (certificate.level.code, certificate.status, certificate.source) == (
        "AM", CertificateStatus.ACTIVE, f"application:{application.pk}")
    assert certificate.legal_name == "Grace Brewster Hopper"  # the profile's legal name the committee reviewed
    assert certificate.events.get().actor == reviewer


def test_an_exam_pass_that_approves_issues_the_certificate(applicant, reviewer):
    application = submitted(applicant, "AM")
    application_accept_for_exam(application=application, actor=reviewer)

    application_exam_passed(candidate=applicant, level_code="AM")

    certificate = Certificate.objects.get(holder=applicant)
    assert certificate.source == f"application:{application.pk}" and certificate.events.get().actor is None


def test_no_approval_without_its_certificate(applicant, reviewer, monkeypatch):
    application = submitted(applicant, "AM")
    back_to_the_reviewer_after_the_exam(applicant, reviewer, application)

    def refuse(**kwargs):
        raise ValidationError("The name to print on the certificate is missing.")

    monkeypatch.setattr("accreditation.services.review.certificate_issue", refuse)
    with pytest.raises(ValidationError, match="name to print"):
        application_approve(application=application, actor=reviewer)

    application.refresh_from_db()
    assert application.status == ApplicationStatus.UNDER_REVIEW
    assert not Certificate.objects.exists()
