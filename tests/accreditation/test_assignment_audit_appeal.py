"""Reviewer assignment with conflicts of interest, the evidence audit share, and the appeal."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accreditation.models import Appeal, ApplicationStatus, Level, LevelApplication
from accreditation.services import (
    appeal_decide,
    appeal_file,
    application_assign_reviewer,
    application_create,
    application_reject,
)
from notifications.models import OutboxMessage
from tests.accreditation.conftest import submitted, trainee_of
from tests.partners.factories import owner_of

pytestmark = pytest.mark.django_db
S = ApplicationStatus


def test_new_submission_goes_to_the_reviewer_with_fewest_open_reviews(reviewer_factory, applicant_factory):
    busy, free = reviewer_factory(), reviewer_factory()
    LevelApplication.objects.filter(pk=submitted(applicant_factory()).pk).update(reviewer=busy)
    LevelApplication.objects.filter(pk=submitted(applicant_factory()).pk).update(reviewer=busy)

    application = submitted(applicant_factory())

    assert application.reviewer == free
    assert OutboxMessage.objects.filter(
        to=[free.email], key__startswith=f"application-application_reviewer_assigned:{application.pk}:").count() == 1


def test_closed_applications_do_not_count_as_load(reviewer_factory, applicant_factory):
    first, second = reviewer_factory(), reviewer_factory()
    closed = submitted(applicant_factory())
    LevelApplication.objects.filter(pk=closed.pk).update(reviewer=first, status=S.WITHDRAWN)
    LevelApplication.objects.filter(pk=submitted(applicant_factory()).pk).update(reviewer=second)

    assert submitted(applicant_factory()).reviewer == first


def test_a_reviewer_is_never_assigned_their_own_application(reviewer_factory):
    applying = reviewer_factory()
    other = reviewer_factory()

    assert submitted(applying).reviewer == other


def test_a_reviewer_is_never_assigned_a_trainee_of_their_qtsp(reviewer_factory, applicant_factory):
    colleague, outsider = reviewer_factory(), reviewer_factory()
    trainee = applicant_factory()
    owner_of(trainee_of(trainee), colleague)

    application = submitted(trainee)

    assert application.reviewer == outsider
    with pytest.raises(ValidationError, match=r"conflict of interest \(a trainee of a QTSP you are staff of\)"):
        application_assign_reviewer(application=application, reviewer=colleague, actor=outsider)


def test_no_reviewer_without_conflict_leaves_it_for_the_admin(applicant_factory):
    application = submitted(applicant_factory())

    assert application.reviewer is None
    assert "assign one in the admin" in application.events.get(action="reviewer_assigned").note


def test_reassignment_by_a_reviewer(reviewer_factory, applicant_factory):
    first = reviewer_factory()
    application = submitted(applicant_factory())
    second = reviewer_factory()

    application_assign_reviewer(application=application, reviewer=second, actor=first)

    application.refresh_from_db()
    assert application.reviewer == second
    assert application.events.filter(action="reviewer_assigned").count() == 2


def test_assignment_refused_to_non_reviewers_and_drafts(reviewer, applicant_factory, qtsp_staff):
    application = submitted(applicant_factory())
    with pytest.raises(ValidationError, match="is not a committee reviewer"):
        application_assign_reviewer(application=application, reviewer=qtsp_staff, actor=reviewer)
    with pytest.raises(PermissionDenied):
        application_assign_reviewer(application=application, reviewer=reviewer, actor=qtsp_staff)
    draft = application_create(applicant=applicant_factory(), level=Level.objects.get(code="AM"))
    with pytest.raises(ValidationError, match="is not in review"):
        application_assign_reviewer(application=draft, reviewer=reviewer, actor=reviewer)


def test_own_application_cannot_be_assigned_to_oneself_even_in_the_database(reviewer):
    application = submitted(reviewer)

    with pytest.raises(IntegrityError), transaction.atomic():
        LevelApplication.objects.filter(pk=application.pk).update(reviewer=reviewer)


@pytest.mark.parametrize(("share", "expected"), [(0.0, 0), (1.0, 5)])
def test_audit_share_is_a_setting(settings, applicant_factory, share, expected):
    settings.ACCREDITATION_AUDIT_SHARE = share

    applications = [submitted(applicant_factory()) for _ in range(5)]

    assert sum(a.audit_selected for a in applications) == expected
    assert sum(a.events.filter(action="audit_selected").exists() for a in applications) == expected


def test_audit_picks_about_the_configured_share(settings, monkeypatch, applicant_factory):
    settings.ACCREDITATION_AUDIT_SHARE = 0.10
    draws = iter([0.05, 0.5, 0.95, 0.099, 0.1])
    monkeypatch.setattr("accreditation.services.applications.random.random", lambda: next(draws))

    picked = [submitted(applicant_factory()).audit_selected for _ in range(5)]

    assert picked == [True, False, False, True, False]


def test_default_audit_share_is_ten_percent():
    from ipma_portal.settings import base  # the suite itself turns random audits off

    assert base.ACCREDITATION_AUDIT_SHARE == 0.10
    assert base.ACCREDITATION_APPEAL_DAYS == 30


# ---- appeals ----

@pytest.fixture
def rejected(reviewer_factory, applicant_factory):
    rejecter = reviewer_factory()
    applicant = applicant_factory()
    application = submitted(applicant)
    application_reject(application=application, actor=rejecter, reason="Evidence missing.")
    other = reviewer_factory()
    return application, applicant, rejecter, other


def test_appeal_goes_to_a_reviewer_other_than_the_rejecter(rejected):
    application, applicant, rejecter, other = rejected

    appeal = appeal_file(application=application, actor=applicant, statement="The evidence was attached.")

    assert (appeal.rejected_by, appeal.reviewer) == (rejecter, other)
    assert application.events.filter(action="appeal_filed").exists()
    assert OutboxMessage.objects.filter(to=[other.email], key__contains="appeal_assigned").exists()


def test_appeal_only_once(rejected):
    application, applicant, _rejecter, _other = rejected
    appeal_file(application=application, actor=applicant, statement="Please reconsider.")

    with pytest.raises(ValidationError, match="already been appealed"):
        appeal_file(application=application, actor=applicant, statement="Again.")


def test_appeal_within_the_setting_days(rejected, settings):
    application, applicant, _rejecter, _other = rejected
    settings.ACCREDITATION_APPEAL_DAYS = 30

    with time_machine.travel(timezone.now() + datetime.timedelta(days=31)), \
            pytest.raises(ValidationError, match="The appeal period ended"):
        appeal_file(application=application, actor=applicant, statement="Late")
    with time_machine.travel(timezone.now() + datetime.timedelta(days=29)):
        assert appeal_file(application=application, actor=applicant, statement="In time").pk


def test_appeal_refused_for_other_statuses_and_other_people(applicant_factory, rejected):
    open_application = submitted(applicant_factory())
    with pytest.raises(ValidationError, match="Only a rejected application"):
        appeal_file(application=open_application, actor=open_application.applicant, statement="?")
    application, _applicant, _rejecter, _other = rejected
    with pytest.raises(PermissionDenied):
        appeal_file(application=application, actor=applicant_factory(), statement="Not mine")
    with pytest.raises(ValidationError, match="Explain why"):
        appeal_file(application=application, actor=application.applicant, statement=" ")


def test_the_rejecter_cannot_decide_the_appeal(rejected):
    application, applicant, rejecter, _other = rejected
    appeal = appeal_file(application=application, actor=applicant, statement="Please.")

    with pytest.raises(ValidationError, match="other than the one who rejected"):
        appeal_decide(appeal=appeal, actor=rejecter, grant=True, reason="Changed my mind")


def test_granted_appeal_reopens_the_review_with_the_deciding_reviewer(rejected):
    application, applicant, _rejecter, other = rejected
    appeal = appeal_file(application=application, actor=applicant, statement="Please.")

    appeal_decide(appeal=appeal, actor=other, grant=True, reason="The evidence is in the file.")

    application.refresh_from_db()
    assert (application.status, application.reviewer, application.closed_at) == (S.UNDER_REVIEW, other, None)
    assert application.events.last().action == "appeal_granted"
    assert Appeal.objects.get().decision == "granted"
    assert "your appeal was granted" in OutboxMessage.objects.get(key__contains="appeal_decided").body_text


def test_dismissed_appeal_keeps_the_rejection_and_cannot_be_decided_twice(rejected):
    application, applicant, _rejecter, other = rejected
    appeal = appeal_file(application=application, actor=applicant, statement="Please.")

    appeal_decide(appeal=appeal, actor=other, grant=False, reason="The hours remain unproven.")

    application.refresh_from_db()
    assert application.status == S.REJECTED
    assert list(application.events.values_list("action", flat=True))[-2:] == ["appeal_filed", "appeal_dismissed"]
    with pytest.raises(ValidationError, match="already been decided"):
        appeal_decide(appeal=appeal, actor=other, grant=True, reason="Second thoughts")


def test_granted_appeal_refused_while_another_application_for_the_level_is_open(rejected):
    application, applicant, _rejecter, other = rejected
    appeal = appeal_file(application=application, actor=applicant, statement="Please.")
    application_create(applicant=applicant, level=application.level)

    with pytest.raises(ValidationError, match="must be withdrawn"):
        appeal_decide(appeal=appeal, actor=other, grant=True, reason="Reopen")

    appeal.refresh_from_db()
    assert appeal.decision == "pending"


def test_appeal_decision_needs_reasons(rejected):
    application, applicant, _rejecter, other = rejected
    appeal = appeal_file(application=application, actor=applicant, statement="Please.")

    with pytest.raises(ValidationError, match="Give the reasons"):
        appeal_decide(appeal=appeal, actor=other, grant=False, reason="")
