"""Every transition of the level application, every refusal, the events and the emails."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from accreditation.models import ApplicationEvent, ApplicationStatus, Level, LevelApplication
from accreditation.services import (
    application_accept_for_exam,
    application_approve,
    application_create,
    application_exam_passed,
    application_lapse,
    application_reject,
    application_request_information,
    application_respond,
    application_review_start,
    application_submit,
    application_update,
    application_withdraw,
)
from applicants.models import HoursEntry
from notifications.models import OutboxMessage
from partners.models import Enrolment
from payments.selectors import invoice_for
from tests.accreditation.conftest import draft_for, fee_paid, make_eligible, submitted
from tests.factories import ApplicantFactory
from workflows.models import InvalidTransition

pytestmark = pytest.mark.django_db
S = ApplicationStatus


def actions(application) -> list[tuple[str, str, str]]:
    return list(application.events.order_by("created_at", "pk").values_list("action", "from_status", "to_status"))


def mails_to(user) -> list[str]:
    return list(OutboxMessage.objects.filter(to=[user.email]).order_by("pk").values_list("subject", flat=True))


# ---- draft ----

def test_applicant_starts_a_numbered_draft(applicant):
    application = application_create(applicant=applicant, level=Level.objects.get(code="AM"))

    assert application.status == S.DRAFT
    assert application.number.startswith("A20") and len(application.number) == 12
    assert actions(application) == [("created", "", "draft")]


def test_numbers_come_from_the_database_and_differ(applicant_factory):
    numbers = {application_create(applicant=applicant_factory(), level=Level.objects.get(code="AM")).number
               for _ in range(3)}

    assert len(numbers) == 3


def test_one_open_application_per_level(applicant):
    draft_for(applicant, "AM")

    with pytest.raises(ValidationError, match="already have an open application for Associate Mentor"):
        application_create(applicant=applicant, level=Level.objects.get(code="AM"))
    application_create(applicant=applicant, level=Level.objects.get(code="PM"))  # another level is fine


def test_one_open_application_per_level_holds_in_the_database(applicant):
    draft_for(applicant, "AM")

    with pytest.raises(IntegrityError), transaction.atomic():
        LevelApplication.objects.create(applicant=applicant, level=Level.objects.get(code="AM"), number="X-1")


def test_a_closed_application_does_not_block_a_new_one(applicant):
    application_withdraw(application=draft_for(applicant, "AM"), actor=applicant)

    assert application_create(applicant=applicant, level=Level.objects.get(code="AM")).status == S.DRAFT


def test_changing_the_draft_level_respects_one_open_per_level(applicant):
    draft_for(applicant, "PM")
    am = draft_for(applicant, "AM")

    with pytest.raises(ValidationError, match="open application for Professional Mentor"):
        application_update(application=am, actor=applicant, level=Level.objects.get(code="PM"))
    am.refresh_from_db()
    assert am.level.code == "AM"


def test_only_the_applicant_edits_their_draft(applicant, applicant_factory):
    application = draft_for(applicant)

    with pytest.raises(PermissionDenied):
        application_update(application=application, actor=applicant_factory(), practice_statement="hijacked")


def test_a_level_already_held_cannot_be_applied_for(applicant, reviewer):
    application = submitted(applicant, "AM")
    application_accept_for_exam(application=application, actor=reviewer)
    application_exam_passed(candidate=applicant, level_code="AM")

    with pytest.raises(ValidationError, match="You already hold Associate Mentor"):
        application_create(applicant=applicant, level=Level.objects.get(code="AM"))


# ---- submission ----

def test_submission_freezes_a_snapshot_and_raises_the_fee(applicant, reviewer):
    make_eligible(applicant, "AM")
    application = draft_for(applicant, "AM")

    application_submit(application=application, actor=applicant)

    application.refresh_from_db()
    assert application.status == S.SUBMITTED
    assert invoice_for(kind="accreditation", reference=application.payment_reference).payer == applicant
    fee_paid(application)
    assert application.status == S.UNDER_REVIEW
    assert application.submitted_at and application.review_started_at
    assert application.ethics_adoption.code.version == 1
    snapshot = application.snapshot
    assert snapshot["level"] == "AM"
    assert [r["key"] for r in snapshot["requirements"]] == ["service_hours", "training", "ethics", "exam"]
    assert snapshot["profile"]["legal_name"] == applicant.full_name
    assert snapshot["hours_entries"][0]["hours"] == "40.0"
    assert snapshot["statements"]["practice_statement"] == "I mentor three engineers."
    assert [d["kind"] for d in snapshot["documents"]] == ["education"]
    assert actions(application) == [
        ("created", "", "draft"), ("submitted", "draft", "submitted"),
        ("reviewer_assigned", "submitted", "submitted"), ("review_started", "submitted", "under_review")]
    assert application.reviewer == reviewer
    assert [m for m in mails_to(applicant) if m.startswith("Application")] == [
        f"Application {application.number} for Associate Mentor received",
                                   f"Application {application.number}: the review has started"]


def test_snapshot_does_not_change_when_the_facts_do(applicant):
    application = submitted(applicant, "AM")
    HoursEntry.objects.filter(user=applicant).update(hours=5)

    application.refresh_from_db()
    assert application.snapshot["hours_entries"][0]["hours"] == "40.0"
    assert application.snapshot["requirements"][0]["reason"] == "40 of 40 service hours logged"


def test_education_proof_is_copied_into_the_application(applicant, private_media):
    application = submitted(applicant, "AM")
    document = application.documents.get(kind="education")

    assert document.original_name == "diploma.pdf"
    assert document.file.name != applicant.profile.education_proof.name
    assert document.file.read().startswith(b"%PDF")


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        (lambda user: make_eligible(user, "AM", hours=12), "12 of 40 service hours logged"),
        (lambda user: (make_eligible(user, "AM"), user.ethics_adoptions.all().delete()),
         r"Adopt the current version \(1\) of the code"),
    ],
    ids=["too-few-hours", "ethics-not-adopted"],
)
def test_submission_refused_while_a_requirement_is_not_met(applicant, setup, message):
    setup(applicant)
    application = draft_for(applicant, "AM")

    with pytest.raises(ValidationError, match=message):
        application_submit(application=application, actor=applicant)

    application.refresh_from_db()
    assert application.status == S.DRAFT
    assert application.snapshot == {}


def test_submission_refused_when_training_is_recorded_as_not_done(applicant):
    make_eligible(applicant, "AM", training=False)

    with pytest.raises(ValidationError, match="no completed training recorded"):
        application_submit(application=draft_for(applicant, "AM"), actor=applicant)


def test_submission_needs_the_practice_statement(applicant):
    make_eligible(applicant, "AM")

    with pytest.raises(ValidationError, match="Describe your mentoring practice"):
        application_submit(application=draft_for(applicant, "AM", practice_statement=""), actor=applicant)


def test_only_the_applicant_submits(applicant, applicant_factory):
    make_eligible(applicant, "AM")

    with pytest.raises(PermissionDenied):
        application_submit(application=draft_for(applicant), actor=applicant_factory())


def test_submitting_twice_is_refused(applicant):
    application = submitted(applicant)

    with pytest.raises(ValidationError, match="is “Under review” and cannot become “Submitted, awaiting the fee”"):
        application_submit(application=application, actor=applicant)


def test_new_ethics_version_needs_adopting_before_the_next_submission(applicant, reviewer):
    from applicants.services import ethics_adopt, ethics_code_publish

    make_eligible(applicant, "AM")
    ethics_code_publish(text="Version two", actor=reviewer)
    application = draft_for(applicant)

    with pytest.raises(ValidationError, match="Adopt the current version \\(2\\)"):
        application_submit(application=application, actor=applicant)
    ethics_adopt(user=applicant)
    assert application_submit(application=application, actor=applicant).ethics_adoption.code.version == 2


# ---- review ----

def test_reviewer_requests_information_and_the_applicant_answers(applicant, reviewer):
    application = submitted(applicant)

    application_request_information(application=application, actor=reviewer, message="Send your mentee log.")
    application.refresh_from_db()
    assert application.status == S.INFORMATION_REQUESTED
    assert "Send your mentee log." in OutboxMessage.objects.get(
        key__startswith="application-application_information_requested").body_text

    application_respond(application=application, actor=applicant, answer="Attached.")
    application.refresh_from_db()
    assert application.status == S.UNDER_REVIEW
    assert actions(application)[-2:] == [("information_requested", "under_review", "information_requested"),
                                         ("information_provided", "information_requested", "under_review")]
    assert "Attached." in OutboxMessage.objects.get(to=[reviewer.email], key__contains="information_provided").body_text


def test_request_needs_a_message(applicant, reviewer):
    application = submitted(applicant)

    with pytest.raises(ValidationError, match="Say what information"):
        application_request_information(application=application, actor=reviewer, message="  ")


def test_answer_only_when_asked(applicant):
    application = submitted(applicant)

    with pytest.raises(ValidationError, match="has not asked for information"):
        application_respond(application=application, actor=applicant, answer="Unsolicited")


def test_accept_for_exam_opens_the_window(applicant, reviewer):
    application = submitted(applicant)

    application_accept_for_exam(application=application, actor=reviewer)

    application.refresh_from_db()
    assert application.status == S.ACCEPTED_FOR_EXAM
    assert application.accepted_at is not None
    assert f"Application {application.number}: accepted for the exam" in mails_to(applicant)


def test_accept_for_exam_refused_while_training_is_not_recorded(applicant, reviewer):
    application = submitted(applicant)
    Enrolment.objects.filter(trainee=applicant).update(passed=False)  # the QTSP corrected its roster

    with pytest.raises(ValidationError, match="cannot be accepted for the exam yet: Training: .*no completed training"):
        application_accept_for_exam(application=application, actor=reviewer)

    application.refresh_from_db()
    assert application.status == S.UNDER_REVIEW


def test_approve_needs_the_exam(applicant, reviewer):
    application = submitted(applicant)

    # Not passed, or not known yet (exams answers accreditation's eligibility_facts_requested signal).
    with pytest.raises(ValidationError, match="cannot be approved yet: Exam: Exam (not passed|results are not)"):
        application_approve(application=application, actor=reviewer)


def test_approve_after_the_exam_locks_the_hours_counted(applicant, reviewer):
    application = submitted(applicant)
    application_accept_for_exam(application=application, actor=reviewer)
    Enrolment.objects.filter(trainee=applicant).update(passed=False)
    application_exam_passed(candidate=applicant, level_code="AM")  # back to the reviewer: training is open
    Enrolment.objects.filter(trainee=applicant).update(passed=True)

    application_approve(application=application, actor=reviewer, note="All in order")

    application.refresh_from_db()
    assert (application.status, application.closed_at is not None) == (S.APPROVED, True)
    assert HoursEntry.objects.get(user=applicant).is_locked
    assert "You are accredited as Associate Mentor" in mails_to(applicant)


def test_reject_needs_reasons_the_applicant_reads(applicant, reviewer):
    application = submitted(applicant)

    with pytest.raises(ValidationError, match="Give the reasons"):
        application_reject(application=application, actor=reviewer, reason="")
    application_reject(application=application, actor=reviewer, reason="The hours are not evidenced.")

    application.refresh_from_db()
    assert (application.status, application.rejection_reason) == (S.REJECTED, "The hours are not evidenced.")
    body = OutboxMessage.objects.get(key__contains="application_rejected").body_text
    assert "The hours are not evidenced." in body
    assert "You may appeal once" in body


def test_rejected_status_without_reasons_is_refused_by_the_database(applicant):
    application = draft_for(applicant)

    with pytest.raises(IntegrityError), transaction.atomic():
        LevelApplication.objects.filter(pk=application.pk).update(status=S.REJECTED)


def test_rejection_possible_while_information_is_requested(applicant, reviewer):
    application = submitted(applicant)
    application_request_information(application=application, actor=reviewer, message="?")

    assert application_reject(application=application, actor=reviewer, reason="No answer").status == S.REJECTED


@pytest.mark.parametrize("status", [S.DRAFT, S.APPROVED, S.WITHDRAWN, S.LAPSED])
def test_decisions_refused_from_the_wrong_status(applicant, reviewer, status):
    application = draft_for(applicant)
    LevelApplication.objects.filter(pk=application.pk).update(status=status)

    for decide in (
        lambda: application_request_information(application=application, actor=reviewer, message="m"),
        lambda: application_accept_for_exam(application=application, actor=reviewer),
        lambda: application_approve(application=application, actor=reviewer),
        lambda: application_reject(application=application, actor=reviewer, reason="r"),
    ):
        with pytest.raises(ValidationError, match="cannot become"):
            decide()


def test_only_reviewers_decide(applicant, applicant_factory, qtsp_staff):
    application = submitted(applicant)

    for person in (applicant, applicant_factory(), qtsp_staff):
        with pytest.raises(PermissionDenied):
            application_request_information(application=application, actor=person, message="m")


def test_a_reviewer_cannot_decide_their_own_application(reviewer_factory):
    reviewer = reviewer_factory()
    application = submitted(reviewer)

    with pytest.raises(ValidationError, match="Conflict of interest: it is yourself"):
        application_reject(application=application, actor=reviewer, reason="self")


# ---- withdraw, lapse ----

@pytest.mark.parametrize("stage", ["draft", "under_review", "information_requested", "accepted_for_exam"])
def test_applicant_withdraws_an_open_application(applicant, reviewer, stage):
    application = draft_for(applicant) if stage == "draft" else submitted(applicant)
    if stage == "information_requested":
        application_request_information(application=application, actor=reviewer, message="m")
    if stage == "accepted_for_exam":
        application_accept_for_exam(application=application, actor=reviewer)

    application_withdraw(application=application, actor=applicant, reason="Moving abroad")

    application.refresh_from_db()
    assert application.status == S.WITHDRAWN
    assert actions(application)[-1] == ("withdrawn", stage, "withdrawn")


def test_withdrawing_twice_or_by_someone_else_is_refused(applicant, applicant_factory):
    application = draft_for(applicant)
    with pytest.raises(PermissionDenied):
        application_withdraw(application=application, actor=applicant_factory())
    application_withdraw(application=application, actor=applicant)

    with pytest.raises(ValidationError, match="is “Withdrawn” and cannot become"):
        application_withdraw(application=application, actor=applicant)


def test_lapse_from_accepted_for_exam_is_idempotent(applicant, reviewer):
    application = submitted(applicant)
    application_accept_for_exam(application=application, actor=reviewer)

    application_lapse(application_id=application.pk, actor=None, reason="The window closed.")
    application_lapse(application_id=application.pk, actor=None, reason="The window closed.")

    application.refresh_from_db()
    assert application.status == S.LAPSED
    assert [a for a in actions(application) if a[0] == "lapsed"] == [("lapsed", "accepted_for_exam", "lapsed")]
    assert OutboxMessage.objects.filter(key__contains="application_lapsed").count() == 1


def test_lapse_refused_unless_accepted_for_exam(applicant):
    application = submitted(applicant)

    with pytest.raises(ValidationError, match="is “Under review” and cannot become “Lapsed”"):
        application_lapse(application_id=application.pk, actor=None, reason="r")


# ---- the exam result ----

def test_exam_pass_approves_when_nothing_else_is_open(applicant, reviewer):
    application = submitted(applicant)
    application_accept_for_exam(application=application, actor=reviewer)

    application_exam_passed(candidate=applicant, level_code="AM")

    application.refresh_from_db()
    assert application.status == S.APPROVED
    assert application.exam_passed_at is not None
    assert actions(application)[-2:] == [("exam_passed", "accepted_for_exam", "accepted_for_exam"),
                                         ("approved", "accepted_for_exam", "approved")]
    assert application.events.last().actor is None


def test_exam_pass_goes_back_to_the_reviewer_when_something_is_open(applicant, reviewer):
    application = submitted(applicant)
    application_accept_for_exam(application=application, actor=reviewer)
    Enrolment.objects.filter(trainee=applicant).update(passed=False)  # the QTSP corrected its roster

    application_exam_passed(candidate=applicant, level_code="AM")

    application.refresh_from_db()
    assert application.status == S.UNDER_REVIEW
    assert "The reviewer makes the final decision" in application.events.last().note
    assert OutboxMessage.objects.filter(to=[reviewer.email], key__contains="final_decision").exists()
    Enrolment.objects.filter(trainee=applicant).update(passed=True)
    application_approve(application=application, actor=reviewer)  # the exam pass is remembered
    application.refresh_from_db()
    assert application.status == S.APPROVED


def test_exam_pass_without_an_accepted_application_changes_nothing(applicant):
    application = submitted(applicant)

    assert application_exam_passed(candidate=applicant, level_code="AM") is None
    application.refresh_from_db()
    assert application.status == S.UNDER_REVIEW


# ---- history ----

def test_events_cannot_be_changed_or_deleted(applicant):
    event = draft_for(applicant).events.get()

    with pytest.raises(IntegrityError, match="immutable"), transaction.atomic():
        ApplicationEvent.objects.filter(pk=event.pk).update(note="rewritten")
    with pytest.raises(IntegrityError, match="immutable"), transaction.atomic():
        ApplicationEvent.objects.filter(pk=event.pk).delete()


def test_review_start_is_idempotent(applicant):
    application = submitted(applicant)

    application_review_start(application=application.pk)

    assert [a for a in actions(application) if a[0] == "review_started"] == [
        ("review_started", "submitted", "under_review")]


# ---- the transitions table itself ----

@pytest.mark.parametrize("current", list(S))
def test_every_move_outside_the_table_is_refused(current):
    from accreditation.models import TRANSITIONS

    application = LevelApplication(status=current, number="A-TEST", level=Level.objects.get(code="AM"),
                                   applicant=ApplicantFactory())
    for target in S:
        if target in TRANSITIONS[current]:
            application.check_transition(target)
        else:
            with pytest.raises(InvalidTransition):
                application.check_transition(target)


def test_closed_statuses_are_final_except_a_rejection_under_appeal():
    from accreditation.models import OPEN_STATUSES, TRANSITIONS

    closed = [status for status in S if status not in OPEN_STATUSES]
    assert {status: set(TRANSITIONS[status]) for status in closed} == {
        S.APPROVED: set(), S.WITHDRAWN: set(), S.LAPSED: set(), S.REJECTED: {S.UNDER_REVIEW}}


# ---- documents ----

def test_document_kinds_and_moments_are_checked(applicant, reviewer):
    from accreditation.services import document_add
    from tests.documents.samples import upload

    application = draft_for(applicant)
    for kind in ("education", "information"):
        with pytest.raises(ValidationError, match="Choose what this document shows"):
            document_add(application=application, actor=applicant, kind=kind, file=upload("pdf"))
    make_eligible(applicant, "AM")
    application_submit(application=application, actor=applicant)
    fee_paid(application)
    with pytest.raises(ValidationError, match="Documents can be added to a draft"):
        document_add(application=application, actor=applicant, kind="other", file=upload("pdf"))
    application_request_information(application=application, actor=reviewer, message="More please")
    added = document_add(application=application, actor=applicant, kind="other", file=upload("pdf"))
    assert added.kind == "information"


def test_documents_per_application_are_limited(applicant, settings):
    from accreditation.services import document_add
    from tests.documents.samples import upload

    settings.ACCREDITATION_MAX_DOCUMENTS = 2
    application = draft_for(applicant)
    document_add(application=application, actor=applicant, kind="other", file=upload("pdf"))
    document_add(application=application, actor=applicant, kind="other", file=upload("png"))

    with pytest.raises(ValidationError, match="at most 2 documents"):
        document_add(application=application, actor=applicant, kind="other", file=upload("jpeg"))


def test_only_the_applicant_adds_documents(applicant, reviewer):
    from accreditation.services import document_add
    from tests.documents.samples import upload

    with pytest.raises(PermissionDenied):
        document_add(application=draft_for(applicant), actor=reviewer, kind="other", file=upload("pdf"))
