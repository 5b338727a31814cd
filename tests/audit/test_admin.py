"""The trail in the admin: on the person's and on each object's page, and in its own list; read-only for
everyone, superusers included, and closed to anyone without ``audit.view_auditentry``."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from audit.models import AuditAction, AuditEntry
from audit.services import audit_record
from audit.sites import NewestSubjectTrailFormSet
from payments.services.proposals import bank_transfer_confirm_propose
from tests.factories import ApplicantFactory, ReviewerFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:audit_auditentry_changelist")


def _entries(count, actor, obj):
    for _ in range(count):
        audit_record(action=AuditAction.ADMIN_CHANGE, actor=actor, obj=obj, changes={"fields": ["full_name"]})


def test_the_persons_page_shows_what_they_did_and_what_was_done_about_them(admin_client, superuser):
    person, staff = ApplicantFactory(), ReviewerFactory(full_name="Acting Reviewer")
    audit_record(action=AuditAction.ADMIN_CHANGE, actor=staff, obj=person)
    audit_record(action=AuditAction.SIGN_IN, actor=person)

    page = admin_client.get(reverse("admin:applicants_user_change", args=[person.pk])).content.decode()

    assert "audit trail of this record" in page.lower() and "Acting Reviewer" in page
    assert "audit trail of what this person did" in page.lower() and "Staff sign-in" in page


def test_an_objects_page_shows_its_trail(admin_client, raise_invoice, reviewer):
    invoice = raise_invoice()
    bank_transfer_confirm_propose(invoice=invoice, actor=reviewer, bank_reference="S-9")

    page = admin_client.get(reverse("admin:payments_invoice_change", args=[invoice.pk])).content.decode()

    assert "Change proposed (two-person rule)" in page


def test_a_staff_member_without_the_permission_sees_no_trail(client, reviewer):
    person = ApplicantFactory()
    audit_record(action=AuditAction.ADMIN_CHANGE, actor=ReviewerFactory(), obj=person)
    reviewer.groups.clear()
    reviewer.user_permissions.add(Permission.objects.get(codename="view_user", content_type__app_label="applicants"))
    client.force_login(reviewer)

    page = client.get(reverse("admin:applicants_user_change", args=[person.pk]))

    assert page.status_code == 200 and "audit trail" not in page.content.decode().lower()
    assert client.get(CHANGELIST).status_code == 403


def test_a_committee_reviewer_reads_the_trail_of_a_person(client, reviewer):
    person = ApplicantFactory()
    audit_record(action=AuditAction.ADMIN_CHANGE, actor=ReviewerFactory(full_name="Other Reviewer"), obj=person)
    client.force_login(reviewer)

    page = client.get(reverse("admin:applicants_user_change", args=[person.pk])).content.decode()

    assert "audit trail of this record" in page.lower() and "Other Reviewer" in page
    assert client.get(CHANGELIST).status_code == 200


@pytest.mark.parametrize("visitor", ["anonymous", "applicant"])
def test_no_one_outside_staff_reaches_the_trail(client, visitor):
    if visitor == "applicant":
        client.force_login(ApplicantFactory())

    response = client.get(CHANGELIST)

    assert response.status_code == 302 and "/login/" in response["Location"]


def test_a_superuser_cannot_change_or_delete_a_line(admin_client, superuser):
    entry = audit_record(action=AuditAction.SIGN_IN, actor=superuser)

    change = admin_client.post(reverse("admin:audit_auditentry_change", args=[entry.pk]), {"action": "sign_out"})
    delete = admin_client.post(reverse("admin:audit_auditentry_delete", args=[entry.pk]), {"post": "yes"})
    add = admin_client.get(reverse("admin:audit_auditentry_add"))

    assert (change.status_code, delete.status_code, add.status_code) == (403, 403, 403)
    assert AuditEntry.objects.get(pk=entry.pk).action == AuditAction.SIGN_IN


def test_the_list_filters_by_action_and_actor(admin_client, superuser):
    other = ReviewerFactory(full_name="Someone Else")
    audit_record(action=AuditAction.SIGN_IN, actor=superuser)
    audit_record(action=AuditAction.SIGN_OUT, actor=other)

    response = admin_client.get(CHANGELIST, {"action__exact": "sign_out", "actor__id__exact": other.pk})

    assert [e.actor_id for e in response.context["cl"].result_list] == [other.pk]


def test_the_list_is_paginated(admin_client, superuser):
    AuditEntry.objects.bulk_create(AuditEntry(action=AuditAction.SIGN_IN, actor=superuser) for _ in range(60))

    response = admin_client.get(CHANGELIST)

    assert len(response.context["cl"].result_list) == 50


@pytest.mark.parametrize("page", ["list", "person"])
def test_queries_do_not_grow_with_rows(admin_client, page):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    person = ApplicantFactory()
    url = CHANGELIST if page == "list" else reverse("admin:applicants_user_change", args=[person.pk])

    def queries_for():
        with CaptureQueriesContext(connection) as context:
            assert admin_client.get(url).status_code == 200
        return len(context.captured_queries)

    _entries(2, ReviewerFactory(), person)
    few = queries_for()
    _entries(25, ReviewerFactory(), person)
    many = queries_for()

    assert few == many


def test_a_records_page_shows_the_newest_50_lines_of_its_trail_and_links_to_the_whole(admin_client, superuser):
    person = ApplicantFactory()
    _entries(55, superuser, person)
    newest = AuditEntry.objects.filter(object_id=str(person.pk)).order_by("-created_at", "-pk").first()

    response = admin_client.get(reverse("admin:applicants_user_change", args=[person.pk]))

    trail = next(formset for formset in response.context["inline_admin_formsets"]
                 if isinstance(formset.formset, NewestSubjectTrailFormSet))
    shown = [form.instance for form in trail.formset.forms]
    assert len(shown) == 50 and shown[0] == newest
    page = response.content.decode()
    assert "The newest 50 entries are shown." in page
    whole = trail.formset.whole_trail_url()
    assert whole in page.replace("&amp;", "&")
    listed = admin_client.get(whole)
    assert listed.status_code == 200
    assert listed.context["cl"].result_count == 55


def test_a_short_trail_is_shown_whole_without_a_link(admin_client, superuser):
    person = ApplicantFactory()
    _entries(3, superuser, person)

    page = admin_client.get(reverse("admin:applicants_user_change", args=[person.pk])).content.decode()

    assert "entries are shown" not in page


def _sidebar_models(client) -> set[str]:
    response = client.get(reverse("admin:index"))
    return {model["object_name"] for app in response.context["available_apps"] for model in app["models"]}


def test_the_sidebar_lists_what_each_person_may_see_and_follows_a_grant(client):
    from allauth.mfa.totp.internal.auth import TOTP

    from tests.conftest import TOTP_SECRET

    narrow, broad = ReviewerFactory(), ReviewerFactory()
    narrow.groups.clear()
    narrow.user_permissions.add(Permission.objects.get(codename="view_booking"))
    TOTP.activate(narrow, TOTP_SECRET)
    TOTP.activate(broad, TOTP_SECRET)

    client.force_login(broad)
    assert {"Booking", "Invoice"} <= _sidebar_models(client)
    client.force_login(narrow)
    assert _sidebar_models(client) == {"Booking"}  # the list kept for the other person is not shown

    narrow.user_permissions.add(Permission.objects.get(codename="view_invoice"))
    client.force_login(narrow)
    assert _sidebar_models(client) == {"Booking", "Invoice"}
    assert _sidebar_models(client) == {"Booking", "Invoice"}
