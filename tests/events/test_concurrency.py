"""Capacity under real concurrency: many threads, each with its own PostgreSQL connection."""

from collections import Counter

import pytest

from events.models import Event, Registration, RegistrationStatus
from events.services import registration_cancel, registration_create
from tests.events.factories import EventFactory
from tests.exams.test_concurrency import run_at_once
from tests.factories import ApplicantFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_forty_simultaneous_registrations_for_eight_places_make_exactly_eight():
    event = EventFactory(capacity=8)
    people = [ApplicantFactory() for _ in range(40)]

    outcomes = run_at_once([
        (lambda person=person: registration_create(event=event, person=person, waitlist=False).status)
        for person in people
    ])

    assert Counter(outcomes) == {RegistrationStatus.CONFIRMED: 8, "No places are left for this event.": 32}, outcomes
    assert Event.objects.get(pk=event.pk).places_taken == 8
    assert Registration.objects.filter(event=event, status=RegistrationStatus.CONFIRMED).count() == 8


def test_full_event_fills_its_waiting_list_in_order_under_contention():
    event = EventFactory(capacity=3)
    people = [ApplicantFactory() for _ in range(12)]

    outcomes = run_at_once([(lambda person=person: registration_create(event=event, person=person).status)
                            for person in people])

    assert Counter(outcomes) == {RegistrationStatus.CONFIRMED: 3, RegistrationStatus.WAITLISTED: 9}, outcomes


def test_one_person_registering_six_times_at_once_gets_one_place():
    event = EventFactory(capacity=5)
    person = ApplicantFactory()

    outcomes = run_at_once([lambda: registration_create(event=event, person=person).status for _ in range(6)])

    assert outcomes.count(RegistrationStatus.CONFIRMED) == 1, outcomes
    assert all(o == RegistrationStatus.CONFIRMED or "already registered" in o for o in outcomes), outcomes
    assert Event.objects.get(pk=event.pk).places_taken == 1


def test_simultaneous_cancellations_offer_each_freed_place_once():
    event = EventFactory(capacity=4)
    holders = [registration_create(event=event, person=ApplicantFactory()) for _ in range(4)]
    waiting = [registration_create(event=event, person=ApplicantFactory()) for _ in range(6)]

    outcomes = run_at_once([(lambda r=r: registration_cancel(registration=r, actor=r.person).status) for r in holders])

    assert outcomes == [RegistrationStatus.CANCELLED] * 4, outcomes
    statuses = Counter(Registration.objects.filter(pk__in=[w.pk for w in waiting]).values_list("status", flat=True))
    assert statuses == {RegistrationStatus.OFFERED: 4, RegistrationStatus.WAITLISTED: 2}
    assert Event.objects.get(pk=event.pk).places_taken == 4
