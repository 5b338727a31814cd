"""The fast-track workflows on the engine: histories immutable in PostgreSQL, keeping who acted; refusals readable."""

import pytest
from django.db import IntegrityError, transaction

from fasttrack.models import FastTrackApplication, FastTrackEvent, Referral, ReferralEvent
from fasttrack.services import application_accept, application_submit, referral_assign
from tests.fasttrack.factories import AcceptedApplicationFactory, ApplicationFactory
from tests.partners.factories import FasttrackProgrammeFactory, QTSPFactory
from workflows.models import InvalidTransition

pytestmark = pytest.mark.django_db

Status = FastTrackApplication.Status


@pytest.fixture
def submitted():
    application = ApplicationFactory()
    application_submit(application=application, actor=application.applicant)
    return application


@pytest.fixture
def referral(reviewer):
    qtsp = QTSPFactory(name="Paris Mentoring", place="Paris")
    FasttrackProgrammeFactory(qtsp=qtsp)
    return referral_assign(application=AcceptedApplicationFactory(), qtsp=qtsp, actor=reviewer)


def test_the_database_refuses_to_update_or_delete_a_fasttrack_event(submitted):
    event = submitted.events.get()

    with pytest.raises(IntegrityError, match="immutable"), transaction.atomic():
        FastTrackEvent.objects.filter(pk=event.pk).update(to_status=Status.ACCEPTED)
    with pytest.raises(IntegrityError, match="immutable"), transaction.atomic():
        FastTrackEvent.objects.filter(pk=event.pk).delete()

    assert FastTrackEvent.objects.get(pk=event.pk).to_status == Status.SUBMITTED


def test_the_database_refuses_to_update_or_delete_a_referral_event(referral):
    event = referral.events.get()

    with pytest.raises(IntegrityError, match="immutable"), transaction.atomic():
        ReferralEvent.objects.filter(pk=event.pk).update(note="Rewritten")
    with pytest.raises(IntegrityError, match="immutable"), transaction.atomic():
        ReferralEvent.objects.filter(pk=event.pk).delete()

    assert ReferralEvent.objects.get(pk=event.pk).note == event.note


def test_deleting_the_deciding_account_keeps_their_name_in_both_histories(user_factory):
    clerk = user_factory(is_staff=True, full_name="Rosa Reviewer", email="rosa@ipma.example")
    application = ApplicationFactory(status=Status.SUBMITTED, screening_hard="met", screening_experience="met",
                                     screening_professional="met")
    application_accept(application=application, actor=clerk, note="Welcome")
    qtsp = QTSPFactory(place="Paris")
    FasttrackProgrammeFactory(qtsp=qtsp)
    referral = referral_assign(application=application, qtsp=qtsp, actor=clerk)

    clerk.delete()

    accepted = application.events.get(to_status=Status.ACCEPTED)
    offered = referral.events.get()
    assert accepted.actor_id is None and accepted.by == "Rosa Reviewer <rosa@ipma.example>"
    assert offered.actor_id is None and offered.actor_name == "Rosa Reviewer <rosa@ipma.example>"


def test_a_decision_outside_the_table_raises_a_readable_invalid_transition(reviewer):
    application = ApplicationFactory(status=Status.WITHDRAWN)

    with pytest.raises(InvalidTransition) as refused:
        application_accept(application=application, actor=reviewer)

    assert refused.value.messages == [
        f"This fast-track application (Fast track of {application.applicant}) is “Withdrawn” and cannot become "
        "“Accepted”."
    ]
    assert not application.events.exists()


def test_an_answered_referral_cannot_move_again(referral):
    referral.status = Referral.Status.DECLINED

    with pytest.raises(InvalidTransition, match="“Declined by the QTSP” and cannot become “Accepted by the QTSP”"):
        referral.check_transition(Referral.Status.ACCEPTED)
