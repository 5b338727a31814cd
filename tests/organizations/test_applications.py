"""The organization's side of programme accreditation: registering, staff, drafts, mentors, documents, submitting."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, transaction
from django.urls import reverse
from django.utils import timezone

from notifications.models import OutboxMessage
from notifications.services import outbox_message_bodies
from organizations import services
from organizations.models import (
    TRANSITIONS,
    AccreditedMentor,
    ApplicationEvent,
    ApplicationStatus,
    DocumentKind,
    OrganizationStaff,
    ProgrammeApplication,
)
from organizations.staff import CONTACT, OWNER, organization_staff
from tests.documents.samples import upload
from tests.factories import UserFactory
from tests.organizations import factories
from workflows.models import InvalidTransition
from workflows.services import transition

pytestmark = pytest.mark.django_db


# ---- organizations and their staff ------------------------------------------------------------------------


def test_registering_an_organization_makes_the_registrant_its_owner(client):
    user = UserFactory()
    client.force_login(user)

    response = client.post(reverse("organizations:register"), {
        "legal_name": "Stichting Mentor NL", "sector": "nonprofit", "country": "NL", "city": "Utrecht",
        "website": "https://mentor.example.nl",
    })

    membership = OrganizationStaff.objects.get(user=user)
    assert response.status_code == 302
    assert membership.role == OWNER
    assert membership.organisation.legal_name == "Stichting Mentor NL"
    assert user.groups.filter(name="Organization staff").exists()


def test_owner_invites_a_contact_who_joins_through_the_shared_invitation_link(client, org, owner):
    client.force_login(owner)

    # The link is signed with the time: frozen, the link worked out below is the one mailed, whatever the clock does.
    with time_machine.travel(timezone.now(), tick=False):
        client.post(reverse("organizations:staff", args=[org.pk]), {"email": "Helper@Example.org", "role": CONTACT})
        invitation = org.staff_invitations.get()
        accept_url = organization_staff.accept_url(invitation)
    message = OutboxMessage.objects.get(to=["helper@example.org"])
    body = outbox_message_bodies(message)[0]
    assert accept_url in body and accept_url not in message.body_text  # readable by the recipient only
    assert "as a contact" in body
    newcomer = UserFactory(email="helper@example.org")
    client.force_login(newcomer)
    response = client.post(accept_url)
    assert response.status_code == 302
    assert organization_staff.role_of(user=newcomer, organisation=org) == CONTACT


def test_invitation_page_names_the_organizations_own_role(client, org, owner):
    client.force_login(owner)
    client.post(reverse("organizations:staff", args=[org.pk]), {"email": "helper@example.org", "role": CONTACT})
    accept_url = organization_staff.accept_url(org.staff_invitations.get())
    client.force_login(UserFactory(email="helper@example.org"))

    page = client.get(accept_url).content.decode()

    assert "as Contact." in page
    assert "Coordinator" not in page


def test_the_shared_staff_page_uses_the_organizations_own_role_names(client, org, owner, contact):
    client.force_login(owner)

    page = client.get(reverse("organizations:staff", args=[org.pk])).content.decode()

    assert "Contact" in page
    assert "Coordinator" not in page


def test_a_contact_cannot_invite_or_remove_staff(client, org, owner, contact):
    client.force_login(contact)

    invite = client.post(reverse("organizations:staff", args=[org.pk]), {"email": "x@example.org", "role": OWNER})
    remove = client.post(reverse("organizations:staff_remove", args=[org.staff.get(user=owner).pk]))

    assert invite.status_code == 403 and remove.status_code == 403
    assert not org.staff_invitations.exists()
    assert org.staff.count() == 2


def test_the_owner_removes_a_contact_but_never_the_last_owner(client, org, owner, contact):
    client.force_login(owner)

    client.post(reverse("organizations:staff_remove", args=[org.staff.get(user=contact).pk]))
    with pytest.raises(ValidationError, match="last owner"):
        organization_staff.member_remove(membership=org.staff.get(user=owner), actor=owner)

    assert list(org.staff.values_list("user", flat=True)) == [owner.pk]


# ---- drafts ----------------------------------------------------------------------------------------------


def test_the_draft_form_saves_partial_answers(client, org, contact):
    application = factories.draft(org, contact, complete=False)
    client.force_login(contact)

    response = client.post(reverse("organizations:application_edit", args=[application.pk]), {
        "programme_name": "New Teachers Mentoring", "programme_description": "Mentoring for new teachers.",
        "purpose": "Keep new teachers.", "audiences": ["new_staff", "youth"], "mentors_count": "5",
    })

    application.refresh_from_db()
    assert response.status_code == 302
    assert application.status == ApplicationStatus.DRAFT
    assert application.purpose == "Keep new teachers."
    assert application.audiences == ["new_staff", "youth"]
    assert application.mentors_count == 5 and application.mentees_count is None
    assert application.programme.name == "New Teachers Mentoring"


def test_a_programme_name_is_unique_within_its_organization(org, owner):
    factories.draft(org, owner, name="Peer Mentoring")

    with pytest.raises(ValidationError, match="already has a programme"):
        services.programme_application_start(organization=org, actor=owner, name="peer mentoring")


def test_someone_outside_the_organization_cannot_start_or_change_a_draft(org, owner):
    outsider = UserFactory()
    application = factories.draft(org, owner)

    with pytest.raises(PermissionDenied):
        services.programme_application_start(organization=org, actor=outsider, name="Mine")
    with pytest.raises(PermissionDenied):
        services.application_update(application=application, actor=outsider, purpose="Taken over")


def test_documents_are_checked_by_content_and_served_only_to_staff_and_reviewers(client, org, owner, reviewer):
    application = factories.draft(org, owner, complete=False)
    client.force_login(owner)

    refused = client.post(reverse("organizations:document_add", args=[application.pk]),
                          {"kind": "other", "file": upload("pdf", name="fake.png")})
    accepted = client.post(reverse("organizations:document_add", args=[application.pk]),
                           {"kind": "evaluation", "file": upload("pdf", name="evaluation.pdf")})

    document = application.documents.get()
    assert refused.status_code == 400 and accepted.status_code == 302
    assert document.original_name == "evaluation.pdf" and document.content_kind == "pdf"
    assert "evaluation.pdf" not in document.file.name
    download = client.get(reverse("organizations:document_download", args=[document.pk]))
    assert download.status_code == 200
    assert download["Cache-Control"] == "private, no-store"
    client.force_login(reviewer)
    assert client.get(reverse("organizations:document_download", args=[document.pk])).status_code == 200
    client.force_login(UserFactory())
    assert client.get(reverse("organizations:document_download", args=[document.pk])).status_code == 404


def test_a_refused_upload_is_shown_at_its_field_with_the_page_around_it(client, org, owner):
    application = factories.draft(org, owner, complete=False)
    client.force_login(owner)

    refused = client.post(reverse("organizations:document_add", args=[application.pk]),
                          {"kind": "other", "file": upload("pdf", name="fake.png")})

    form = refused.context["document_form"]
    assert refused.status_code == 400 and form.errors["file"] and not application.documents.exists()
    assert "is-invalid" in refused.content.decode() and refused.context["application"] == application


def test_a_mentor_invited_twice_is_refused_at_the_address(client, org, owner):
    application = factories.draft(org, owner, complete=False)
    client.force_login(owner)
    path = reverse("organizations:mentor_add", args=[application.pk])
    client.post(path, {"email": "bo@example.org"})

    again = client.post(path, {"email": "Bo@example.org"})

    assert again.status_code == 400 and "bo@example.org is already invited." in again.context["mentor_form"].errors[
        "email"]
    assert application.mentors.count() == 1


def test_a_mentor_address_that_is_not_one_is_refused_at_the_field(client, org, owner):
    application = factories.draft(org, owner, complete=False)
    client.force_login(owner)

    refused = client.post(reverse("organizations:mentor_add", args=[application.pk]), {"email": "not an address"})

    assert refused.status_code == 400 and refused.context["mentor_form"].errors["email"]
    assert not application.mentors.exists()


# ---- mentors and their certificates ------------------------------------------------------------------------


def test_inviting_a_mentor_shows_nothing_but_the_address_until_they_accept(org, owner, mentor_certificate):
    application = factories.draft(org, owner)
    certificate = mentor_certificate(level_code="PM", legal_name="Ana Lima")

    mentor = services.mentor_invite(application=application, actor=owner, email=certificate.holder.email.upper())

    assert (mentor.email, mentor.full_name, mentor.certificate_number, mentor.user) == (
        certificate.holder.email.lower(), "", "", None)
    message = OutboxMessage.objects.get(key=f"organizations:mentor-invited:{mentor.pk}")
    assert message.sensitive and message.to == [certificate.holder.email.lower()]


def test_an_accepting_mentor_names_their_certificate_and_it_is_checked(org, owner, mentor_certificate):
    application = factories.draft(org, owner)
    certificate = mentor_certificate(level_code="PM", legal_name="Ana Lima")
    mentor = services.mentor_invite(application=application, actor=owner, email=certificate.holder.email)

    mentor = services.mentor_accept(mentor=mentor, user=certificate.holder, certificate_number=certificate.number)

    assert mentor.is_accepted and mentor.user == certificate.holder
    assert mentor.check_result == AccreditedMentor.Check.VALID
    assert (mentor.full_name, mentor.certificate_number, mentor.certificate_level) == (
        "Ana Lima", certificate.number, "Professional Mentor")


def test_another_account_cannot_accept_a_mentor_invitation(org, owner, mentor_certificate):
    application = factories.draft(org, owner)
    invited = mentor_certificate(level_code="PM")
    other = mentor_certificate(level_code="AM")
    mentor = services.mentor_invite(application=application, actor=owner, email=invited.holder.email)

    with pytest.raises(ValidationError, match="another address"):
        services.mentor_accept(mentor=mentor, user=other.holder, certificate_number=other.number)

    mentor.refresh_from_db()
    assert not mentor.is_accepted and mentor.certificate_number == ""


def test_a_mentor_can_name_only_their_own_certificate(org, owner, mentor_certificate):
    application = factories.draft(org, owner)
    invited = mentor_certificate(level_code="PM")
    someone_elses = mentor_certificate(level_code="SM")
    mentor = services.mentor_invite(application=application, actor=owner, email=invited.holder.email)

    with pytest.raises(ValidationError, match="your valid certificates"):
        services.mentor_accept(mentor=mentor, user=invited.holder, certificate_number=someone_elses.number)


def test_guessing_certificate_numbers_on_the_organization_pages_yields_no_name(client, org, owner,
                                                                              mentor_certificate):
    application = factories.draft(org, owner)
    certificates = [mentor_certificate(level_code="PM", legal_name=f"Hidden Holder {i}") for i in range(3)]
    client.force_login(owner)

    for certificate in certificates:
        client.post(reverse("organizations:mentor_add", args=[application.pk]),
                    {"full_name": "x", "certificate_number": certificate.number}, follow=True)
        client.post(reverse("organizations:mentor_add", args=[application.pk]),
                    {"email": certificate.number}, follow=True)
    page = client.get(reverse("organizations:application_detail", args=[application.pk])).content.decode()

    assert not application.mentors.exists()
    assert "Hidden Holder" not in page
    assert not any(certificate.number in page for certificate in certificates)


def test_the_invited_mentor_accepts_from_the_dashboard(client, org, owner, mentor_certificate):
    application = factories.draft(org, owner)
    certificate = mentor_certificate(level_code="PM", legal_name="Ana Lima")
    mentor = services.mentor_invite(application=application, actor=owner, email=certificate.holder.email)
    client.force_login(certificate.holder)
    assert reverse("organizations:mentor_accept", args=[mentor.pk]) in client.get(
        reverse("applicants:dashboard")).content.decode()

    response = client.post(reverse("organizations:mentor_accept", args=[mentor.pk]),
                           {"certificate_number": certificate.number})

    assert response.status_code == 302
    client.force_login(owner)
    page = client.get(reverse("organizations:application_detail", args=[application.pk])).content.decode()
    assert "Ana Lima" in page and certificate.number in page


def test_a_stranger_cannot_open_someone_elses_mentor_invitation(client, org, owner, mentor_certificate):
    application = factories.draft(org, owner)
    invited = mentor_certificate(level_code="PM")
    mentor = services.mentor_invite(application=application, actor=owner, email=invited.holder.email)
    client.force_login(mentor_certificate(level_code="AM").holder)

    assert client.get(reverse("organizations:mentor_accept", args=[mentor.pk])).status_code == 404


def test_a_revoked_certificate_is_listed_as_not_valid_and_rechecked_at_submission(org, owner, reviewer,
                                                                                   mentor_certificate):
    from certificates.services import certificate_revoke

    certificate = mentor_certificate(level_code="AM")
    application = factories.draft(org, owner, mentors=[certificate])
    mentor = application.mentors.get()
    assert mentor.check_result == AccreditedMentor.Check.VALID

    certificate_revoke(certificate=certificate, actor=reviewer, reason="Misconduct.")
    services.application_submit(application=application, actor=owner)

    mentor.refresh_from_db()
    assert mentor.check_result == AccreditedMentor.Check.NOT_VALID


# ---- submitting ----------------------------------------------------------------------------------------


def test_an_incomplete_draft_is_refused_with_what_is_missing(org, owner):
    application = factories.draft(org, owner, complete=False)

    with pytest.raises(ValidationError) as refused:
        services.application_submit(application=application, actor=owner)

    assert "how mentors and mentees are matched" in str(refused.value)
    assert "code of ethics" in str(refused.value)
    assert "supporting document" in str(refused.value)
    assert ProgrammeApplication.objects.get(pk=application.pk).status == ApplicationStatus.DRAFT


def test_only_an_owner_submits(client, org, owner, contact):
    application = factories.draft(org, owner)
    client.force_login(contact)

    response = client.post(reverse("organizations:application_submit", args=[application.pk]))

    assert response.status_code == 403
    assert ProgrammeApplication.objects.get(pk=application.pk).status == ApplicationStatus.DRAFT


def test_submitting_raises_the_fee_invoice_from_the_fee_schedule(org, owner):
    from payments.selectors import invoice_for

    application = factories.draft(org, owner)

    services.application_submit(application=application, actor=owner)

    application.refresh_from_db()
    invoice = invoice_for(kind="programme_accreditation", reference=application.payment_reference)
    assert application.status == ApplicationStatus.SUBMITTED
    assert invoice.payer == owner
    assert str(invoice.amount) == "1000.00"  # PAYMENTS_PROGRAMME_ACCREDITATION_FEE's stated default
    assert OutboxMessage.objects.filter(key=f"organizations:submitted:{application.pk}").exists()


def test_paying_the_fee_starts_the_review_once(org, owner, reviewer, django_capture_on_commit_callbacks):
    from payments.selectors import invoice_for
    from payments.services import bank_transfer_confirm, invoice_paid_announce

    application = factories.draft(org, owner)
    services.application_submit(application=application, actor=owner)
    invoice = invoice_for(kind="programme_accreditation", reference=application.payment_reference)

    with django_capture_on_commit_callbacks(execute=True):
        bank_transfer_confirm(invoice=invoice, actor=reviewer, bank_reference="TRX-1")
    invoice.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        invoice_paid_announce(invoice=invoice)  # a listener called twice changes nothing more

    application.refresh_from_db()
    assert application.status == ApplicationStatus.UNDER_REVIEW
    assert application.reviews_required == 2
    assert application.events.filter(action="review_started").count() == 1


def test_withdrawing_before_payment_voids_the_invoice(org, owner):
    from payments.selectors import invoice_for

    application = factories.draft(org, owner)
    services.application_submit(application=application, actor=owner)

    services.application_withdraw(application=application, actor=owner)

    invoice = invoice_for(kind="programme_accreditation", reference=application.payment_reference)
    assert ProgrammeApplication.objects.get(pk=application.pk).status == ApplicationStatus.WITHDRAWN
    assert invoice.status == "void"


def test_a_submitted_application_can_no_longer_be_changed(org, owner):
    application = factories.draft(org, owner)
    services.application_submit(application=application, actor=owner)

    with pytest.raises(ValidationError, match="Only a draft"):
        services.application_update(application=application, actor=owner, purpose="Changed after submitting")
    with pytest.raises(ValidationError, match="Only a draft"):
        services.document_add(application=application, actor=owner, kind=DocumentKind.OTHER, file=upload("pdf"))


# ---- the state machine -------------------------------------------------------------------------------------


@pytest.mark.parametrize("source", list(ApplicationStatus))
def test_every_move_outside_the_transitions_table_is_refused(org, owner, source):
    application = factories.draft(org, owner)
    today = datetime.date.today()
    ProgrammeApplication.objects.filter(pk=application.pk).update(
        status=source, valid_from=today, valid_until=today, decision_reasons="Reasons.")
    application.refresh_from_db()

    for target in set(ApplicationStatus) - set(TRANSITIONS[source]):
        with pytest.raises(InvalidTransition):
            transition(application, target, actor=owner, action="submitted")
        assert application.status == source


def test_every_transition_writes_an_event_that_cannot_be_changed(org, owner):
    application = factories.under_review(org, owner)

    events = list(application.events.values_list("action", "from_status", "to_status"))
    assert events == [("created", "draft", "draft"), ("submitted", "draft", "submitted"),
                      ("review_started", "submitted", "under_review")]
    event = application.events.first()
    with pytest.raises(DatabaseError, match="immutable"), transaction.atomic():
        ApplicationEvent.objects.filter(pk=event.pk).update(note="rewritten")
    with pytest.raises(DatabaseError, match="immutable"), transaction.atomic():
        ApplicationEvent.objects.filter(pk=event.pk).delete()


def test_a_deleted_account_keeps_its_name_in_the_history(org, owner, contact):
    application = services.programme_application_start(organization=org, actor=contact, name="Named Programme")
    event = application.events.get()

    contact.delete()

    event.refresh_from_db()
    assert event.actor_id is None
    assert event.actor_name == (f"{contact.full_name} <{contact.email}>" if contact.full_name else contact.email)
    assert event.by == event.actor_name


def test_a_move_outside_the_table_says_which_status_refused_it(org, owner):
    application = factories.draft(org, owner)

    with pytest.raises(InvalidTransition, match="Draft.*cannot become.*Accredited"):
        application.check_transition(ApplicationStatus.ACCREDITED)

    assert not application.can_transition(ApplicationStatus.ACCREDITED)
    assert application.can_transition(ApplicationStatus.SUBMITTED)


def test_the_dashboard_shows_the_users_organizations_and_programmes(client, org, owner):
    application = factories.draft(org, owner, name="Dashboard Programme")
    client.force_login(owner)

    page = client.get(reverse("applicants:dashboard")).content.decode()

    assert org.legal_name in page and "Dashboard Programme" in page
    assert application.get_status_display() in page
    assert reverse("organizations:listing_edit") in page
