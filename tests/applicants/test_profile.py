import pytest
from django.urls import reverse

from applicants.models import Profile
from tests.applicants.factories import ProfileFactory
from tests.documents.conftest import stored_files
from tests.documents.samples import executable_bytes, upload
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def profile_data(**overrides):
    data = {
        "legal_name": "Amara Okafor", "country": "NG", "city": "Lagos", "time_zone": "Africa/Lagos",
        "languages": ["en", "fr"], "highest_education": "master", "mentoring_since": "2019-03-01",
        "background": "HR director, mentoring since 2019.",
    }
    data.update(overrides)
    return data


def test_profile_requires_sign_in(client):
    response = client.get(reverse("applicants:profile"))

    assert response.status_code == 302
    assert reverse("account_login") in response.url


def test_profile_saved_with_proof_stored_privately(client, applicant, private_media):
    client.force_login(applicant)

    response = client.post(reverse("applicants:profile"), profile_data(education_proof=upload("pdf", "MSc diploma.pdf")))

    assert response.status_code == 302
    profile = Profile.objects.get(user=applicant)
    assert profile.legal_name == "Amara Okafor"
    assert profile.languages == ["en", "fr"]
    assert profile.education_proof_name == "MSc diploma.pdf"
    assert profile.education_proof.name.startswith("education/")
    assert "diploma" not in profile.education_proof.name
    assert [p.relative_to(private_media).as_posix() for p in stored_files(private_media)] == [profile.education_proof.name]
    applicant.refresh_from_db()
    assert applicant.time_zone == "Africa/Lagos"


def test_profile_with_a_stored_proof_opens_and_links_it_through_the_checked_view(client, applicant, private_media):
    client.force_login(applicant)
    client.post(reverse("applicants:profile"), profile_data(education_proof=upload("pdf", "MSc diploma.pdf")))

    response = client.get(reverse("applicants:profile"))

    page = response.content.decode()
    assert response.status_code == 200
    assert reverse("applicants:profile_education_proof") in page
    assert Profile.objects.get(user=applicant).education_proof.name not in page


def test_profile_refuses_an_executable_proof_and_stores_nothing(client, applicant, private_media):
    client.force_login(applicant)
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        reverse("applicants:profile"), profile_data(education_proof=SimpleUploadedFile("diploma.pdf", executable_bytes()))
    )

    assert response.status_code == 200
    assert "Its content was checked" in response.content.decode()
    assert not Profile.objects.filter(user=applicant).exists()
    assert stored_files(private_media) == []


def test_profile_refuses_a_future_mentoring_start(client, applicant):
    client.force_login(applicant)

    response = client.post(reverse("applicants:profile"), profile_data(mentoring_since="2999-01-01"))

    assert "This date is in the future." in response.content.decode()


def test_new_proof_replaces_the_old_file_after_commit(client, applicant, private_media, django_capture_on_commit_callbacks):
    client.force_login(applicant)
    client.post(reverse("applicants:profile"), profile_data(education_proof=upload("pdf")))
    old = Profile.objects.get(user=applicant).education_proof.name

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("applicants:profile"), profile_data(education_proof=upload("png")))

    new = Profile.objects.get(user=applicant).education_proof.name
    assert [p.relative_to(private_media).as_posix() for p in stored_files(private_media)] == [new]
    assert new != old


def test_saving_without_a_new_file_keeps_the_proof(client, applicant):
    client.force_login(applicant)
    client.post(reverse("applicants:profile"), profile_data(education_proof=upload("pdf")))
    before = Profile.objects.get(user=applicant).education_proof.name

    client.post(reverse("applicants:profile"), profile_data(city="Abuja"))

    profile = Profile.objects.get(user=applicant)
    assert (profile.city, profile.education_proof.name) == ("Abuja", before)


def test_education_proof_is_served_to_its_owner_only(client, applicant, user_factory):
    client.force_login(applicant)
    client.post(reverse("applicants:profile"), profile_data(education_proof=upload("pdf", "diploma.pdf")))
    url = reverse("applicants:profile_education_proof")

    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="diploma.pdf"'
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content).startswith(b"%PDF")

    client.force_login(user_factory())
    assert client.get(url).status_code == 404  # the URL names no one: others only reach their own
    client.logout()
    assert client.get(url).status_code == 302


def test_profile_form_shows_existing_values(client):
    profile = ProfileFactory(legal_name="Zhang Wei")
    client.login(email=profile.user.email, password=PASSWORD)

    assert "Zhang Wei" in client.get(reverse("applicants:profile")).content.decode()
