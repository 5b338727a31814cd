"""The applicant's side: a draft with CV and proofs, the pre-screen before submitting, then the committee's turn."""

from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse

from fasttrack.models import FastTrackApplication, FastTrackEvent, ProofDocument
from fasttrack.services import (
    application_request_information,
    application_screen,
    application_start,
    application_submit,
    application_update,
)
from notifications.models import OutboxMessage
from tests.documents.samples import executable_bytes, upload
from tests.factories import ApplicantFactory
from tests.fasttrack.factories import ALL_GROUPS_MET, ApplicationFactory

pytestmark = pytest.mark.django_db
Status = FastTrackApplication.Status


def form_data(**overrides):
    data = {
        "country": "FR", "city": "Lyon", "cv": upload("docx", "my-cv.docx"),
        "masters_degree-claimed": "on", "masters_degree-proofs": [upload("pdf", "diploma.pdf")],
        "ethics_commitment-claimed": "on",
        "senior_management-claimed": "on", "senior_management-years": "15",
        "senior_management-details": "CEO, Acme, 2008-2023",
        "senior_management-proofs": [upload("pdf", "letter-1.pdf"), upload("png", "letter-2.png")],
        "body_accreditation-claimed": "on", "body_accreditation-proofs": [upload("jpeg", "icf.jpg")],
    }
    return {**data, **overrides}


def test_the_public_page_explains_and_starts_an_application(client):
    page = client.get(reverse("fasttrack:overview")).content.decode()
    assert "Master&#x27;s degree or higher" in page and "Create an account to apply" in page

    applicant = ApplicantFactory()
    client.force_login(applicant)
    assert "Start an application" in client.get(reverse("fasttrack:overview")).content.decode()
    response = client.post(reverse("fasttrack:apply"))

    assert response["Location"] == reverse("fasttrack:application")
    application = FastTrackApplication.objects.get(applicant=applicant)
    assert application.status == Status.DRAFT and application.claims.count() == 7


def test_starting_again_returns_the_open_application(applicant):
    assert application_start(applicant=applicant) == application_start(applicant=applicant)


def test_one_open_application_per_applicant_in_the_database(applicant):
    ApplicationFactory(applicant=applicant)

    with pytest.raises(IntegrityError), transaction.atomic():
        FastTrackApplication.objects.create(applicant=applicant)
    FastTrackApplication.objects.filter(applicant=applicant).update(status=Status.REJECTED)
    FastTrackApplication.objects.create(applicant=applicant)  # a rejected applicant may apply again


def test_draft_saves_place_cv_claims_and_proofs(client, applicant, private_media):
    application_start(applicant=applicant)
    client.force_login(applicant)

    response = client.post(reverse("fasttrack:application"), form_data())

    assert response.status_code == 302
    application = FastTrackApplication.objects.get(applicant=applicant)
    assert (application.status, application.city, application.cv_name) == (Status.DRAFT, "Lyon", "my-cv.docx")
    assert float(application.latitude) == pytest.approx(45.74906)
    claims = {c.criterion: c for c in application.claims.all()}
    assert claims["senior_management"].years == 15 and claims["senior_management"].claimed
    assert claims["education_head"].claimed is False
    assert sorted(ProofDocument.objects.filter(claim__application=application).values_list("original_name", flat=True)
                  ) == ["diploma.pdf", "icf.jpg", "letter-1.pdf", "letter-2.png"]
    assert all(private_media in p.parents for p in private_media.rglob("*.*"))


def test_a_disguised_file_is_refused_and_nothing_is_stored(client, applicant, private_media):
    application_start(applicant=applicant)
    client.force_login(applicant)
    fake = SimpleUploadedFile("diploma.pdf", executable_bytes())  # a program named like a PDF

    response = client.post(reverse("fasttrack:application"), form_data(**{"masters_degree-proofs": [fake]}))

    assert response.status_code == 200
    assert "not a PDF" in response.content.decode()
    assert not ProofDocument.objects.exists()
    assert not private_media.exists() or not any(private_media.rglob("*.*"))


def test_cv_must_be_pdf_or_docx(client, applicant):
    application_start(applicant=applicant)
    client.force_login(applicant)

    response = client.post(reverse("fasttrack:application"), form_data(cv=upload("png", "cv.png")))

    assert response.status_code == 200
    assert not FastTrackApplication.objects.get(applicant=applicant).cv


def test_review_page_shows_the_prescreen_before_anything_is_decided(client, applicant):
    application_start(applicant=applicant)
    client.force_login(applicant)
    client.post(reverse("fasttrack:application"), form_data(**{"body_accreditation-claimed": ""}))

    page = client.get(reverse("fasttrack:application_review")).content.decode()

    assert "Not every group looks met" in page
    assert page.count("Looks met") == 2 and page.count("Does not look met") == 1
    assert FastTrackApplication.objects.get(applicant=applicant).status == Status.DRAFT


def test_submission_keeps_the_prescreen_records_the_event_and_tells_the_applicant(client, applicant):
    application_start(applicant=applicant)
    client.force_login(applicant)
    client.post(reverse("fasttrack:application"), form_data())

    response = client.post(reverse("fasttrack:application_review"))

    assert response.status_code == 302
    application = FastTrackApplication.objects.get(applicant=applicant)
    assert application.status == Status.SUBMITTED and application.submitted_at
    assert application.prescreen["all_groups_look_met"] is True
    event = application.events.last()
    assert (event.from_status, event.to_status, event.actor) == (Status.DRAFT, Status.SUBMITTED, applicant)
    assert OutboxMessage.objects.filter(to=[applicant.email], key__startswith="fasttrack:submitted:").count() == 1
    page = client.get(reverse("fasttrack:application")).content.decode()
    assert "Submitted" in page and "diploma.pdf" in page


def test_the_submitted_application_lists_the_applicants_cv(client, applicant):
    application = ApplicationFactory(applicant=applicant, claims=ALL_GROUPS_MET, cv_name="Jane-Doe-CV.pdf")
    application_submit(application=application, actor=applicant)
    client.force_login(applicant)

    page = client.get(reverse("fasttrack:application")).content.decode()

    assert reverse("fasttrack:cv_download", args=[application.pk]) in page and "Jane-Doe-CV.pdf" in page


def test_the_history_names_the_committees_screening(client, applicant, reviewer):
    application = ApplicationFactory(applicant=applicant, claims=ALL_GROUPS_MET)
    application_submit(application=application, actor=applicant)
    application_screen(application=application, actor=reviewer, decisions={"hard": "met"})
    client.force_login(applicant)

    page = client.get(reverse("fasttrack:application")).content.decode()

    assert "Screened by the committee" in page
    history = page[page.index("History"):]
    assert history.count("Submitted") == 1


def test_submission_needs_a_cv_and_a_city(applicant):
    application = application_start(applicant=applicant)

    with pytest.raises(ValidationError, match="your CV and your country and city"):
        application_submit(application=application, actor=applicant)
    assert FastTrackApplication.objects.get(pk=application.pk).status == Status.DRAFT


def test_submitted_application_cannot_be_changed(applicant):
    application = ApplicationFactory(applicant=applicant, claims=ALL_GROUPS_MET)
    application_submit(application=application, actor=applicant)

    with pytest.raises(ValidationError, match="can no longer be changed"):
        application_update(application=application, actor=applicant, country="FR", city="Paris", latitude=1,
                           longitude=1, claims={})


def test_someone_else_cannot_change_or_submit(applicant):
    application = ApplicationFactory(applicant=applicant)

    with pytest.raises(ValidationError, match="Only the applicant"):
        application_submit(application=application, actor=ApplicantFactory())


def test_information_requested_then_edited_and_submitted_again(client, applicant, reviewer):
    application = ApplicationFactory(applicant=applicant, claims=ALL_GROUPS_MET)
    application_submit(application=application, actor=applicant)
    application_request_information(application=application, actor=reviewer, message="Send the diploma translated.")
    client.force_login(applicant)

    page = client.get(reverse("fasttrack:application")).content.decode()
    assert "Send the diploma translated." in page
    client.post(reverse("fasttrack:application"), form_data(**{"masters_degree-proofs": [upload("pdf", "translated.pdf")]}))
    client.post(reverse("fasttrack:application_review"))

    application.refresh_from_db()
    assert application.status == Status.SUBMITTED
    assert list(application.events.values_list("to_status", flat=True)) == [
        Status.SUBMITTED, Status.INFORMATION_REQUESTED, Status.SUBMITTED]
    assert ProofDocument.objects.filter(original_name="translated.pdf").exists()


def test_applicant_removes_a_proof_from_the_draft(client, applicant):
    application = ApplicationFactory(applicant=applicant, claims=ALL_GROUPS_MET)
    proof = ProofDocument.objects.filter(claim__application=application).first()
    client.force_login(applicant)

    client.post(reverse("fasttrack:proof_delete", args=[proof.pk]))

    assert not ProofDocument.objects.filter(pk=proof.pk).exists()


def test_another_applicant_cannot_remove_a_proof(client, applicant):
    proof = ProofDocument.objects.filter(claim__application=ApplicationFactory(claims=ALL_GROUPS_MET)).first()
    client.force_login(applicant)

    assert client.post(reverse("fasttrack:proof_delete", args=[proof.pk])).status_code == 404
    assert ProofDocument.objects.filter(pk=proof.pk).exists()


def test_withdrawal(client, applicant):
    application = ApplicationFactory(applicant=applicant)
    client.force_login(applicant)

    client.post(reverse("fasttrack:application_withdraw"))

    assert FastTrackApplication.objects.get(pk=application.pk).status == Status.WITHDRAWN
    assert FastTrackEvent.objects.filter(application=application, to_status=Status.WITHDRAWN).exists()


def test_after_a_withdrawal_the_public_page_starts_a_new_application(client, applicant):
    application = ApplicationFactory(applicant=applicant)
    client.force_login(applicant)
    client.post(reverse("fasttrack:application_withdraw"))

    page = client.get(reverse("fasttrack:overview")).content.decode()

    assert f'action="{reverse("fasttrack:apply")}"' in page
    assert "Continue your application" not in page
    client.post(reverse("fasttrack:apply"))
    assert FastTrackApplication.objects.filter(applicant=applicant).exclude(pk=application.pk).get().is_editable


def test_a_new_cv_replaces_the_old_file(client, applicant, private_media, django_capture_on_commit_callbacks):
    application_start(applicant=applicant)
    client.force_login(applicant)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("fasttrack:application"), form_data())
    first = FastTrackApplication.objects.get(applicant=applicant).cv.path

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("fasttrack:application"), form_data(cv=upload("pdf", "cv-2026.pdf")))

    application = FastTrackApplication.objects.get(applicant=applicant)
    assert application.cv_name == "cv-2026.pdf"
    assert not Path(first).exists() and Path(application.cv.path).exists()
