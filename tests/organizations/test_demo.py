"""`seed_demo`'s part: organizations at each step and a directory with entries; running it twice adds nothing."""

import io

import pytest
from django.urls import reverse

from applicants import demo as applicants_demo
from organizations import demo
from organizations.models import ApplicationStatus, DirectoryListing, Organization, ProgrammeApplication

pytestmark = pytest.mark.django_db


def test_the_demo_data_shows_every_step_and_is_idempotent(client, django_capture_on_commit_callbacks):
    applicants_demo.seed(io.StringIO())
    out = io.StringIO()

    with django_capture_on_commit_callbacks(execute=True):
        demo.seed(out)
    counts = (Organization.objects.count(), ProgrammeApplication.objects.count(), DirectoryListing.objects.count())
    with django_capture_on_commit_callbacks(execute=True):
        demo.seed(io.StringIO())

    assert (Organization.objects.count(), ProgrammeApplication.objects.count(),
            DirectoryListing.objects.count()) == counts
    statuses = dict(ProgrammeApplication.objects.values_list("programme__name", "status"))
    assert statuses == {
        "New Teachers Mentoring": ApplicationStatus.CONDITIONAL,
        "Peer Mentoring for School Leaders": ApplicationStatus.UNDER_REVIEW,
        "Student Buddy Scheme": ApplicationStatus.DRAFT,
        "Founder Circles": ApplicationStatus.ACCREDITED,
    }
    assert "org@ipma.example" in out.getvalue()
    assert "New Teachers Mentoring: Accredited with conditions (IPMA-" in out.getvalue()
    directory = client.get(reverse("organizations:directory")).content.decode()
    assert "Amina Okafor" in directory and "Lucía Fernández" in directory
    programmes = client.get(reverse("organizations:directory"), {"show": "programmes"}).content.decode()
    assert "Founder Circles" in programmes and "New Teachers Mentoring" in programmes
