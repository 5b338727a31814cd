"""The application's history on the workflow engine: immutable rows that keep who acted."""

import pytest
from django.db import IntegrityError, transaction

from accreditation.models import ApplicationEvent, ApplicationStatus
from accreditation.services import application_request_information
from tests.accreditation.conftest import submitted
from workflows.models import InvalidTransition

pytestmark = pytest.mark.django_db
S = ApplicationStatus


def test_update_and_delete_of_an_event_are_refused_by_the_database(applicant):
    event = submitted(applicant).events.first()

    with pytest.raises(IntegrityError, match="immutable"), transaction.atomic():
        ApplicationEvent.objects.filter(pk=event.pk).update(to_status=S.APPROVED)
    with pytest.raises(IntegrityError, match="immutable"), transaction.atomic():
        ApplicationEvent.objects.filter(pk=event.pk).delete()
    assert ApplicationEvent.objects.get(pk=event.pk).to_status == event.to_status


def test_deleting_a_staff_account_keeps_its_name_in_the_history(applicant, reviewer_factory):
    reviewer_factory()  # assigned to the application (fewest reviews, longest standing)
    acting = reviewer_factory(full_name="Rosa Parks Reviewer")
    application = submitted(applicant)
    application_request_information(application=application, actor=acting, message="Which QTSP?")
    event = application.events.get(action="information_requested")

    acting.delete()

    event.refresh_from_db()
    assert event.actor_id is None
    assert event.actor_name == f"Rosa Parks Reviewer <{acting.email}>"
    assert event.by == event.actor_name


def test_a_move_outside_the_table_is_refused_in_words(applicant):
    application = submitted(applicant)

    with pytest.raises(InvalidTransition) as refused:
        application.check_transition(S.LAPSED)

    assert refused.value.messages == [
        f"This level application ({application}) is “Under review” and cannot become “Lapsed”."]
    assert application.can_transition(S.ACCEPTED_FOR_EXAM) and not application.can_transition(S.SUBMITTED)
