"""The training finder and place requests: what is listed, consent, the QTSP's answer, capacity under concurrency."""

import datetime
import threading
from collections import Counter

import pytest
from django.core.exceptions import ValidationError
from django.db import connections
from django.urls import reverse

from accreditation.models import Level
from notifications.models import OutboxMessage
from partners.models import QTSP, Cohort, Enrolment, PlaceRequest, ProgrammeStatus, TrainingFormat
from partners.services.place_requests import place_request_accept, place_request_create, place_request_decline
from tests.factories import ApplicantFactory
from tests.partners.factories import (
    CohortFactory,
    PlaceRequestFactory,
    ProgrammeFactory,
    QTSPFactory,
    owner_of,
)

pytestmark = pytest.mark.django_db

SOON = datetime.date.today() + datetime.timedelta(days=20)


def listed_cohort(**programme):
    return CohortFactory(programme=ProgrammeFactory(**programme), starts_on=SOON,
                         ends_on=SOON + datetime.timedelta(days=30), capacity=3)


def finder_names(client, query=""):
    response = client.get(reverse("partners:training") + query)
    assert response.status_code == 200
    return {cohort.name for cohort in response.context["cohorts"]}


def test_finder_lists_upcoming_cohorts_of_approved_programmes_only(client):
    shown = listed_cohort()
    CohortFactory(programme=ProgrammeFactory(status=ProgrammeStatus.SUBMITTED), starts_on=SOON,
                  ends_on=SOON, name="under review")
    CohortFactory(programme=shown.programme, name="started", starts_on=datetime.date.today() - datetime.timedelta(1),
                  ends_on=SOON)

    assert finder_names(client) == {shown.name}


@pytest.mark.parametrize("status", [QTSP.Status.SUSPENDED, QTSP.Status.LAPSED])
def test_finder_leaves_out_suspended_and_lapsed_qtsps(client, status):
    cohort = listed_cohort(qtsp=QTSPFactory(status=status))

    assert cohort.name not in finder_names(client)


def test_finder_leaves_out_a_qtsp_past_its_term_before_the_lapse_job_ran(client):
    cohort = listed_cohort(qtsp=QTSPFactory(approved_until=datetime.date.today() - datetime.timedelta(days=1)))

    assert cohort.name not in finder_names(client)


def test_finder_filters_by_level_country_language_and_format(client):
    am_london = listed_cohort()
    pm_berlin = listed_cohort(qtsp=QTSPFactory(place="Berlin"), level=Level.objects.get(code="PM"), language="de",
                              format=TrainingFormat.IN_PERSON, hours_in_person=32)

    assert finder_names(client, "?level=AM") == {am_london.name}
    assert finder_names(client, "?country=DE") == {pm_berlin.name}
    assert finder_names(client, "?language=de") == {pm_berlin.name}
    assert finder_names(client, "?format=online") == {am_london.name}


def test_finder_shows_price_currency_and_places_left(client):
    cohort = listed_cohort()
    Cohort.objects.filter(pk=cohort.pk).update(price="450.00", currency="SGD", seats_taken=1)

    page = client.get(reverse("partners:training")).content.decode()

    assert "450.00 SGD" in page
    assert ">2<" in page


def test_finder_query_count_does_not_grow_with_rows(client, django_assert_max_num_queries):
    for _ in range(12):
        listed_cohort()

    with django_assert_max_num_queries(12):
        client.get(reverse("partners:training"))


def test_request_needs_consent(applicant):
    cohort = listed_cohort()

    with pytest.raises(ValidationError, match="Agree to be enrolled"):
        place_request_create(cohort=cohort, person=applicant, consent=False)

    assert not PlaceRequest.objects.exists()


def test_request_tells_the_qtsp_and_is_made_once(applicant):
    cohort = listed_cohort()
    place_request_create(cohort=cohort, person=applicant, consent=True, message="Evenings suit me")

    with pytest.raises(ValidationError, match="already asked"):
        place_request_create(cohort=cohort, person=applicant, consent=True)

    assert OutboxMessage.objects.get(key__startswith="place-requested:").to == [cohort.programme.qtsp.contact_email]


def test_request_refused_for_a_cohort_not_in_the_finder(applicant):
    cohort = listed_cohort(status=ProgrammeStatus.SUBMITTED)

    with pytest.raises(ValidationError, match="no longer takes requests"):
        place_request_create(cohort=cohort, person=applicant, consent=True)


def test_signed_in_person_requests_from_the_cohort_page(client, applicant):
    cohort = listed_cohort()
    client.force_login(applicant)

    response = client.post(reverse("partners:training_cohort", args=[cohort.pk]), {"consent": "on", "message": ""})

    assert response.status_code == 302
    assert PlaceRequest.objects.get().person == applicant


def test_anonymous_request_is_sent_to_sign_in(client):
    cohort = listed_cohort()

    response = client.post(reverse("partners:training_cohort", args=[cohort.pk]), {"consent": "on"})

    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))
    assert not PlaceRequest.objects.exists()


def test_accepting_enrols_the_person_and_takes_a_place():
    place_request = PlaceRequestFactory(cohort=listed_cohort())
    owner = owner_of(place_request.cohort.programme.qtsp)

    place_request_accept(place_request=place_request, actor=owner)

    place_request.refresh_from_db()
    assert place_request.status == PlaceRequest.Status.ACCEPTED
    assert place_request.enrolment.trainee == place_request.person
    assert place_request.enrolment.status == Enrolment.Status.ENROLLED
    assert Cohort.objects.get(pk=place_request.cohort_id).seats_taken == 1
    assert OutboxMessage.objects.filter(key__startswith=f"place-request:{place_request.pk}:",
                                        to=[place_request.person.email]).exists()


def test_an_accepted_request_is_the_persons_record_and_counts_once_passed():
    from decimal import Decimal

    from partners.services.rosters import Outcome, enrolment_record

    place_request = PlaceRequestFactory(cohort=listed_cohort())
    owner = owner_of(place_request.cohort.programme.qtsp)

    enrolment = place_request_accept(place_request=place_request, actor=owner).enrolment
    programme = enrolment.cohort.programme
    enrolment_record(enrolment=enrolment, actor=owner, attended_hours=Decimal(programme.required_hours),
                     attended_days=programme.required_days, outcome=Outcome.PASSED)

    enrolment.refresh_from_db()
    assert enrolment.accepted_at == place_request.consented_at  # they consented when asking: no invitation
    assert enrolment.counts_for_eligibility


def test_declining_takes_no_place_and_tells_the_person():
    place_request = PlaceRequestFactory(cohort=listed_cohort())
    owner = owner_of(place_request.cohort.programme.qtsp)

    place_request_decline(place_request=place_request, actor=owner, note="Full of colleagues")

    assert PlaceRequest.objects.get().status == PlaceRequest.Status.DECLINED
    assert Cohort.objects.get(pk=place_request.cohort_id).seats_taken == 0
    assert "Full of colleagues" in OutboxMessage.objects.get(key__startswith="place-request:").body_text


def test_a_suspended_qtsp_cannot_accept():
    place_request = PlaceRequestFactory(cohort=listed_cohort())
    qtsp = place_request.cohort.programme.qtsp
    owner = owner_of(qtsp)
    QTSP.objects.filter(pk=qtsp.pk).update(status=QTSP.Status.SUSPENDED)

    with pytest.raises(ValidationError, match="suspended"):
        place_request_accept(place_request=place_request, actor=owner)

    assert not Enrolment.objects.exists()


def test_person_sees_and_withdraws_their_own_requests_only(client):
    mine, theirs = PlaceRequestFactory(cohort=listed_cohort()), PlaceRequestFactory(cohort=listed_cohort())
    client.force_login(mine.person)

    assert client.post(reverse("partners:my_place_request_withdraw", args=[theirs.pk])).status_code == 404
    client.post(reverse("partners:my_place_request_withdraw", args=[mine.pk]))

    assert PlaceRequest.objects.get(pk=mine.pk).status == PlaceRequest.Status.WITHDRAWN
    assert PlaceRequest.objects.get(pk=theirs.pk).status == PlaceRequest.Status.REQUESTED


def run_at_once(jobs) -> list:
    """Start every job at the same moment, each in its own thread (so its own connection)."""
    barrier = threading.Barrier(len(jobs))
    outcomes = [None] * len(jobs)

    def worker(index, job):
        try:
            barrier.wait()
            outcomes[index] = job()
        except ValidationError as error:
            outcomes[index] = error.messages[0]
        except Exception as error:  # anything else is a failure the assertions report
            outcomes[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(index, job)) for index, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_simultaneous_acceptances_never_exceed_the_cohort():
    cohort = listed_cohort()  # 3 places
    requests = [PlaceRequestFactory(cohort=cohort, person=ApplicantFactory()) for _ in range(12)]
    owner = owner_of(cohort.programme.qtsp)

    outcomes = run_at_once([
        (lambda place_request=place_request: place_request_accept(place_request=place_request, actor=owner))
        for place_request in requests
    ])

    kinds = Counter("accepted" if isinstance(o, PlaceRequest) else o.split(":")[0] for o in outcomes)
    assert kinds == {"accepted": 3, "No places left": 9}, outcomes
    assert Cohort.objects.get(pk=cohort.pk).seats_taken == 3
    assert Enrolment.objects.filter(cohort=cohort).count() == 3
    assert PlaceRequest.objects.filter(status=PlaceRequest.Status.REQUESTED).count() == 9
