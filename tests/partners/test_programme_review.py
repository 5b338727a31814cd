"""A programme's review against the curriculum: the syllabus, the submission, the committee's decision."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from notifications.models import OutboxMessage
from partners.models import ProgrammeStatus, TrainingFormat, TrainingProgramme
from partners.services import programme_save
from partners.services.programme_review import (
    curriculum_topics,
    programme_decide,
    programme_submit,
    syllabus_save,
)
from tests.partners.factories import ProgrammeFactory, coordinator_of

pytestmark = pytest.mark.django_db


def full_syllabus(programme, owner, hours=4):
    return syllabus_save(programme=programme, actor=owner,
                         hours_by_topic={topic.pk: hours for topic in curriculum_topics()})


@pytest.fixture
def draft(qtsp):
    return ProgrammeFactory(qtsp=qtsp, status=ProgrammeStatus.DRAFT, required_hours=32)


def test_submission_needs_every_essential_course(draft, owner):
    syllabus_save(programme=draft, actor=owner, hours_by_topic={curriculum_topics()[0].pk: 32})

    with pytest.raises(ValidationError, match="missing"):
        programme_submit(programme=draft, actor=owner)


def test_submission_needs_the_syllabus_to_add_up(draft, owner):
    full_syllabus(draft, owner, hours=3)

    with pytest.raises(ValidationError, match="adds up to 24 h but the programme has 32 h"):
        programme_submit(programme=draft, actor=owner)


def test_submitted_programme_waits_for_the_committee(draft, owner):
    full_syllabus(draft, owner)

    programme_submit(programme=draft, actor=owner)

    draft.refresh_from_db()
    assert draft.status == ProgrammeStatus.SUBMITTED
    assert draft.events.get(to_status=ProgrammeStatus.SUBMITTED).actor == owner
    with pytest.raises(ValidationError, match="cannot be changed"):
        full_syllabus(draft, owner, hours=5)


def test_changes_requested_need_reasons_and_reach_the_qtsp(draft, owner, reviewer):
    full_syllabus(draft, owner)
    programme_submit(programme=draft, actor=owner)

    with pytest.raises(ValidationError, match="reasons"):
        programme_decide(programme=draft, to_status=ProgrammeStatus.CHANGES_REQUESTED, actor=reviewer)
    programme_decide(programme=draft, to_status=ProgrammeStatus.CHANGES_REQUESTED, actor=reviewer,
                     note="Give supervision skills more hours")

    assert "Give supervision skills more hours" in OutboxMessage.objects.get(key__startswith="programme-decided:").body_text
    full_syllabus(draft, owner)  # editable again
    programme_submit(programme=draft, actor=owner)


def test_committee_approves_in_the_admin(client, draft, owner, reviewer):
    full_syllabus(draft, owner)
    programme_submit(programme=draft, actor=owner)
    client.force_login(reviewer)

    client.post(reverse("admin:partners_trainingprogramme_decide", args=[draft.pk, "approved"]), {"note": ""})

    assert TrainingProgramme.objects.get(pk=draft.pk).status == ProgrammeStatus.APPROVED


def test_qtsp_staff_cannot_reach_the_admin_decision(client, draft, owner):
    full_syllabus(draft, owner)
    programme_submit(programme=draft, actor=owner)
    client.force_login(owner)

    client.post(reverse("admin:partners_trainingprogramme_decide", args=[draft.pk, "approved"]), {"note": ""})

    assert TrainingProgramme.objects.get(pk=draft.pk).status == ProgrammeStatus.SUBMITTED


def test_a_reviewer_on_the_qtsps_staff_cannot_decide_its_programme(draft, owner, reviewer):
    full_syllabus(draft, owner)
    programme_submit(programme=draft, actor=owner)
    coordinator_of(draft.qtsp, user=reviewer)

    with pytest.raises(ValidationError, match="Conflict of interest"):
        programme_decide(programme=draft, to_status=ProgrammeStatus.APPROVED, actor=reviewer)

    assert TrainingProgramme.objects.get(pk=draft.pk).status == ProgrammeStatus.SUBMITTED


def test_the_admin_offers_no_decision_to_a_reviewer_on_the_qtsps_staff(client, draft, owner, reviewer):
    full_syllabus(draft, owner)
    programme_submit(programme=draft, actor=owner)
    coordinator_of(draft.qtsp, user=reviewer)
    client.force_login(reviewer)

    client.post(reverse("admin:partners_trainingprogramme_decide", args=[draft.pk, "approved"]), {"note": ""})

    assert TrainingProgramme.objects.get(pk=draft.pk).status == ProgrammeStatus.SUBMITTED


def test_approved_programme_keeps_its_reviewed_hours(programme, owner):
    with pytest.raises(ValidationError, match="cannot be changed"):
        programme_save(qtsp=programme.qtsp, actor=owner, programme=programme, required_hours=24)

    programme_save(qtsp=programme.qtsp, actor=owner, programme=programme, title="Renamed")
    assert TrainingProgramme.objects.get(pk=programme.pk).required_hours == 32


def test_new_programme_starts_as_a_draft(qtsp, owner):
    programme = programme_save(qtsp=qtsp, actor=owner, title="New", level=ProgrammeFactory.build().level,
                               format=TrainingFormat.ONLINE, required_hours=32)

    assert programme.status == ProgrammeStatus.DRAFT


def test_online_programme_has_no_hours_in_person(qtsp, owner):
    with pytest.raises(ValidationError, match="no hours in person"):
        programme_save(qtsp=qtsp, actor=owner, title="New", level=ProgrammeFactory.build().level,
                       format=TrainingFormat.ONLINE, required_hours=32, hours_in_person=8)
