"""Exam results and separation of duties: nobody records a result they are conflicted about, and a recorded
result is corrected only by two people (one proposes new scores, another approves)."""

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from allauth.mfa.totp.internal.auth import TOTP
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from exams.models import ExamResult
from exams.selectors import exam_passed
from exams.services import ResultRow, booking_create, result_correction_propose, results_record
from tests.conftest import TOTP_SECRET
from tests.factories import ApplicantFactory, ReviewerFactory
from tests.organizations.factories import OrganizationFactory, staff_add
from tests.partners.factories import CohortFactory, EnrolmentFactory, ProgrammeFactory, QTSPFactory, owner_of
from workflows.models import Proposal
from workflows.proposals import proposal_approve

pytestmark = pytest.mark.django_db

TOPICS = ["coaching-skills", "mentoring-skills", "supervision-skills", "knowledge-management",
          "tacit-knowledge-management", "business-skills", "tools-methodologies", "ethics"]


def _scores(value) -> dict[str, Decimal]:
    return dict.fromkeys(TOPICS, Decimal(value))


@pytest.fixture
def examiner(db):
    user = ReviewerFactory()
    TOTP.activate(user, TOTP_SECRET)
    return user


@pytest.fixture
def own_booking(examiner, session, level_am, acceptances):
    """The examiner sits the exam themselves, beside another candidate."""
    acceptances.accept(examiner, "AM")
    other = ApplicantFactory()
    acceptances.accept(other, "AM")
    return booking_create(candidate=examiner, session=session, level=level_am), \
        booking_create(candidate=other, session=session, level=level_am)


def _after_start(session):
    return time_machine.travel(session.starts_at + timedelta(hours=4))


def test_nobody_records_their_own_result(examiner, own_booking):
    mine, _other = own_booking

    with _after_start(mine.session), pytest.raises(ValidationError, match="it is yourself"):
        results_record(session=mine.session, rows=[ResultRow(booking_id=mine.pk, scores=_scores(90))], actor=examiner)

    assert not ExamResult.objects.exists()


def test_nobody_records_the_result_of_a_trainee_of_their_qtsp(examiner, session, level_am, acceptances):
    qtsp = QTSPFactory()
    owner_of(qtsp, examiner)
    trainee = ApplicantFactory()
    EnrolmentFactory(cohort=CohortFactory(programme=ProgrammeFactory(qtsp=qtsp)), trainee=trainee)
    acceptances.accept(trainee, "AM")
    booking = booking_create(candidate=trainee, session=session, level=level_am)

    with _after_start(session), pytest.raises(ValidationError, match="a trainee of a QTSP you are staff of"):
        results_record(session=session, rows=[ResultRow(booking_id=booking.pk, scores=_scores(90))], actor=examiner)


def test_nobody_records_the_result_of_a_colleague_in_their_organization(examiner, session, level_am, acceptances):
    organization = OrganizationFactory()
    staff_add(organization, user=examiner)
    colleague = staff_add(organization, user=ApplicantFactory())
    acceptances.accept(colleague, "AM")
    booking = booking_create(candidate=colleague, session=session, level=level_am)

    with _after_start(session), pytest.raises(ValidationError, match="staff of the same organization"):
        results_record(session=session, rows=[ResultRow(booking_id=booking.pk, scores=_scores(90))], actor=examiner)


def test_the_results_form_refuses_the_examiners_own_row(client, examiner, own_booking):
    mine, other = own_booking
    data = {"save": "1", **{f"score_{mine.pk}_{code}": "95" for code in TOPICS},
            **{f"score_{other.pk}_{code}": "80" for code in TOPICS}}
    with _after_start(mine.session):
        client.force_login(examiner)  # a staff session idles out across the jump in time
        response = client.post(f"/admin/exams/examsession/{mine.session_id}/results/", data, follow=True)

    assert "conflict of interest (it is yourself)" in response.content.decode()
    assert not ExamResult.objects.exists()


def test_the_csv_import_refuses_the_examiners_own_row(client, examiner, own_booking):
    mine, other = own_booking
    sheet = ("booking,absent," + ",".join(TOPICS) + "\n" + f"{mine.pk},,95,95,95,95,95,95,95,95\n"
             + f"{other.pk},,80,80,80,80,80,80,80,80\n").encode()
    with _after_start(mine.session):
        client.force_login(examiner)  # a staff session idles out across the jump in time
        response = client.post(f"/admin/exams/examsession/{mine.session_id}/results/",
                               {"upload": "1", "file": SimpleUploadedFile("results.csv", sheet)})

    html = response.content.decode()
    assert "Line 2: you cannot record the result of" in html and "conflict of interest (it is yourself)" in html
    assert not ExamResult.objects.exists()


# ---- correcting a recorded result ---------------------------------------------------------------------


@pytest.fixture
def failed(examiner, session, candidate, level_am):
    """``candidate`` sat the session and was recorded at 60 (a fail)."""
    booking = booking_create(candidate=candidate, session=session, level=level_am)
    with _after_start(session):
        results_record(session=session, rows=[ResultRow(booking_id=booking.pk, scores=_scores(60))], actor=examiner)
    return ExamResult.objects.get(booking=booking)


def test_a_proposed_correction_changes_nothing_before_approval(failed, examiner):
    result_correction_propose(result=failed, scores=_scores(85), reason="sheet misread", actor=examiner)

    failed.refresh_from_db()
    assert (failed.total_score, failed.passed) == (Decimal("60.00"), False)


@pytest.mark.parametrize("value", ["NaN", "Infinity"])
def test_a_correction_to_a_score_that_is_not_a_finite_number_is_refused(failed, examiner, value):
    scores = {**_scores(85), "coaching-skills": value}

    with pytest.raises(ValidationError, match="Give a score for every topic"):
        result_correction_propose(result=failed, scores=scores, reason="sheet misread", actor=examiner)


def test_an_approved_correction_recomputes_and_the_pass_follows(failed, examiner, django_capture_on_commit_callbacks):
    checker = ReviewerFactory()
    proposal = result_correction_propose(result=failed, scores=_scores(85), reason="sheet misread", actor=examiner)

    with django_capture_on_commit_callbacks(execute=True):
        proposal_approve(proposal=proposal, actor=checker)

    failed.refresh_from_db()
    assert (failed.total_score, failed.passed) == (Decimal("85.00"), True)
    assert set(failed.scores.values_list("score", flat=True)) == {Decimal("85.00")}
    assert exam_passed(user=failed.booking.candidate, level_code="AM") is True
    assert failed.booking.events.filter(actor=checker, note__startswith="Result corrected").count() == 1


def test_the_correction_proposer_cannot_approve_it(failed, examiner):
    proposal = result_correction_propose(result=failed, scores=_scores(85), reason="sheet misread", actor=examiner)

    with pytest.raises(ValidationError, match="another staff member must approve"):
        proposal_approve(proposal=proposal, actor=examiner)


def test_a_correction_is_proposed_from_the_result_page(client, failed, examiner):
    client.force_login(examiner)
    data = {"note": "sheet misread", **{f"score_{code}": "85" for code in TOPICS}}

    client.post(reverse("admin:exams_examresult_decide", args=[failed.pk, "correct"]), data)

    proposal = Proposal.objects.get()
    assert (proposal.proposer, proposal.person, proposal.payload["scores"]["ethics"]) == \
        (examiner, failed.booking.candidate, "85.00")
    failed.refresh_from_db()
    assert failed.total_score == Decimal("60.00")


def test_nobody_proposes_a_correction_of_their_own_result(examiner, session, level_am, acceptances):
    acceptances.accept(examiner, "AM")
    booking = booking_create(candidate=examiner, session=session, level=level_am)
    with _after_start(session):
        results_record(session=session, rows=[ResultRow(booking_id=booking.pk, scores=_scores(60))],
                       actor=ReviewerFactory())

    with pytest.raises(ValidationError, match="it is yourself"):
        result_correction_propose(result=ExamResult.objects.get(booking=booking), scores=_scores(99), reason="x",
                                  actor=examiner)
