"""The trainee's dashboard panel: their trainings and whether each completed one meets the requirement."""

from decimal import Decimal

import pytest
from django.apps import apps
from django.urls import reverse

from partners.services import Outcome, enrolment_add, enrolment_record
from tests.factories import ApplicantFactory
from tests.partners.factories import CohortFactory, ProgrammeFactory, enrolled

pytestmark = pytest.mark.django_db


def test_panel_shows_training_in_progress_then_met(client, cohort, owner):
    trainee = ApplicantFactory()
    enrolment = enrolled(cohort, trainee, owner)
    client.force_login(trainee)

    page = client.get(reverse("applicants:dashboard")).content.decode()
    assert "Your training" in page and "In training." in page

    enrolment_record(enrolment=enrolment, actor=owner, attended_hours=Decimal(32), attended_days=0,
                     outcome=Outcome.PASSED)
    page = client.get(reverse("applicants:dashboard")).content.decode()
    assert "the training requirement for Associate Mentor is met" in page


def test_no_panel_without_training(client):
    client.force_login(ApplicantFactory())

    assert "Your training" not in client.get(reverse("applicants:dashboard")).content.decode()


@pytest.mark.parametrize("count", [1, 8])
def test_panel_queries_do_not_grow_with_trainings(count, rf, qtsp, owner, django_assert_num_queries):
    trainee = ApplicantFactory()
    for index in range(count):
        cohort = CohortFactory(programme=ProgrammeFactory(qtsp=qtsp))
        if index % 2:
            enrolment_add(cohort=cohort, email=trainee.email, actor=owner)  # still an invitation
        else:
            enrolled(cohort, trainee, owner)
    request = rf.get("/dashboard/")
    request.user = trainee

    with django_assert_num_queries(2):
        panels = apps.get_app_config("partners").dashboard_panels(request)

    assert len(panels[0].context["enrolments"]) + len(panels[0].context["invitations"]) == count
