"""bench/scale.py: the large data set is consistent with the portal and its pages show it."""

import io

import pytest
from django.core.management import call_command

from bench.scale import seed_scale, sized
from tests.conftest import rolled_back_after_the_module

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """The demo and the scale data, built once for the module and rolled back after its last test."""
    def build():
        call_command("seed_demo", stdout=io.StringIO())
        return seed_scale(scale=0.0001, stdout=io.StringIO())

    with rolled_back_after_the_module(django_db_blocker, build) as counts:
        yield counts


def test_sizes_follow_the_scale_flag():
    assert sized(1.0)["accounts"] == 50_000
    assert sized(0.2)["invoices"] == 20_000
    assert sized(0.00001)["qtsps"] == 5  # never below a handful


def test_seeds_every_kind_of_row(seeded):
    from applicants.models import HoursEntry
    from certificates.models import Certificate
    from exams.models import Booking, ExamSession
    from partners.models import Enrolment
    from payments.models import Invoice

    assert seeded["accounts"] == 5
    assert Certificate.objects.filter(number__startswith="IPMA-").count() >= seeded["certificates"]
    assert HoursEntry.objects.filter(user__email="applicant@ipma.example").count() >= 200
    assert Invoice.objects.filter(payer__email="applicant@ipma.example").count() >= 40
    assert Enrolment.objects.filter(cohort_id=seeded["roster_cohort"]).count() == 5  # only 5 accounts exist
    for session in ExamSession.objects.all():
        assert session.seats_taken == Booking.objects.filter(session=session).count()


def test_a_seeded_certificate_verifies(seeded, client):
    from certificates.models import Certificate

    certificate = Certificate.objects.filter(source__startswith="scale:", status="active").first()
    response = client.get(f"/verify/{certificate.number}/")
    assert response.status_code == 200
    assert certificate.legal_name in response.content.decode()


def test_listed_mentors_appear_in_the_directory(seeded, client):
    from organizations.models import DirectoryListing

    listing = DirectoryListing.objects.filter(user__email__endswith="@scale.example").first()
    response = client.get("/directory/")
    assert response.status_code == 200
    assert listing.display_name in response.content.decode()
