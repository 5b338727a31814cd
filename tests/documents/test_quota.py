"""A person's stored documents are capped (settings.UPLOAD_QUOTA_BYTES_PER_PERSON); nothing is stored past it."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile

from applicants.models import Profile
from documents import quota
from tests.documents.conftest import stored_files
from tests.documents.samples import pdf_bytes, upload

pytestmark = pytest.mark.django_db


def _store_proof(user, size: int):
    profile, _ = Profile.objects.get_or_create(user=user)
    profile.education_proof.save("proof.pdf", ContentFile(b"x" * size))
    return profile


def test_profile_documents_are_registered_for_the_quota():
    assert any(entry.model is Profile for entry in quota.registered())


def test_stored_bytes_counts_the_persons_documents(applicant):
    _store_proof(applicant, 1500)

    assert quota.stored_bytes(applicant) == 1500


def test_quota_check_refuses_a_file_past_the_quota(applicant, settings):
    settings.UPLOAD_QUOTA_BYTES_PER_PERSON = 2000
    _store_proof(applicant, 1500)

    with pytest.raises(ValidationError, match="does not fit in your storage"):
        quota.quota_check(person=applicant, incoming=600)


def test_quota_check_frees_the_room_of_a_replaced_file(applicant, settings):
    settings.UPLOAD_QUOTA_BYTES_PER_PERSON = 2000
    _store_proof(applicant, 1500)

    quota.quota_check(person=applicant, incoming=1800, replaced=1500)


def test_upload_past_the_quota_is_refused_and_nothing_is_stored(client, applicant, settings, private_media):
    settings.UPLOAD_QUOTA_BYTES_PER_PERSON = len(pdf_bytes()) - 1
    client.force_login(applicant)

    response = client.post("/profile/", {
        "legal_name": "Ada Lovelace", "time_zone": "UTC", "education_proof": upload("pdf"),
    })

    assert response.status_code == 200
    assert "does not fit in your storage" in response.content.decode()
    assert stored_files(private_media) == []


def test_upload_within_the_quota_is_stored(client, applicant, settings, private_media):
    settings.UPLOAD_QUOTA_BYTES_PER_PERSON = 10 * len(pdf_bytes())
    client.force_login(applicant)

    response = client.post("/profile/", {
        "legal_name": "Ada Lovelace", "time_zone": "UTC", "education_proof": upload("pdf"),
    })

    assert response.status_code == 302
    assert len(stored_files(private_media)) == 1


@pytest.mark.parametrize("label, model_name", [
    ("accreditation", "ApplicationDocument"), ("fasttrack", "FastTrackApplication"), ("fasttrack", "ProofDocument"),
    ("certificates", "PDUClaim"), ("partners", "QTSPDocument"), ("organizations", "ApplicationDocument"),
])
def test_every_apps_private_uploads_are_registered_for_the_quota(label, model_name):
    from django.apps import apps

    model = apps.get_model(label, model_name)

    assert any(entry.model is model for entry in quota.registered())


def test_pdu_evidence_counts_toward_its_holders_quota(applicant):
    from tests.certificates.factories import CertificateFactory, PDUClaimFactory

    claim = PDUClaimFactory(certificate=CertificateFactory(holder=applicant))

    assert quota.stored_bytes(applicant) == claim.evidence.size > 0
