"""Who may download a candidate's CV and proofs; the contracts other apps read; the dashboard panel."""

from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from fasttrack.models import FastTrackApplication, Referral
from fasttrack.selectors import application_current, fasttrack_accepted, fasttrack_exam_ready
from fasttrack.services import candidate_enrol, referral_accept
from partners.services import Outcome, enrolment_accept, enrolment_record
from tests.factories import ApplicantFactory
from tests.fasttrack.factories import (
    ALL_GROUPS_MET,
    AcceptedApplicationFactory,
    ApplicationFactory,
    ReferralFactory,
)
from tests.partners.factories import CohortFactory, FasttrackProgrammeFactory, QTSPFactory, owner_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def referred():
    """An accepted candidate referred to a London QTSP (waiting for its answer)."""
    qtsp = QTSPFactory(place="London")
    FasttrackProgrammeFactory(qtsp=qtsp)
    referral = ReferralFactory(qtsp=qtsp)
    return referral


def urls(application):
    proof = application.claims.get(criterion="masters_degree").proofs.get()
    return [reverse("fasttrack:cv_download", args=[application.pk]),
            reverse("fasttrack:proof_download", args=[proof.pk])]


@pytest.mark.parametrize("who, expected", [
    ("applicant", 200),
    ("reviewer", 200),
    ("referred_qtsp_staff", 200),
    ("other_qtsp_staff", 404),
    ("other_applicant", 404),
    ("anonymous", 302),
])
def test_cv_and_proofs_matrix(who, expected, client, referred, reviewer):
    application = referred.application
    people = {
        "applicant": application.applicant, "reviewer": reviewer, "referred_qtsp_staff": owner_of(referred.qtsp),
        "other_qtsp_staff": owner_of(QTSPFactory(place="Berlin")), "other_applicant": ApplicantFactory(),
    }
    if who != "anonymous":
        client.force_login(people[who])

    for url in urls(application):
        response = client.get(url)
        assert response.status_code == expected
        if expected == 200:
            assert response["Cache-Control"] == "private, no-store"
            assert response["X-Content-Type-Options"] == "nosniff"
            assert response["Content-Disposition"].startswith("attachment")


@pytest.mark.parametrize("status", [Referral.Status.DECLINED, Referral.Status.WITHDRAWN])
def test_a_qtsp_no_longer_referred_loses_access(status, client, referred):
    staff = owner_of(referred.qtsp)
    Referral.objects.filter(pk=referred.pk).update(status=status)
    client.force_login(staff)

    assert all(client.get(url).status_code == 404 for url in urls(referred.application))


def test_fasttrack_accepted_contract():
    accepted = AcceptedApplicationFactory()
    submitted = ApplicationFactory(status=FastTrackApplication.Status.SUBMITTED, claims=ALL_GROUPS_MET)

    assert fasttrack_accepted(user=accepted.applicant)
    assert not fasttrack_accepted(user=submitted.applicant)
    assert not fasttrack_accepted(user=AnonymousUser())


def test_exam_ready_only_after_the_referred_qtsp_accepts_and_records_the_training(referred):
    candidate, qtsp = referred.application.applicant, referred.qtsp
    staff = owner_of(qtsp)
    cohort = CohortFactory(programme=qtsp.programmes.get(is_fasttrack=True), is_online=False, venue="Strand 1")
    assert not fasttrack_exam_ready(user=candidate)

    referral_accept(referral=referred, actor=staff)
    enrolment = candidate_enrol(referral=referred, cohort=cohort, actor=staff)
    assert enrolment.email == candidate.email and not enrolment.is_accepted
    enrolment = enrolment_accept(enrolment=enrolment, user=candidate)  # from their dashboard
    assert not fasttrack_exam_ready(user=candidate)

    enrolment_record(enrolment=enrolment, actor=staff, attended_hours=Decimal(40), attended_days=5,
                     outcome=Outcome.PASSED)
    assert fasttrack_exam_ready(user=candidate)
    assert not fasttrack_exam_ready(user=ApplicantFactory())


def test_candidate_is_enrolled_from_the_referral_page(client, referred):
    staff = owner_of(referred.qtsp)
    cohort = CohortFactory(programme=referred.qtsp.programmes.get(is_fasttrack=True), is_online=False, venue="Strand")
    referral_accept(referral=referred, actor=staff)
    client.force_login(staff)

    client.post(reverse("fasttrack:referral_enrol", args=[referred.pk]), {"cohort": cohort.pk})

    assert cohort.enrolments.get().email == referred.application.applicant.email
    page = client.get(reverse("fasttrack:referral_detail", args=[referred.pk])).content.decode()
    assert "Record attendance" in page


def test_another_qtsps_cohort_cannot_be_used_for_the_candidate(referred):
    staff = owner_of(referred.qtsp)
    referral_accept(referral=referred, actor=staff)
    foreign = CohortFactory(programme=FasttrackProgrammeFactory(qtsp=QTSPFactory(place="Paris")), is_online=False,
                            venue="Rue 1")

    with pytest.raises(Exception, match="your fast-track cohorts"):
        candidate_enrol(referral=referred, cohort=foreign, actor=staff)


def test_dashboard_panel_follows_the_application(client, referred):
    candidate = referred.application.applicant
    client.force_login(candidate)
    assert "A training provider near you is being assigned." in client.get(reverse("applicants:dashboard")
                                                                           ).content.decode()

    referral_accept(referral=referred, actor=owner_of(referred.qtsp))

    page = client.get(reverse("applicants:dashboard")).content.decode()
    assert f"Your training provider: {referred.qtsp.name}." in page


def test_the_whole_track_feeds_the_accreditation_checklist(referred):
    """With the accreditation app present: an accepted candidate skips the SM hours and years, and the
    completed fast-track training meets the training requirement."""
    selectors = pytest.importorskip("accreditation.selectors")
    if not hasattr(selectors, "eligibility_for"):
        pytest.skip("accreditation.selectors.eligibility_for is not there yet")
    candidate, staff = referred.application.applicant, owner_of(referred.qtsp)
    referral_accept(referral=referred, actor=staff)
    cohort = CohortFactory(programme=referred.qtsp.programmes.get(is_fasttrack=True), is_online=False, venue="Strand")
    enrolment = enrolment_accept(enrolment=candidate_enrol(referral=referred, cohort=cohort, actor=staff),
                                 user=candidate)
    enrolment_record(enrolment=enrolment, actor=staff, attended_hours=Decimal(40), attended_days=5,
                     outcome=Outcome.PASSED)

    outcomes = {r.key: str(r.outcome) for r in selectors.eligibility_for(user=candidate, level_code="SM")}

    assert outcomes["service_hours"] == outcomes["years_mentoring"] == outcomes["training"] == "met"


def test_dashboard_panel_costs_one_query_without_an_application(rf, django_assert_num_queries):
    request = rf.get("/dashboard/")
    request.user = ApplicantFactory()

    with django_assert_num_queries(1):
        assert apps.get_app_config("fasttrack").dashboard_panels(request) == []


def test_the_open_application_is_shown_before_a_closed_one(applicant):
    ApplicationFactory(applicant=applicant, status=FastTrackApplication.Status.REJECTED)
    open_one = ApplicationFactory(applicant=applicant)
    ApplicationFactory(applicant=applicant, status=FastTrackApplication.Status.WITHDRAWN)

    assert application_current(user=applicant) == open_one
