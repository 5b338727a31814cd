"""The committee's side: two reviewers score blind, the committee decides, conditions are answered."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from notifications.models import OutboxMessage
from organizations import selectors, services
from organizations.models import ApplicationStatus, Condition, ConditionStatus, Criterion, Review
from tests.factories import ApplicantFactory, ReviewerFactory
from tests.organizations import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def application(org, owner):
    return factories.under_review(org, owner)


def _scores(review, value=3, comment="ok"):
    return {row.criterion_id: (value, comment) for row in review.scores.all()}


# ---- assignment -------------------------------------------------------------------------------------------


def test_a_review_holds_one_empty_score_per_standard_in_use(application, reviewer):
    Criterion.objects.filter(code="ethics").update(is_active=False)

    review = services.review_assign(application=application, reviewer=reviewer, actor=reviewer)

    assert sorted(review.scores.values_list("criterion__code", flat=True)) == [
        "design", "evaluation", "matching", "support", "training"]
    assert not review.scores.filter(score__isnull=False).exists()


def test_no_more_reviewers_than_required(application, reviewers):
    for reviewer in reviewers:
        services.review_assign(application=application, reviewer=reviewer, actor=reviewer)
    third = ReviewerFactory()

    with pytest.raises(ValidationError, match="already has its 2 reviewers"):
        services.review_assign(application=application, reviewer=third, actor=third)


def test_the_number_of_reviewers_is_a_setting_fixed_when_the_review_starts(settings, org, owner, reviewer):
    settings.ORGANIZATIONS_REVIEWERS_PER_APPLICATION = 1
    application = factories.under_review(org, owner)
    settings.ORGANIZATIONS_REVIEWERS_PER_APPLICATION = 3

    factories.reviewed(application, [reviewer])

    assert application.reviews_required == 1
    assert application.reviews_completed_at is not None


def test_a_reviewer_on_the_organizations_staff_cannot_review_it(application, org):
    insider = ReviewerFactory()
    factories.staff_add(org, role="coordinator", user=insider)

    with pytest.raises(ValidationError, match="staff of the same organization"):
        services.review_assign(application=application, reviewer=insider, actor=insider)


def test_only_committee_members_assign_and_are_assigned(application, owner, reviewer):
    with pytest.raises(PermissionDenied):
        services.review_assign(application=application, reviewer=reviewer, actor=owner)
    with pytest.raises(ValidationError, match="not a committee reviewer"):
        services.review_assign(application=application, reviewer=ApplicantFactory(), actor=reviewer)


def test_an_application_awaiting_its_fee_cannot_be_reviewed(org, owner, reviewer):
    application = factories.draft(org, owner)
    services.application_submit(application=application, actor=owner)

    with pytest.raises(ValidationError, match="not under review"):
        services.review_assign(application=application, reviewer=reviewer, actor=reviewer)


# ---- scoring, blind ------------------------------------------------------------------------------------


def test_scores_must_be_0_to_4_and_all_given_before_submitting(application, reviewer):
    review = services.review_assign(application=application, reviewer=reviewer, actor=reviewer)
    first = review.scores.first()

    with pytest.raises(ValidationError, match="from 0 to 4"):
        services.review_save(review=review, actor=reviewer, scores={first.criterion_id: (5, "")})
    services.review_save(review=review, actor=reviewer, scores={first.criterion_id: (4, "Great design.")})
    with pytest.raises(ValidationError, match="Score every standard"):
        services.review_save(review=review, actor=reviewer, scores={}, submit=True)

    first.refresh_from_db()
    assert (first.score, first.comment) == (4, "Great design.")
    assert Review.objects.get(pk=review.pk).submitted_at is None


def test_only_the_assigned_reviewer_scores_and_a_submitted_review_is_final(application, reviewers):
    first, second = reviewers
    review = services.review_assign(application=application, reviewer=first, actor=first)

    with pytest.raises(ValidationError, match="Only the assigned reviewer"):
        services.review_save(review=review, actor=second, scores=_scores(review))
    services.review_save(review=review, actor=first, scores=_scores(review), submit=True)
    with pytest.raises(ValidationError, match="can no longer be changed"):
        services.review_save(review=review, actor=first, scores=_scores(review, 0))


def test_the_second_reviewer_is_blind_to_the_first_until_both_have_scored(application, reviewers):
    first, second = reviewers
    first_review = services.review_assign(application=application, reviewer=first, actor=first)
    services.review_save(review=first_review, actor=first, scores=_scores(first_review, 4, "first's view"), submit=True)
    second_review = services.review_assign(application=application, reviewer=second, actor=second)

    assert list(selectors.reviews_visible_to(second)) == [second_review]
    assert not selectors.scores_visible_to(second).filter(review=first_review).exists()
    assert list(selectors.reviews_visible_to(first)) == [first_review]

    services.review_save(review=second_review, actor=second, scores=_scores(second_review, 2), submit=True)

    assert set(selectors.reviews_visible_to(second)) == {first_review, second_review}
    assert set(selectors.reviews_visible_to(first)) == {first_review, second_review}
    assert OutboxMessage.objects.filter(key=f"organizations:reviews-complete:{application.pk}").count() == 1


def test_the_admin_hides_the_first_reviewers_scores_from_the_second(client, application, reviewers):
    first, second = reviewers
    first_review = services.review_assign(application=application, reviewer=first, actor=first)
    services.review_save(review=first_review, actor=first, scores=_scores(first_review, 4, "SECRET-FIRST-COMMENT"),
                         summary="SECRET-FIRST-SUMMARY", submit=True)
    second_review = services.review_assign(application=application, reviewer=second, actor=second)
    client.force_login(second)

    changelist = client.get(reverse("admin:organizations_review_changelist"))
    first_page = client.get(reverse("admin:organizations_review_change", args=[first_review.pk]))
    first_scoring = client.get(reverse("admin:organizations_review_score", args=[first_review.pk]))
    application_page = client.get(reverse("admin:organizations_programmeapplication_change", args=[application.pk]))
    own_scoring = client.get(reverse("admin:organizations_review_score", args=[second_review.pk]))

    assert changelist.status_code == 200
    assert list(changelist.context["cl"].result_list) == [second_review]
    assert first_page.status_code == 302  # the admin's "does not exist" for a row outside the queryset
    assert first_scoring.status_code == 403
    body = application_page.content.decode()
    assert application_page.status_code == 200
    assert "SECRET-FIRST-COMMENT" not in body and "SECRET-FIRST-SUMMARY" not in body
    assert "1 other review is hidden" in body
    assert own_scoring.status_code == 200
    assert "SECRET-FIRST-COMMENT" not in own_scoring.content.decode()

    client.post(reverse("admin:organizations_review_score", args=[second_review.pk]), {
        **{f"score_{row.criterion_id}": "2" for row in second_review.scores.all()}, "_submit": "1",
    })

    opened = client.get(reverse("admin:organizations_programmeapplication_change", args=[application.pk]))
    assert "SECRET-FIRST-COMMENT" in opened.content.decode()
    assert "SECRET-FIRST-SUMMARY" in opened.content.decode()
    assert client.get(reverse("admin:organizations_review_change", args=[first_review.pk])).status_code == 200


def test_the_scoring_form_saves_without_submitting(client, application, reviewer):
    review = services.review_assign(application=application, reviewer=reviewer, actor=reviewer)
    design = review.scores.get(criterion__code="design")
    client.force_login(reviewer)

    response = client.post(reverse("admin:organizations_review_score", args=[review.pk]), {
        f"score_{design.criterion_id}": "1", f"comment_{design.criterion_id}": "Vague goals.", "_save": "1",
    })

    design.refresh_from_db()
    assert response.status_code == 302
    assert (design.score, design.comment) == (1, "Vague goals.")
    assert Review.objects.get(pk=review.pk).submitted_at is None


# ---- the decision ---------------------------------------------------------------------------------------


def test_no_decision_before_every_review_is_in(application, reviewers):
    factories.reviewed(application, reviewers[:1])

    with pytest.raises(ValidationError, match="Wait for all 2 reviews"):
        services.application_decide(application=application, actor=reviewers[0], decision="accredited", reasons="")


def test_only_a_committee_member_decides(application, reviewers, owner):
    factories.reviewed(application, reviewers)

    with pytest.raises(PermissionDenied):
        services.application_decide(application=application, actor=owner, decision="accredited", reasons="")


def test_a_rejection_needs_reasons_and_ends_the_application(application, reviewers):
    factories.reviewed(application, reviewers)

    with pytest.raises(ValidationError, match="Give the reasons"):
        services.application_decide(application=application, actor=reviewers[0], decision="rejected", reasons=" ")
    services.application_decide(application=application, actor=reviewers[0], decision="rejected",
                                reasons="No supervision of mentors.")

    application.refresh_from_db()
    assert application.status == ApplicationStatus.REJECTED
    assert application.valid_from is None and not application.certificate_number
    message = OutboxMessage.objects.get(key=f"organizations:decided:{application.pk}")
    assert "No supervision of mentors." in message.body_text


@pytest.mark.parametrize(("conditions", "error"), [
    ([], "at least one condition"),
    ([("Train two more mentors.", None)], "due date after today"),
    ([("Train two more mentors.", datetime.date(2000, 1, 1))], "due date after today"),
])
def test_conditions_need_a_future_due_date(application, reviewers, conditions, error):
    factories.reviewed(application, reviewers)

    with pytest.raises(ValidationError, match=error):
        services.application_decide(application=application, actor=reviewers[0], decision="conditional",
                                    reasons="Almost there.", conditions=conditions)


def test_accrediting_issues_a_certificate_valid_five_years_that_verifies(client, application, reviewers):
    factories.reviewed(application, reviewers)

    services.application_decide(application=application, actor=reviewers[0], decision="accredited",
                                reasons="Meets every standard.")

    application.refresh_from_db()
    today = timezone.localdate()
    assert application.status == ApplicationStatus.ACCREDITED
    assert application.valid_from == today
    assert application.valid_until == today.replace(year=today.year + 5) - datetime.timedelta(days=1)
    assert application.certificate_number.startswith("IPMA-")
    page = client.get(f"/verify/{application.certificate_number}/")
    assert page.status_code == 200
    assert application.programme.name in page.content.decode()


def test_accredited_with_conditions_the_organization_answers_in_the_portal(client, application, reviewers, contact):
    factories.reviewed(application, reviewers)
    due = factories.soon(60)
    services.application_decide(application=application, actor=reviewers[0], decision="conditional",
                                reasons="Evaluation is thin.", conditions=[("Send the first evaluation report.", due)])
    condition = application.conditions.get()
    client.force_login(contact)

    page = client.get(reverse("organizations:application_detail", args=[application.pk]))
    response = client.post(reverse("organizations:condition_answer", args=[condition.pk]),
                           {"response": "Attached the autumn evaluation."})

    condition.refresh_from_db()
    assert "Send the first evaluation report." in page.content.decode()
    assert response.status_code == 302
    assert condition.status == ConditionStatus.ANSWERED
    assert condition.responded_by == contact
    assert OutboxMessage.objects.filter(key__startswith=f"organizations:condition-answered:{condition.pk}").exists()


def test_returning_an_answer_reopens_the_condition_and_accepting_all_makes_the_accreditation_full(
    application, reviewers, owner
):
    factories.reviewed(application, reviewers)
    services.application_decide(
        application=application, actor=reviewers[0], decision="conditional", reasons="Two gaps.",
        conditions=[("Name a supervisor.", factories.soon(30)), ("Adopt the code of ethics.", factories.soon(60))],
    )
    first, second = application.conditions.order_by("due_on")
    services.condition_answer(condition=first, actor=owner, response="Maria supervises.")

    with pytest.raises(ValidationError, match="what is still missing"):
        services.condition_review(condition=first, actor=reviewers[1], accept=False, note="")
    services.condition_review(condition=first, actor=reviewers[1], accept=False, note="Name and hours, please.")
    assert Condition.objects.get(pk=first.pk).status == ConditionStatus.OPEN

    services.condition_answer(condition=first, actor=owner, response="Maria, four hours a month.")
    services.condition_review(condition=first, actor=reviewers[1], accept=True)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.CONDITIONAL

    services.condition_answer(condition=second, actor=owner, response="Adopted on 1 May.")
    services.condition_review(condition=second, actor=reviewers[1], accept=True)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.ACCREDITED
    assert list(application.events.values_list("action", flat=True))[-1] == "conditions_met"


def test_the_decision_page_records_conditions_from_the_admin(client, application, reviewers):
    factories.reviewed(application, reviewers)
    client.force_login(reviewers[0])
    due = factories.soon(45).isoformat()

    response = client.post(reverse("admin:organizations_programmeapplication_decide", args=[application.pk, "decide"]), {
        "decision": "conditional", "note": "Supervision is informal.",
        "conditions-TOTAL_FORMS": "3", "conditions-INITIAL_FORMS": "0",
        "conditions-MIN_NUM_FORMS": "0", "conditions-MAX_NUM_FORMS": "10",
        "conditions-0-text": "Write down the supervision plan.", "conditions-0-due_on": due,
        "conditions-1-text": "", "conditions-1-due_on": "",
        "conditions-2-text": "", "conditions-2-due_on": "",
    })

    application.refresh_from_db()
    assert response.status_code == 302
    assert application.status == ApplicationStatus.CONDITIONAL
    assert list(application.conditions.values_list("text", flat=True)) == ["Write down the supervision plan."]


def test_the_decision_page_is_for_deciders_only(client, application, reviewers):
    from allauth.mfa.totp.internal.auth import TOTP

    from tests.conftest import TOTP_SECRET

    factories.reviewed(application, reviewers)
    staff_without_the_permission = ApplicantFactory(is_staff=True)
    TOTP.activate(staff_without_the_permission, TOTP_SECRET)
    client.force_login(staff_without_the_permission)

    page = client.get(reverse("admin:organizations_programmeapplication_decide", args=[application.pk, "decide"]))
    post = client.post(reverse("admin:organizations_programmeapplication_decide", args=[application.pk, "decide"]),
                       {"decision": "accredited", "note": "x"})

    assert page.status_code == post.status_code == 403
    application.refresh_from_db()
    assert application.status == ApplicationStatus.UNDER_REVIEW
