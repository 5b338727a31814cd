"""What the audit trail records: staff decisions (services, admin pages, bulk actions), proposals under the
two-person rule, admin adds, changes and deletions, and staff sign-ins, with the client's address."""

import json

import pytest
from django.core.cache import cache
from django.urls import reverse

from audit.models import AuditAction, AuditEntry
from audit.services import audit_record
from payments.services.proposals import bank_transfer_confirm_propose
from tests.conftest import TOTP_SECRET, totp_code
from tests.factories import PASSWORD, ApplicantFactory, ReviewerFactory
from workflows.models import Proposal
from workflows.proposals import proposal_approve

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.2"
PROPOSALS = reverse("admin:workflows_proposal_changelist")


def _about(obj, action):
    return AuditEntry.objects.filter(object_id=str(obj.pk), content_type__model=obj._meta.model_name, action=action)


def test_a_staff_status_change_is_recorded_with_from_and_to(raise_invoice, reviewer, checker):
    invoice = raise_invoice()
    proposal_approve(proposal=bank_transfer_confirm_propose(invoice=invoice, actor=reviewer, bank_reference="S-1"),
                     actor=checker)

    entry = _about(invoice, AuditAction.STATUS_CHANGE).get()

    assert (entry.actor, entry.changes) == (checker, {"from": "open", "to": "paid"})


def test_an_applicants_own_step_is_not_staff_business(raise_invoice):
    invoice = raise_invoice()

    assert not AuditEntry.objects.filter(object_id=str(invoice.pk)).exists()


def test_a_proposal_and_its_approval_are_recorded_on_the_target(raise_invoice, reviewer, checker):
    invoice = raise_invoice()
    proposal = bank_transfer_confirm_propose(invoice=invoice, actor=reviewer, bank_reference="S-2")

    proposal_approve(proposal=proposal, actor=checker)

    proposed = _about(invoice, AuditAction.PROPOSAL_PROPOSED).get()
    approved = _about(invoice, AuditAction.PROPOSAL_APPROVED).get()
    assert (proposed.actor, approved.actor, approved.changes["proposal"]) == (reviewer, checker, proposal.pk)


def test_a_decision_taken_on_its_admin_page_is_recorded(client, raise_invoice, reviewer, checker):
    proposal = bank_transfer_confirm_propose(invoice=raise_invoice(), actor=reviewer, bank_reference="S-3")
    client.force_login(checker)

    client.post(reverse("admin:workflows_proposal_decide", args=[proposal.pk, "reject"]), {"note": "no statement"},
                REMOTE_ADDR="198.51.100.20")

    entry = _about(proposal, AuditAction.DECISION).get()
    assert (entry.actor, entry.changes, entry.address) == (checker, {"decision": "reject", "bulk": False},
                                                           "198.51.100.20")


def test_a_bulk_decision_records_each_row(client, raise_invoice, reviewer, checker):
    proposals = [bank_transfer_confirm_propose(invoice=raise_invoice(), actor=reviewer, bank_reference=f"S-{n}")
                 for n in range(2)]
    client.force_login(checker)

    client.post(PROPOSALS, {"action": "approve_selected", "_selected_action": [p.pk for p in proposals]})

    entries = AuditEntry.objects.filter(action=AuditAction.DECISION, actor=checker)
    assert sorted(int(e.object_id) for e in entries) == sorted(p.pk for p in proposals)
    assert all(e.changes == {"decision": "approve", "bulk": True} for e in entries)
    assert Proposal.objects.filter(status="approved").count() == 2


def test_a_status_change_made_during_a_request_keeps_its_address(client, raise_invoice, reviewer, checker):
    invoice = raise_invoice()
    proposal = bank_transfer_confirm_propose(invoice=invoice, actor=reviewer, bank_reference="S-7")
    client.force_login(checker)

    client.post(PROPOSALS, {"action": "approve_selected", "_selected_action": [proposal.pk]},
                REMOTE_ADDR="198.51.100.44")

    assert _about(invoice, AuditAction.STATUS_CHANGE).get().address == "198.51.100.44"


def test_an_admin_addition_is_recorded_with_field_names(admin_client, superuser):
    admin_client.post(reverse("admin:applicants_user_add"), {
        "email": "new.person@example.org", "usable_password": "true",
        "password1": "Secret-Value-9182", "password2": "Secret-Value-9182",
    })

    entry = AuditEntry.objects.get(action=AuditAction.ADMIN_ADD)
    assert (entry.actor, entry.object_repr) == (superuser, "new.person@example.org")
    assert "email" in entry.changes["fields"]


def test_an_admin_change_names_the_changed_fields_and_never_their_values(admin_client, superuser):
    person = ApplicantFactory(full_name="Old Name")
    url = reverse("admin:applicants_user_change", args=[person.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None and name != "password"}
    data.update(full_name="Secret New Name", groups=[g.pk for g in person.groups.all()], user_permissions=[],
                is_active="on", last_login_0="", last_login_1="", date_joined_0="2024-01-01", date_joined_1="10:00")
    data.pop("is_staff", None)
    data.pop("is_superuser", None)

    response = admin_client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    entry = AuditEntry.objects.get(action=AuditAction.ADMIN_CHANGE)
    assert "full_name" in entry.changes["fields"]
    assert "Secret New Name" not in json.dumps(entry.changes)
    assert entry.actor == superuser


def test_a_password_set_in_the_admin_is_recorded_without_the_password(admin_client):
    person = ApplicantFactory()

    admin_client.post(reverse("admin:auth_user_password_change", args=[person.pk]),
                      {"password1": "Fresh-Secret-5521", "password2": "Fresh-Secret-5521", "usable_password": "true"})

    entry = AuditEntry.objects.get(action=AuditAction.ADMIN_CHANGE, object_id=str(person.pk))
    assert entry.changes["fields"]
    assert "Fresh-Secret" not in json.dumps(entry.changes)


def test_an_admin_deletion_is_recorded_and_outlives_the_row(admin_client, superuser):
    person = ApplicantFactory(full_name="Gone Person")
    person_id = person.pk

    admin_client.post(reverse("admin:applicants_user_delete", args=[person_id]), {"post": "yes"})

    entry = AuditEntry.objects.get(action=AuditAction.ADMIN_DELETE)
    assert (entry.object_id, entry.object_repr, entry.actor) == (str(person_id), "Gone Person", superuser)


def test_a_bulk_admin_deletion_records_each_row(admin_client):
    people = ApplicantFactory.create_batch(2)

    admin_client.post(reverse("admin:applicants_user_changelist"),
                      {"action": "delete_selected", "_selected_action": [p.pk for p in people], "post": "yes"})

    assert sorted(AuditEntry.objects.filter(action=AuditAction.ADMIN_DELETE).values_list("object_id", flat=True)) \
        == sorted(str(p.pk) for p in people)


def _sign_in(client, user, password=PASSWORD, **meta):
    cache.clear()
    return client.post(reverse("account_login"), {"login": user.email, "password": password}, **meta)


def test_a_staff_sign_in_records_the_address_the_trusted_proxy_saw(client, settings):
    settings.TRUSTED_PROXIES = [PROXY]
    staff = ReviewerFactory()

    _sign_in(client, staff, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.7")

    entry = AuditEntry.objects.get(action=AuditAction.SIGN_IN)
    assert (entry.actor, entry.actor_name, entry.address) == (staff, f"{staff.full_name} <{staff.email}>",
                                                              "198.51.100.7")


def test_a_staff_sign_in_from_an_untrusted_peer_ignores_its_forwarded_for(client, settings):
    settings.TRUSTED_PROXIES = [PROXY]
    staff = ReviewerFactory()

    _sign_in(client, staff, REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="198.51.100.7")

    assert AuditEntry.objects.get(action=AuditAction.SIGN_IN).address == "203.0.113.9"


def test_an_applicants_sign_in_is_not_recorded(client):
    _sign_in(client, ApplicantFactory())

    assert not AuditEntry.objects.filter(action=AuditAction.SIGN_IN).exists()


def test_a_failed_sign_in_to_a_staff_account_is_recorded_without_the_password(client):
    staff = ReviewerFactory()

    _sign_in(client, staff, password="guessed-Password-77", REMOTE_ADDR="203.0.113.5")

    entry = AuditEntry.objects.get(action=AuditAction.SIGN_IN_FAILED)
    assert (entry.actor, entry.object_id, entry.address) == (None, str(staff.pk), "203.0.113.5")
    assert "guessed" not in json.dumps(entry.changes)


def test_two_factor_passed_and_sign_out_are_recorded(client):
    from allauth.mfa.totp.internal.auth import TOTP

    staff = ReviewerFactory()
    TOTP.activate(staff, TOTP_SECRET)
    _sign_in(client, staff)

    client.post(reverse("mfa_authenticate"), {"code": totp_code()})
    client.post(reverse("account_logout"))

    actions = list(AuditEntry.objects.filter(actor=staff).order_by("pk").values_list("action", flat=True))
    assert actions == [AuditAction.TWO_FACTOR, AuditAction.SIGN_IN, AuditAction.SIGN_OUT]


def test_a_persons_data_copy_holds_their_own_trail(reviewer):
    from applicants.personal_data import personal_data_collect

    audit_record(action=AuditAction.SIGN_IN, actor=reviewer, changes={})

    trail = personal_data_collect(reviewer)["audit"]["audit_trail"]

    assert [(line["action"], line["address"]) for line in trail] == [(AuditAction.SIGN_IN, None)]
