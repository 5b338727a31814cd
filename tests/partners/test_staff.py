"""The shared staff mechanism, as the QTSPs use it: roles, invitations by email, linking on sign-up."""

import re

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from applicants.roles import QTSP_STAFF
from notifications.models import OutboxMessage
from notifications.services import outbox_message_bodies
from partners.models import QTSPInvitation, QTSPStaff
from partners.staff import qtsp_staff
from staff.models import StaffRole
from tests.factories import ApplicantFactory, UserFactory
from tests.partners.factories import owner_of

pytestmark = pytest.mark.django_db


def invitation_link(email: str) -> str:
    message = OutboxMessage.objects.filter(to=[email], key__startswith="staff-invitation:").latest("created_at")
    return re.search(r"/partners/invitations/qtsp/\S+/", outbox_message_bodies(message)[0]).group(0)


def test_owner_invites_by_email_with_a_signed_link(qtsp, owner):
    invitation = qtsp_staff.invite(organisation=qtsp, email="New.Coordinator@Example.org", role="coordinator", actor=owner)

    assert invitation.email == "new.coordinator@example.org"
    message = OutboxMessage.objects.get(to=["new.coordinator@example.org"])
    assert qtsp.name in message.subject
    assert qtsp_staff.invitation_from_token(invitation_link("new.coordinator@example.org").split("/")[-2]) == invitation


def test_inviting_the_same_address_again_keeps_one_open_invitation(qtsp, owner):
    qtsp_staff.invite(organisation=qtsp, email="a@example.org", role="coordinator", actor=owner)
    qtsp_staff.invite(organisation=qtsp, email="A@example.org", role="coordinator", actor=owner)

    assert QTSPInvitation.objects.filter(organisation=qtsp).count() == 1
    assert OutboxMessage.objects.filter(to=["a@example.org"]).count() == 1


def test_coordinator_cannot_invite_or_remove(qtsp, owner, coordinator):
    with pytest.raises(ValidationError, match="Only an owner"):
        qtsp_staff.invite(organisation=qtsp, email="x@example.org", role="coordinator", actor=coordinator)
    with pytest.raises(ValidationError, match="Only an owner"):
        qtsp_staff.member_remove(membership=QTSPStaff.objects.get(user=owner), actor=coordinator)


def test_existing_account_accepts_and_joins_the_role_group(client, qtsp, owner):
    person = UserFactory(email="trainer@example.org")
    qtsp_staff.invite(organisation=qtsp, email="trainer@example.org", role="coordinator", actor=owner)
    client.force_login(person)

    response = client.post(invitation_link("trainer@example.org"))

    assert response.status_code == 302
    membership = QTSPStaff.objects.get(organisation=qtsp, user=person)
    assert membership.role == StaffRole.COORDINATOR
    assert person.groups.filter(name=QTSP_STAFF).exists()
    assert client.get(invitation_link("trainer@example.org")).status_code == 404  # used: the link is dead


def test_invitation_refused_for_a_different_account(client, qtsp, owner):
    qtsp_staff.invite(organisation=qtsp, email="trainer@example.org", role="coordinator", actor=owner)
    client.force_login(ApplicantFactory(email="someone.else@example.org"))

    client.post(invitation_link("trainer@example.org"))

    assert not QTSPStaff.objects.filter(organisation=qtsp, user__email="someone.else@example.org").exists()


def test_revoked_and_expired_invitations_cannot_be_used(client, qtsp, owner, settings):
    revoked = qtsp_staff.invite(organisation=qtsp, email="r@example.org", role="coordinator", actor=owner)
    link = invitation_link("r@example.org")
    qtsp_staff.invitation_revoke(invitation=revoked, actor=owner)
    assert client.get(link).status_code == 404

    qtsp_staff.invite(organisation=qtsp, email="late@example.org", role="coordinator", actor=owner)
    link = invitation_link("late@example.org")
    with time_machine.travel(timezone.now() + timezone.timedelta(days=settings.STAFF_INVITATION_MAX_AGE_DAYS + 1)):
        assert client.get(link).status_code == 404


def test_invitation_for_an_address_without_account_links_on_sign_up_and_confirmation(client, qtsp, owner):
    qtsp_staff.invite(organisation=qtsp, email="newcomer@example.org", role="coordinator", actor=owner)

    client.post(reverse("account_signup"), {
        "email": "newcomer@example.org", "full_name": "Nia Newcomer", "password1": "a-long-passphrase-42", "password2": "a-long-passphrase-42",
    })
    assert not QTSPStaff.objects.filter(user__email="newcomer@example.org").exists()  # not before the address is proven
    confirmation = OutboxMessage.objects.get(to=["newcomer@example.org"], key__startswith="account:")
    key = re.search(r"/accounts/confirm-email/(\S+)/", outbox_message_bodies(confirmation)[0]).group(1)
    client.post(reverse("account_confirm_email", args=[key]))

    membership = QTSPStaff.objects.get(organisation=qtsp, user__email="newcomer@example.org")
    assert membership.role == "coordinator"
    assert QTSPInvitation.objects.get(email="newcomer@example.org").accepted_at is not None


def test_sign_up_after_opening_the_invitation_link_still_needs_the_address_confirmed(client, qtsp, owner):
    qtsp_staff.invite(organisation=qtsp, email="direct@example.org", role="owner", actor=owner)
    client.get(invitation_link("direct@example.org"))  # holding the link proves nothing about the visitor

    client.post(reverse("account_signup"), {
        "email": "direct@example.org", "full_name": "Nia Newcomer", "password1": "a-long-passphrase-42", "password2": "a-long-passphrase-42",
    })

    assert not EmailAddress.objects.get(email="direct@example.org").verified
    assert not QTSPStaff.objects.filter(user__email="direct@example.org").exists()


def test_another_signed_in_address_is_refused_on_the_invitation_page(client, qtsp, owner):
    qtsp_staff.invite(organisation=qtsp, email="trainer@example.org", role="owner", actor=owner)
    client.force_login(ApplicantFactory(email="someone.else@example.org"))

    page = client.get(invitation_link("trainer@example.org"))
    response = client.post(invitation_link("trainer@example.org"))

    assert page.status_code == 403 and b"Accept the invitation" not in page.content
    assert response.status_code == 403
    assert not QTSPStaff.objects.filter(organisation=qtsp, user__email="someone.else@example.org").exists()
    assert QTSPInvitation.objects.get(email="trainer@example.org").accepted_at is None


def test_an_unverified_invited_address_cannot_accept(client, qtsp, owner):
    person = UserFactory(email="trainer@example.org")
    EmailAddress.objects.filter(user=person).update(verified=False)
    qtsp_staff.invite(organisation=qtsp, email="trainer@example.org", role="coordinator", actor=owner)
    client.force_login(person)

    client.post(invitation_link("trainer@example.org"))

    assert not QTSPStaff.objects.filter(organisation=qtsp, user=person).exists()


def test_invitation_mail_is_sensitive(qtsp, owner):
    qtsp_staff.invite(organisation=qtsp, email="trainer@example.org", role="coordinator", actor=owner)

    message = OutboxMessage.objects.get(to=["trainer@example.org"], key__startswith="staff-invitation:")

    assert message.sensitive
    assert "/partners/invitations/" not in message.body_text + message.body_html


def test_last_owner_cannot_be_removed(qtsp, owner):
    with pytest.raises(ValidationError, match="last owner"):
        qtsp_staff.member_remove(membership=QTSPStaff.objects.get(user=owner), actor=owner)


def test_removed_member_leaves_the_role_group_when_on_no_other_staff(qtsp, owner, coordinator, other_qtsp):
    membership = QTSPStaff.objects.get(user=coordinator)
    qtsp_staff.member_remove(membership=membership, actor=owner)

    assert not QTSPStaff.objects.filter(user=coordinator).exists()
    assert not coordinator.groups.filter(name=QTSP_STAFF).exists()

    both = owner_of(other_qtsp, owner_of(qtsp, UserFactory()))
    qtsp_staff.member_remove(membership=QTSPStaff.objects.get(user=both, organisation=qtsp), actor=owner)
    assert both.groups.filter(name=QTSP_STAFF).exists()


def test_owner_removes_staff_in_the_portal(client, qtsp, owner, coordinator):
    client.force_login(owner)

    response = client.post(reverse("partners:staff_remove", args=[QTSPStaff.objects.get(user=coordinator).pk]))

    assert response.status_code == 302
    assert not QTSPStaff.objects.filter(user=coordinator).exists()


def test_owner_invites_in_the_portal_and_coordinator_may_not(client, qtsp, owner, coordinator):
    client.force_login(coordinator)
    assert client.post(reverse("partners:staff", args=[qtsp.pk]), {"email": "z@example.org", "role": "coordinator"}
                       ).status_code == 403

    client.force_login(owner)
    client.post(reverse("partners:staff", args=[qtsp.pk]), {"email": "z@example.org", "role": "coordinator"})

    assert QTSPInvitation.objects.filter(organisation=qtsp, email="z@example.org").exists()
    assert Group.objects.get(name=QTSP_STAFF).user_set.filter(pk=owner.pk).exists()
