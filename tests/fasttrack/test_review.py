"""The committee's review in the admin: criteria beside their proofs, screening per group, decisions, history."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from fasttrack.models import FastTrackApplication, FastTrackEvent
from fasttrack.services import (
    application_accept,
    application_reject,
    application_request_information,
    application_screen,
    application_submit,
)
from notifications.models import OutboxMessage
from tests.fasttrack.factories import ALL_GROUPS_MET, ApplicationFactory

pytestmark = pytest.mark.django_db
Status = FastTrackApplication.Status


@pytest.fixture
def submitted():
    application = ApplicationFactory(claims=ALL_GROUPS_MET)
    application_submit(application=application, actor=application.applicant)
    return application


def screen_all(application, reviewer, decision="met"):
    application_screen(application=application, actor=reviewer,
                       decisions={"hard": decision, "experience": decision, "professional": decision})


ALLOWED = {
    (Status.DRAFT, Status.SUBMITTED), (Status.DRAFT, Status.WITHDRAWN),
    (Status.SUBMITTED, Status.ACCEPTED), (Status.SUBMITTED, Status.REJECTED),
    (Status.SUBMITTED, Status.INFORMATION_REQUESTED),
    (Status.INFORMATION_REQUESTED, Status.SUBMITTED), (Status.INFORMATION_REQUESTED, Status.WITHDRAWN),
}


@pytest.mark.parametrize("from_status", Status.values)
@pytest.mark.parametrize("to_status", Status.values)
def test_transition_table(from_status, to_status):
    assert FastTrackApplication(status=from_status).can_transition(to_status) == ((from_status, to_status) in ALLOWED)


@pytest.mark.parametrize("decide", [
    lambda a, r: application_accept(application=a, actor=r),
    lambda a, r: application_reject(application=a, actor=r, reasons="No proof of the degree"),
    lambda a, r: application_request_information(application=a, actor=r, message="More please"),
])
@pytest.mark.parametrize("status", [Status.DRAFT, Status.ACCEPTED, Status.REJECTED, Status.WITHDRAWN])
def test_decisions_refused_outside_submitted(decide, status, reviewer):
    application = ApplicationFactory(status=status, screening_hard="met", screening_experience="met",
                                     screening_professional="met")

    with pytest.raises(ValidationError, match="cannot become"):
        decide(application, reviewer)
    assert not FastTrackEvent.objects.filter(application=application).exists()


def test_accept_needs_every_group_screened_as_met(submitted, reviewer):
    application_screen(application=submitted, actor=reviewer, decisions={"hard": "met", "experience": "met"})

    with pytest.raises(ValidationError, match="Professional"):
        application_accept(application=submitted, actor=reviewer)

    application_screen(application=submitted, actor=reviewer, decisions={"professional": "met"})
    application_accept(application=submitted, actor=reviewer, note="Welcome")
    submitted.refresh_from_db()
    assert submitted.status == Status.ACCEPTED and submitted.decided_at
    assert OutboxMessage.objects.filter(key__startswith=f"fasttrack:accepted:{submitted.pk}:").count() == 1


def test_screening_is_recorded_as_an_event(submitted, reviewer):
    application_screen(application=submitted, actor=reviewer, decisions={"hard": "not_met"})

    event = submitted.events.last()
    assert event.actor == reviewer and "Hard requirements" in event.note and "Not met" in event.note
    application_screen(application=submitted, actor=reviewer, decisions={"hard": "not_met"})  # no change, no event
    assert submitted.events.count() == 2


def test_reject_needs_reasons_and_sends_them(submitted, reviewer):
    with pytest.raises(ValidationError, match="reasons"):
        application_reject(application=submitted, actor=reviewer, reasons=" ")

    application_reject(application=submitted, actor=reviewer, reasons="The degree is a bachelor's.")

    message = OutboxMessage.objects.get(key__startswith=f"fasttrack:rejected:{submitted.pk}:")
    assert "The degree is a bachelor's." in message.body_text


def test_request_for_information_needs_a_message(submitted, reviewer):
    with pytest.raises(ValidationError, match="Say what"):
        application_request_information(application=submitted, actor=reviewer, message="")


def test_admin_shows_criteria_beside_proofs_and_the_history(client, reviewer, submitted):
    client.force_login(reviewer)

    page = client.get(reverse("admin:fasttrack_fasttrackapplication_change", args=[submitted.pk])).content.decode()

    assert "Master&#x27;s degree or higher" in page
    proof = submitted.claims.get(criterion="masters_degree").proofs.get()
    assert reverse("fasttrack:proof_download", args=[proof.pk]) in page
    assert reverse("fasttrack:cv_download", args=[submitted.pk]) in page
    assert "(no proof needed)" in page  # the ethics commitment
    assert reverse("admin:fasttrack_fasttrackapplication_decide", args=[submitted.pk, "accept"]) in page
    assert "History" in page or "history" in page


def change_form_data(response, **fields) -> dict:
    """What the admin change form posts: the inlines' management forms and the given fields."""
    data = {}
    for inline in response.context["inline_admin_formsets"]:
        management = inline.formset.management_form
        data |= {management.add_prefix(name): value for name, value in management.initial.items()}
    return data | fields


def test_reviewer_screens_and_decides_in_the_admin(client, reviewer, submitted):
    client.force_login(reviewer)
    change_url = reverse("admin:fasttrack_fasttrackapplication_change", args=[submitted.pk])

    response = client.post(change_url, change_form_data(
        client.get(change_url), screening_hard="met", screening_experience="met", screening_professional="met"))
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.screening() == {"hard": "met", "experience": "met", "professional": "met"}
    assert submitted.events.filter(actor=reviewer, note__startswith="Screening").exists()

    response = client.post(reverse("admin:fasttrack_fasttrackapplication_decide", args=[submitted.pk, "accept"]),
                           {"note": ""})
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == Status.ACCEPTED


def test_rejection_without_reasons_is_shown_back_in_the_admin(client, reviewer, submitted):
    client.force_login(reviewer)

    response = client.post(reverse("admin:fasttrack_fasttrackapplication_decide", args=[submitted.pk, "reject"]),
                           {"note": ""})

    assert response.status_code == 200 and "Give the reasons" in response.content.decode()
    assert FastTrackApplication.objects.get(pk=submitted.pk).status == Status.SUBMITTED


def test_staff_without_the_decision_permission_cannot_decide(client, submitted, user_factory):
    from allauth.mfa.totp.internal.auth import TOTP

    from tests.conftest import TOTP_SECRET

    clerk = user_factory(is_staff=True)
    TOTP.activate(clerk, TOTP_SECRET)
    client.force_login(clerk)

    assert client.post(reverse("admin:fasttrack_fasttrackapplication_decide", args=[submitted.pk, "accept"])
                       ).status_code == 403


@pytest.mark.parametrize("rows", [3, 30])
def test_admin_list_queries_do_not_grow_with_rows(rows, client, reviewer, django_assert_max_num_queries):
    for application in ApplicationFactory.create_batch(rows):
        application_submit(application=application, actor=application.applicant)
    client.force_login(reviewer)
    client.get(reverse("admin:fasttrack_fasttrackapplication_changelist"))

    with django_assert_max_num_queries(12):
        assert client.get(reverse("admin:fasttrack_fasttrackapplication_changelist")).status_code == 200


def test_saving_a_decided_application_in_the_admin_changes_nothing(client, reviewer):
    application = ApplicationFactory(status=Status.ACCEPTED, screening_hard="met", screening_experience="met",
                                     screening_professional="met")
    client.force_login(reviewer)
    change_url = reverse("admin:fasttrack_fasttrackapplication_change", args=[application.pk])

    response = client.post(change_url, change_form_data(client.get(change_url), screening_hard="not_met"))

    assert response.status_code == 302
    application.refresh_from_db()
    assert application.screening_hard == "met" and not application.events.exists()
