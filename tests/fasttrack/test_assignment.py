"""After acceptance: the nearest fast-track QTSP is proposed, the reviewer confirms or picks another, the QTSP
accepts in its portal, the candidate is told; an unanswered referral is escalated once, however often the job runs."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from fasttrack.assignment import business_days_after, rank_by_distance
from fasttrack.models import FastTrackApplication, Referral
from fasttrack.selectors import qtsp_candidates
from fasttrack.services import referral_accept, referral_assign, referral_decline, referrals_escalate
from fasttrack.tasks import referrals_escalate as referrals_escalate_task
from notifications.models import OutboxMessage
from partners.models import QTSP
from tests.fasttrack.factories import AcceptedApplicationFactory, ApplicationFactory
from tests.partners.factories import FasttrackProgrammeFactory, ProgrammeFactory, QTSPFactory, owner_of

pytestmark = pytest.mark.django_db

UTC = datetime.UTC


def fasttrack_qtsp(place, **kwargs):
    qtsp = QTSPFactory(name=f"{place} Mentoring", place=place, **kwargs)
    FasttrackProgrammeFactory(qtsp=qtsp)
    return qtsp


@pytest.fixture
def network():
    """Fast-track QTSPs in Paris, Madrid, Berlin and London; a Lyon QTSP that does not run the fast track."""
    return {place: fasttrack_qtsp(place) for place in ("Paris", "Madrid", "Berlin", "London")} | {
        "Lyon": ProgrammeFactory(qtsp=QTSPFactory(name="Lyon Mentoring", place="Lyon")).qtsp,
    }


def test_candidates_nearest_first_from_the_applicants_city(network):
    application = AcceptedApplicationFactory(place="Lyon")

    ranked = [(c.qtsp.city, round(c.distance_km)) for c in qtsp_candidates(application)]

    # Great-circle distances from Lyon (45.749, 4.848) on the GeoNames coordinates: Paris 393 km,
    # London 737, Madrid 912, Berlin 976 (published figures: about 392, 740, 910 and 980 km).
    assert ranked == [("Paris", 393), ("London", 737), ("Madrid", 912), ("Berlin", 976)]


def test_candidates_leave_out_suspended_qtsps_and_those_without_the_fast_track(network):
    network["Paris"].status = QTSP.Status.SUSPENDED
    network["Paris"].save()
    application = AcceptedApplicationFactory(place="Lyon")

    assert [c.qtsp.city for c in qtsp_candidates(application)][0] == "London"
    assert "Lyon" not in [c.qtsp.city for c in qtsp_candidates(application)]


def test_ranking_ties_are_broken_by_qtsp_id():
    class Point:
        def __init__(self, pk, lat, lon):
            self.pk, self.latitude, self.longitude = pk, lat, lon

    ranked = rank_by_distance(0, 0, [Point(2, 0, 1), Point(1, 1, 0), Point(3, 0, 2)])

    assert [c.qtsp.pk for c in ranked] == [1, 2, 3]


def test_a_reviewer_on_the_qtsps_staff_does_not_refer_a_candidate_to_it(network, reviewer):
    from tests.partners.factories import coordinator_of

    coordinator_of(network["Paris"], user=reviewer)
    application = AcceptedApplicationFactory(place="Lyon")

    with pytest.raises(ValidationError, match="Conflict of interest"):
        referral_assign(application=application, qtsp=network["Paris"], actor=reviewer)

    assert not Referral.objects.filter(application=application).exists()


def test_reviewer_confirms_the_nearest_and_the_qtsp_is_asked(network, reviewer):
    application = AcceptedApplicationFactory(place="Lyon")
    paris_owner = owner_of(network["Paris"])

    referral = referral_assign(application=application, qtsp=network["Paris"], actor=reviewer)

    assert (referral.status, referral.distance_km, referral.was_nearest) == (Referral.Status.OFFERED, 393, True)
    message = OutboxMessage.objects.get(key=f"fasttrack:referral-offered:{referral.pk}")
    assert paris_owner.email in message.to and network["Paris"].contact_email in message.to
    assert referral.events.get().to_status == Referral.Status.OFFERED


def test_reviewer_picks_another_which_replaces_the_waiting_referral(network, reviewer):
    application = AcceptedApplicationFactory(place="Lyon")
    first = referral_assign(application=application, qtsp=network["Paris"], actor=reviewer)

    second = referral_assign(application=application, qtsp=network["Berlin"], actor=reviewer)

    first.refresh_from_db()
    assert first.status == Referral.Status.WITHDRAWN
    assert (second.qtsp, second.was_nearest) == (network["Berlin"], False)


def test_assignment_refused_for_a_qtsp_without_the_fast_track_or_an_unaccepted_candidate(network, reviewer):
    with pytest.raises(ValidationError, match="does not run the fast track"):
        referral_assign(application=AcceptedApplicationFactory(), qtsp=network["Lyon"], actor=reviewer)
    with pytest.raises(ValidationError, match="Only an accepted candidate"):
        referral_assign(application=ApplicationFactory(status=FastTrackApplication.Status.SUBMITTED),
                        qtsp=network["Paris"], actor=reviewer)


def test_reviewer_assigns_from_the_admin(client, network, reviewer):
    application = AcceptedApplicationFactory(place="Lyon")
    client.force_login(reviewer)
    change_url = reverse("admin:fasttrack_fasttrackapplication_change", args=[application.pk])

    page = client.get(change_url).content.decode()
    assert page.index("Paris Mentoring") < page.index("London Mentoring") < page.index("Madrid Mentoring")
    assert "proposed: nearest" in page

    client.post(reverse("admin:fasttrack_fasttrackapplication_decide", args=[application.pk, "assign"]),
                {"qtsp": network["London"].pk})

    assert Referral.objects.get(application=application, status="offered").qtsp == network["London"]


def test_qtsp_accepts_in_its_portal_and_the_candidate_is_told(client, network, reviewer):
    application = AcceptedApplicationFactory(place="Lyon")
    referral = referral_assign(application=application, qtsp=network["Paris"], actor=reviewer)
    client.force_login(owner_of(network["Paris"]))

    assert "Lyon" in client.get(reverse("fasttrack:referrals")).content.decode()
    client.post(reverse("fasttrack:referral_accept", args=[referral.pk]), {"note": "We call on Monday"})

    referral.refresh_from_db()
    assert referral.status == Referral.Status.ACCEPTED and referral.responded_at
    message = OutboxMessage.objects.get(key=f"fasttrack:referral-accepted:{referral.pk}")
    assert message.to == [application.applicant.email] and "Paris Mentoring" in message.subject
    client.force_login(application.applicant)
    assert "Paris Mentoring" in client.get(reverse("fasttrack:application")).content.decode()


def test_the_answer_form_says_who_reads_the_note(client, network, reviewer):
    referral = referral_assign(application=AcceptedApplicationFactory(place="Lyon"), qtsp=network["Paris"],
                               actor=reviewer)
    client.force_login(owner_of(network["Paris"]))

    page = client.get(reverse("fasttrack:referral_detail", args=[referral.pk])).content.decode()

    assert "For the committee, not the candidate; when you decline, say why." in page


def test_accepted_referral_cannot_be_reassigned(network, reviewer):
    application = AcceptedApplicationFactory(place="Lyon")
    referral = referral_assign(application=application, qtsp=network["Paris"], actor=reviewer)
    referral_accept(referral=referral, actor=owner_of(network["Paris"]))

    with pytest.raises(ValidationError, match="already accepted"):
        referral_assign(application=application, qtsp=network["London"], actor=reviewer)


def test_only_the_referred_qtsps_staff_can_answer(network, reviewer):
    referral = referral_assign(application=AcceptedApplicationFactory(), qtsp=network["Paris"], actor=reviewer)

    with pytest.raises(ValidationError, match="Only the staff"):
        referral_accept(referral=referral, actor=owner_of(network["Berlin"]))


def test_decline_tells_the_committee_and_the_next_candidates_skip_that_qtsp(network, reviewer):
    application = AcceptedApplicationFactory(place="Lyon")
    referral = referral_assign(application=application, qtsp=network["Paris"], actor=reviewer)

    with pytest.raises(ValidationError, match="why"):
        referral_decline(referral=referral, actor=owner_of(network["Paris"]), note="")
    referral_decline(referral=referral, actor=owner_of(network["Paris"]), note="No trainer until June")

    message = OutboxMessage.objects.get(key=f"fasttrack:referral-declined:{referral.pk}")
    assert reviewer.email in message.to and "No trainer until June" in message.body_text
    assert [c.qtsp.city for c in qtsp_candidates(application)][0] == "London"


# ---- the response deadline and the escalation job -------------------------------------------------------


@pytest.mark.parametrize("start, days, due", [
    (datetime.datetime(2027, 3, 1, 10, tzinfo=UTC), 2, datetime.datetime(2027, 3, 3, 10, tzinfo=UTC)),   # Mon → Wed
    (datetime.datetime(2027, 3, 4, 10, tzinfo=UTC), 2, datetime.datetime(2027, 3, 8, 10, tzinfo=UTC)),   # Thu → Mon
    (datetime.datetime(2027, 3, 5, 10, tzinfo=UTC), 2, datetime.datetime(2027, 3, 9, 10, tzinfo=UTC)),   # Fri → Tue
    (datetime.datetime(2027, 3, 6, 10, tzinfo=UTC), 2, datetime.datetime(2027, 3, 9, 10, tzinfo=UTC)),   # Sat → Tue
    (datetime.datetime(2027, 3, 5, 10, tzinfo=UTC), 5, datetime.datetime(2027, 3, 12, 10, tzinfo=UTC)),  # a week
])
def test_business_days_skip_weekends(start, days, due):
    assert business_days_after(start, days) == due


def test_deadline_follows_the_setting(network, reviewer, settings):
    settings.FASTTRACK_REFERRAL_RESPONSE_BUSINESS_DAYS = 3
    with time_machine.travel(datetime.datetime(2027, 3, 5, 9, tzinfo=UTC), tick=False):  # a Friday
        referral = referral_assign(application=AcceptedApplicationFactory(), qtsp=network["Paris"], actor=reviewer)

    assert referral.respond_by == datetime.datetime(2027, 3, 10, 9, tzinfo=UTC)


def test_escalation_runs_twice_and_escalates_once(network, reviewer):
    with time_machine.travel(datetime.datetime(2027, 3, 5, 9, tzinfo=UTC), tick=False):  # Friday: due Tuesday 09:00
        late = referral_assign(application=AcceptedApplicationFactory(), qtsp=network["Paris"], actor=reviewer)
        answered = referral_assign(application=AcceptedApplicationFactory(), qtsp=network["Berlin"], actor=reviewer)
        referral_accept(referral=answered, actor=owner_of(network["Berlin"]))

    with time_machine.travel(datetime.datetime(2027, 3, 9, 8, 59, tzinfo=UTC), tick=False):
        assert referrals_escalate() == 0  # not yet due

    with time_machine.travel(datetime.datetime(2027, 3, 9, 9, 0, tzinfo=UTC), tick=False):
        assert referrals_escalate() == 1
        assert referrals_escalate() == 0
        assert referrals_escalate_task.apply().get() == 0

    late.refresh_from_db()
    assert late.escalated_at == datetime.datetime(2027, 3, 9, 9, 0, tzinfo=UTC)
    assert late.status == Referral.Status.OFFERED  # still the QTSP's to accept
    mails = OutboxMessage.objects.filter(key__startswith="fasttrack:referral-escalated:")
    assert [m.key for m in mails] == [f"fasttrack:referral-escalated:{late.pk}"]
    assert reviewer.email in mails[0].to
    assert late.events.filter(note__contains="escalated").count() == 1


def test_escalated_referrals_are_flagged_in_the_admin(client, network, reviewer):
    referral = referral_assign(application=AcceptedApplicationFactory(), qtsp=network["Paris"], actor=reviewer)
    with time_machine.travel(timezone.now() + datetime.timedelta(days=5)):
        referrals_escalate()
    client.force_login(reviewer)

    listing = client.get(reverse("admin:fasttrack_fasttrackapplication_changelist"), {"assignment": "escalated"})

    assert list(listing.context["cl"].result_list) == [referral.application]
    assert "(escalated)" in listing.content.decode()
