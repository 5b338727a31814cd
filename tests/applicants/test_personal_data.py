"""A person downloads what the portal holds about them and can have their account erased (issue 13, item 10)."""

import io
import json
import zipfile
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from applicants.models import HoursEntry, Profile, User
from applicants.personal_data import account_erase, personal_data_collect
from certificates.models import CertificateStatus
from payments.services import invoice_raise
from tests.applicants.factories import HoursEntryFactory
from tests.certificates.factories import CertificateFactory, PDUClaimFactory
from tests.documents.samples import pdf_bytes
from tests.factories import PASSWORD, ApplicantFactory
from tests.partners.factories import EnrolmentFactory

pytestmark = pytest.mark.django_db


def _archive(response) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def _proof(user) -> Profile:
    profile = Profile.objects.create(user=user, legal_name="Ada Q. Lovelace", education_proof_name="diploma.pdf")
    profile.education_proof.save("diploma.pdf", ContentFile(pdf_bytes()))
    return profile


def test_download_holds_the_persons_records_and_documents(client, applicant):
    _proof(applicant)
    HoursEntryFactory(user=applicant, mentee="Mentee M")
    claim = PDUClaimFactory(certificate=CertificateFactory(holder=applicant))
    client.force_login(applicant)

    response = client.post(reverse("applicants:personal_data_download"))

    archive = _archive(response)
    data = json.loads(archive.read("data.json"))
    assert data["applicants"]["account"][0]["email"] == applicant.email
    assert data["applicants"]["mentoring_hours"][0]["mentee"] == "Mentee M"
    assert data["certificates"]["certificates"][0]["number"] == claim.certificate.number
    assert archive.read("documents/applicants/diploma.pdf") == pdf_bytes()
    assert f"documents/certificates/pdu-{claim.pk}-evidence.pdf" in archive.namelist()
    assert response["Cache-Control"] == "private, no-store"


def test_download_holds_nothing_of_another_person(client, applicant):
    other = ApplicantFactory(full_name="Someone Else")
    _proof(other)
    HoursEntryFactory(user=other, mentee="Other's mentee")
    client.force_login(applicant)

    archive = _archive(client.post(reverse("applicants:personal_data_download")))

    assert not any(name.startswith("documents/") for name in archive.namelist())
    text = archive.read("data.json").decode()
    assert other.email not in text and "Other's mentee" not in text


def test_download_needs_a_signed_in_person(client):
    response = client.post(reverse("applicants:personal_data_download"))

    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_download_is_refused_by_get(client, applicant):
    client.force_login(applicant)

    assert client.get(reverse("applicants:personal_data_download")).status_code == 405


def test_a_typed_file_name_cannot_leave_its_folder_in_the_archive(applicant):
    profile = _proof(applicant)
    Profile.objects.filter(pk=profile.pk).update(education_proof_name="../../etc/passwd")

    from applicants.personal_data import personal_files_collect

    assert [path for path, _file in personal_files_collect(applicant)] == ["documents/applicants/passwd"]


def test_delete_with_the_password_erases_the_person(client, applicant, private_media, django_capture_on_commit_callbacks):
    profile = _proof(applicant)
    HoursEntryFactory(user=applicant)
    stored = private_media / profile.education_proof.name
    client.force_login(applicant)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("applicants:account_delete"), {"password": PASSWORD, "understood": "on"})

    assert response.status_code == 302
    user = User.objects.get(pk=applicant.pk)
    assert (user.full_name, user.is_active, user.has_usable_password()) == ("", False, False)
    assert user.email == f"erased-{user.pk}@erased.invalid"
    assert not Profile.objects.filter(user=user).exists() and not HoursEntry.objects.filter(user=user).exists()
    assert not stored.exists()
    assert "_auth_user_id" not in client.session


def test_delete_with_a_wrong_password_erases_nothing(client, applicant):
    client.force_login(applicant)

    response = client.post(reverse("applicants:account_delete"), {"password": "wrong", "understood": "on"})

    assert response.status_code == 200
    assert "That is not your password." in response.content.decode()
    assert User.objects.get(pk=applicant.pk).email == applicant.email


def test_erasure_keeps_the_certificate_in_the_register_without_the_name(client, applicant):
    certificate = CertificateFactory(holder=applicant, legal_name="Ada Lovelace", status=CertificateStatus.REVOKED,
                                     revocation_reason="Breach of the code of ethics")

    account_erase(user=applicant)

    certificate.refresh_from_db()
    assert (certificate.number, certificate.level.code, certificate.status) != ("", "", "")
    assert certificate.legal_name == ""
    page = client.get(reverse("certificates:verify_detail", args=[certificate.number]))
    assert page.status_code == 200
    assert "Ada Lovelace" not in page.content.decode() and certificate.number in page.content.decode()


def test_erasure_is_refused_while_an_invoice_is_open(client, applicant):
    invoice = invoice_raise(payer=applicant, kind="exam", reference="booking:erase", level_code="AM")
    client.force_login(applicant)

    response = client.post(reverse("applicants:account_delete"), {"password": PASSWORD, "understood": "on"})

    assert invoice.number in response.content.decode()
    assert User.objects.get(pk=applicant.pk).is_active


def test_erasure_anonymises_the_training_record(applicant):
    enrolment = EnrolmentFactory(trainee=applicant, email=applicant.email, full_name="Ada Lovelace")

    account_erase(user=applicant)

    enrolment.refresh_from_db()
    assert enrolment.full_name == "" and applicant.email not in enrolment.email
    assert not enrolment.history.filter(email__iexact=applicant.email).exists()


def test_every_app_that_keeps_personal_data_contributes_to_the_copy(applicant):
    HoursEntryFactory(user=applicant, hours=Decimal("3"), started_on=date(2024, 1, 1), ended_on=date(2024, 1, 2))

    data = personal_data_collect(applicant)

    assert {"applicants", "accreditation", "exams", "fasttrack", "partners", "organizations", "payments",
            "certificates", "notifications"} <= set(data)
