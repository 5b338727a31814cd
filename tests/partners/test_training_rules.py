"""Which training counts for a level: only an approved programme, meeting the level's rule (issue 18, item 1)."""

import datetime

import pytest
from django.utils import timezone

from accreditation.models import Level
from accreditation.selectors import eligibility_for
from partners.models import Enrolment, ProgrammeStatus, TrainingFormat
from partners.selectors import fasttrack_training_completed, training_completed
from partners.training import training_status
from tests.partners.factories import (
    CohortFactory,
    EnrolmentFactory,
    FasttrackProgrammeFactory,
    ProgrammeFactory,
)

pytestmark = pytest.mark.django_db


def passed(user, *, level="AM", fmt=TrainingFormat.ONLINE, hours=32, in_person=0, status=ProgrammeStatus.APPROVED,
           factory=ProgrammeFactory, **programme):
    programme = factory(level=Level.objects.get(code=level), format=fmt, required_hours=hours,
                        hours_in_person=in_person, status=status, **programme)
    return EnrolmentFactory(cohort=CohortFactory(programme=programme), trainee=user, email=user.email,
                            status=Enrolment.Status.COMPLETED, passed=True, attended_hours=hours,
                            attended_days=programme.required_days,
                            completed_on=timezone.localdate() - datetime.timedelta(days=3))


def test_am_online_programme_of_24_hours_does_not_count(applicant):
    passed(applicant, hours=24)

    status = training_status(user=applicant, level_code="AM")

    assert not status.met
    assert status.missing == "your programme is 24 h; AM needs 32 h online"


def test_am_online_programme_of_32_hours_counts(applicant):
    passed(applicant, hours=32)

    assert training_completed(user=applicant, level_code="AM")


def test_am_in_person_programme_of_40_hours_does_not_count(applicant):
    passed(applicant, fmt=TrainingFormat.IN_PERSON, hours=40, in_person=40, title="AM in person")

    status = training_status(user=applicant, level_code="AM")

    assert not status.met
    assert status.missing == "your programme “AM in person” is in person; AM needs 32 h online"


def test_am_blended_programme_counts_only_its_online_hours(applicant):
    passed(applicant, fmt=TrainingFormat.BLENDED, hours=48, in_person=24)

    assert not training_completed(user=applicant, level_code="AM")


@pytest.mark.parametrize("status", [ProgrammeStatus.DRAFT, ProgrammeStatus.SUBMITTED,
                                    ProgrammeStatus.CHANGES_REQUESTED, ProgrammeStatus.REJECTED])
def test_unapproved_programme_never_counts(applicant, status):
    passed(applicant, status=status, title="Pending programme")

    result = training_status(user=applicant, level_code="AM")

    assert not result.met
    assert "“Pending programme” is not approved" in result.missing


def test_one_approved_completion_is_enough_beside_an_unapproved_one(applicant):
    passed(applicant, status=ProgrammeStatus.SUBMITTED)
    passed(applicant)

    assert training_completed(user=applicant, level_code="AM")


def test_pm_hours_follow_the_setting(applicant, settings):
    passed(applicant, level="PM", fmt=TrainingFormat.IN_PERSON, hours=30, in_person=30)
    settings.PARTNERS_TRAINING_REQUIREMENTS = {**settings.PARTNERS_TRAINING_REQUIREMENTS,
                                               "PM": {"hours": 40, "format": ""}}

    assert training_status(user=applicant, level_code="PM").missing == "your programme is 30 h; PM needs 40 h"
    settings.PARTNERS_TRAINING_REQUIREMENTS = {**settings.PARTNERS_TRAINING_REQUIREMENTS,
                                               "PM": {"hours": 0, "format": ""}}
    assert training_completed(user=applicant, level_code="PM")


def test_unapproved_fasttrack_programme_does_not_count(applicant):
    passed(applicant, level="SM", fmt=TrainingFormat.BLENDED, hours=40, factory=FasttrackProgrammeFactory,
           status=ProgrammeStatus.SUBMITTED)

    assert not fasttrack_training_completed(user=applicant)


def test_approved_fasttrack_programme_counts(applicant):
    passed(applicant, level="SM", fmt=TrainingFormat.BLENDED, hours=40, factory=FasttrackProgrammeFactory)

    assert fasttrack_training_completed(user=applicant)


def test_checklist_says_what_is_missing_and_links_to_the_finder(applicant):
    passed(applicant, hours=24)

    training = {r.key: r for r in eligibility_for(user=applicant, level_code="AM")}["training"]

    assert training.outcome == "not_met"
    assert "your programme is 24 h; AM needs 32 h online" in training.reason
    assert training.link == "/training/?level=AM"


def test_checklist_without_any_training_links_to_the_finder_for_the_level(applicant):
    training = {r.key: r for r in eligibility_for(user=applicant, level_code="PM")}["training"]

    assert training.outcome == "not_met"
    assert training.link == "/training/?level=PM"
