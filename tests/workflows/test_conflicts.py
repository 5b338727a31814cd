"""The one conflict-of-interest policy: yourself, the QTSP relations (partners) and the organization's staff."""

import pytest
from django.core.exceptions import ValidationError

from tests.factories import ApplicantFactory, ReviewerFactory
from tests.organizations.factories import OrganizationFactory, staff_add
from tests.partners.factories import CohortFactory, EnrolmentFactory, ProgrammeFactory, QTSPFactory, owner_of
from workflows.conflicts import decision_conflict, decision_conflict_check

pytestmark = pytest.mark.django_db


def test_deciding_about_yourself_is_a_conflict():
    reviewer = ReviewerFactory()

    assert decision_conflict(decider=reviewer, person=reviewer) == "it is yourself"


def test_a_trainee_of_the_deciders_qtsp_is_a_conflict():
    qtsp = QTSPFactory()
    reviewer = owner_of(qtsp, ReviewerFactory())
    trainee = ApplicantFactory()
    EnrolmentFactory(cohort=CohortFactory(programme=ProgrammeFactory(qtsp=qtsp)), trainee=trainee)

    assert decision_conflict(decider=reviewer, person=trainee) == "a trainee of a QTSP you are staff of"


def test_a_colleague_on_the_same_qtsp_is_a_conflict():
    qtsp = QTSPFactory()
    reviewer = owner_of(qtsp, ReviewerFactory())

    assert decision_conflict(decider=reviewer, person=owner_of(qtsp)) == "staff of the same QTSP"


def test_a_colleague_in_the_same_organization_is_a_conflict():
    organization = OrganizationFactory()
    reviewer = staff_add(organization, user=ReviewerFactory())

    assert decision_conflict(decider=reviewer, person=staff_add(organization)) == "staff of the same organization"


def test_staff_of_another_qtsp_or_organization_is_no_conflict():
    reviewer = owner_of(QTSPFactory(), ReviewerFactory())
    staff_add(OrganizationFactory(), user=reviewer)
    other = owner_of(QTSPFactory())
    staff_add(OrganizationFactory(), user=other)
    EnrolmentFactory(cohort=CohortFactory(programme=ProgrammeFactory(qtsp=QTSPFactory())), trainee=other)

    assert decision_conflict(decider=reviewer, person=other) is None


def test_the_check_raises_with_the_reason_and_its_code():
    reviewer = ReviewerFactory()

    with pytest.raises(ValidationError, match="it is yourself") as caught:
        decision_conflict_check(decider=reviewer, person=reviewer)

    assert caught.value.code == "conflict_of_interest"


def test_nobody_to_decide_about_is_no_conflict():
    assert decision_conflict(decider=ReviewerFactory(), person=None) is None
