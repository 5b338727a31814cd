"""A mentee confirms a mentor's logged hours through a one-time link; disputes go to the committee."""

import datetime
import re
import uuid
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from applicants.confirmations import hours_confirmations_expire
from applicants.models import ConfirmationStatus, HoursEntry, HoursEntryEvent
from applicants.selectors import hours_totals
from applicants.services import hours_entry_create, hours_entry_delete, hours_entry_update, hours_import_csv
from notifications.models import OutboxMessage
from notifications.services import outbox_message_bodies
from tests.factories import ApplicantFactory, ReviewerFactory

pytestmark = pytest.mark.django_db
S = ConfirmationStatus


@pytest.fixture(autouse=True)
def ratelimit_namespace(settings):
    """Rate-limit counters live in the real Redis: each test counts under a prefix of its own."""
    settings.CACHES = {
        **settings.CACHES,
        "ratelimit": {**settings.CACHES["ratelimit"], "KEY_PREFIX": f"test-ratelimit-{uuid.uuid4().hex}"},
    }


def log_hours(mentor, *, email="mentee@example.org", hours="12.5", **overrides):
    today = timezone.localdate()
    values = {"mentee": "Mentee A", "started_on": today - datetime.timedelta(days=60),
              "ended_on": today - datetime.timedelta(days=1), "hours": Decimal(hours), "format": "online",
              "notes": "Private notes about Mentee A", "confirmer_email": email, **overrides}
    return hours_entry_create(user=mentor, **values)


def mailed_link(entry) -> str:
    """The link as the mentee receives it: read from the sealed body of the outbox message."""
    message = OutboxMessage.objects.get(key__startswith=f"hours-confirmation:{entry.pk}:",
                                        to=[entry.confirmer_email])
    return re.search(r"/hours/confirm/\d+/\S+/", outbox_message_bodies(message)[0]).group(0)


@pytest.fixture
def mentor(db):
    return ApplicantFactory(full_name="Maria Mentor")


@pytest.fixture
def entry(mentor):
    return log_hours(mentor)


def test_logging_with_an_email_asks_for_confirmation_in_a_sealed_mail(entry):
    message = OutboxMessage.objects.get(to=["mentee@example.org"])

    assert entry.status == S.REQUESTED
    assert message.sensitive
    assert "/hours/confirm/" not in message.body_text  # encrypted at rest
    assert "/hours/confirm/" in outbox_message_bodies(message)[0]
    assert HoursEntryEvent.objects.filter(entry=entry, to_status=S.REQUESTED).count() == 1


def test_logging_without_an_email_asks_nobody(mentor):
    entry = log_hours(mentor, email="")

    assert entry.status == S.UNCONFIRMED
    assert not OutboxMessage.objects.filter(key__startswith="hours-confirmation:").exists()


def test_mentor_cannot_name_themselves_to_confirm(mentor):
    with pytest.raises(ValidationError, match="Someone else than you"):
        log_hours(mentor, email=mentor.email)

    assert not HoursEntry.objects.exists()


def test_confirmation_page_shows_only_mentor_dates_hours_and_format(client, entry):
    response = client.get(mailed_link(entry))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Maria Mentor" in page and "12.5" in page and "Online" in page
    assert "Mentee A" not in page and "Private notes" not in page
    assert response["Referrer-Policy"] == "same-origin"


def test_mentee_confirms_without_an_account(client, entry, mentor):
    response = client.post(mailed_link(entry), {"answer": "confirm"})

    entry.refresh_from_db()
    assert response.status_code == 200
    assert "You confirmed 12.5 hours" in response.content.decode()
    assert entry.status == S.CONFIRMED
    assert hours_totals(mentor).confirmed == Decimal("12.5")
    assert OutboxMessage.objects.filter(to=[mentor.email], key__startswith="hours-confirmation-answer:").exists()


def test_confirmation_is_marked_in_the_mentors_log(client, entry, mentor):
    client.post(mailed_link(entry), {"answer": "confirm"})
    client.force_login(mentor)

    page = client.get(reverse("applicants:hours_list")).content.decode()

    assert "Confirmed by the mentee" in page
    assert "12.5 hours confirmed by mentees" in page


def test_link_works_once(client, entry):
    link = mailed_link(entry)
    client.post(link, {"answer": "confirm"})

    again = client.post(link, {"answer": "dispute", "comment": "Changed my mind"})

    entry.refresh_from_db()
    assert again.status_code == 410
    assert "already been used" in again.content.decode()
    assert entry.status == S.CONFIRMED


def test_expired_link_refused_and_recorded(client, entry, settings):
    settings.APPLICANTS_HOURS_CONFIRMATION_DAYS = 30
    HoursEntry.objects.filter(pk=entry.pk).update(
        confirmation_requested_at=timezone.now() - datetime.timedelta(days=30, minutes=1))

    response = client.post(mailed_link(entry), {"answer": "confirm"})

    entry.refresh_from_db()
    assert response.status_code == 410
    assert "expired" in response.content.decode()
    assert entry.status == S.EXPIRED


def test_link_still_works_on_its_last_day(client, entry):
    HoursEntry.objects.filter(pk=entry.pk).update(
        confirmation_requested_at=timezone.now() - datetime.timedelta(days=29, hours=23))

    response = client.post(mailed_link(entry), {"answer": "confirm"})

    assert response.status_code == 200


def test_forged_token_refused(client, entry):
    response = client.post(reverse("applicants:hours_confirm", args=[entry.pk, "x" * 43]), {"answer": "confirm"})

    entry.refresh_from_db()
    assert response.status_code == 404
    assert "not valid" in response.content.decode()
    assert entry.status == S.REQUESTED


def test_token_of_another_entry_refused(client, entry, mentor):
    other = log_hours(mentor, email="other@example.org", mentee="Mentee B")
    token = mailed_link(entry).rstrip("/").rsplit("/", 1)[1]

    response = client.post(reverse("applicants:hours_confirm", args=[other.pk, token]), {"answer": "confirm"})

    other.refresh_from_db()
    assert response.status_code == 404
    assert other.status == S.REQUESTED


def test_confirmation_answer_is_post_only_and_csrf_protected(entry):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post(mailed_link(entry), {"answer": "confirm"})

    entry.refresh_from_db()
    assert response.status_code == 403
    assert entry.status == S.REQUESTED


def test_opening_the_link_changes_nothing(client, entry):
    client.get(mailed_link(entry))

    entry.refresh_from_db()
    assert entry.status == S.REQUESTED


def test_dispute_on_a_forged_link_is_refused_as_invalid(client, entry):
    response = client.post(reverse("applicants:hours_confirm", args=[entry.pk, "forged"]), {"answer": "dispute"})

    assert response.status_code == 404


def test_dispute_needs_a_comment(client, entry):
    response = client.post(mailed_link(entry), {"answer": "dispute", "comment": "  "})

    entry.refresh_from_db()
    assert response.status_code == 400
    assert "Say what is wrong" in response.content.decode()
    assert entry.status == S.REQUESTED


def test_disputed_entry_reaches_the_committee_who_rejects_it(client, entry, mentor, reviewer):
    client.post(mailed_link(entry), {"answer": "dispute", "comment": "We met twice, not twelve hours."})
    client.force_login(reviewer)

    change = client.get(reverse("admin:applicants_hoursentry_change", args=[entry.pk])).content.decode()
    response = client.post(reverse("admin:applicants_hoursentry_decide", args=[entry.pk, "reject"]),
                           {"note": "The mentee's account is credible."})

    entry.refresh_from_db()
    assert "We met twice, not twelve hours." in change
    assert "mentee@example.org" not in change  # the address serves the confirmation only
    assert response.status_code == 302
    assert entry.status == S.REJECTED
    assert hours_totals(mentor).total == Decimal("0")
    assert HoursEntryEvent.objects.filter(entry=entry, to_status=S.REJECTED, actor=reviewer).exists()


def test_committee_accepting_a_dispute_counts_the_hours_as_confirmed(client, entry, mentor, reviewer):
    client.post(mailed_link(entry), {"answer": "dispute", "comment": "Not sure about the dates."})
    client.force_login(reviewer)

    client.post(reverse("admin:applicants_hoursentry_decide", args=[entry.pk, "accept"]), {"note": ""})

    entry.refresh_from_db()
    assert entry.status == S.ACCEPTED
    assert hours_totals(mentor).confirmed == Decimal("12.5")


def test_reviewer_cannot_decide_about_their_own_hours(client, reviewer):
    own = log_hours(reviewer, email="their-mentee@example.org")
    client.post(mailed_link(own), {"answer": "dispute", "comment": "Too many hours."})
    client.force_login(reviewer)

    response = client.post(reverse("admin:applicants_hoursentry_decide", args=[own.pk, "accept"]), {"note": ""})

    own.refresh_from_db()
    assert response.status_code == 302
    assert own.status == S.DISPUTED


def test_mentor_cannot_edit_a_disputed_entry(client, entry, mentor):
    client.post(mailed_link(entry), {"answer": "dispute", "comment": "Wrong."})

    with pytest.raises(ValidationError, match="committee decides"):
        hours_entry_update(entry=entry, actor=mentor, hours=Decimal("2"))


def test_editing_the_hours_after_confirmation_resets_it_and_asks_again(client, entry, mentor):
    client.post(mailed_link(entry), {"answer": "confirm"})

    hours_entry_update(entry=entry, actor=mentor, hours=Decimal("20"))

    entry.refresh_from_db()
    assert entry.status == S.REQUESTED
    assert hours_totals(mentor).confirmed == Decimal("0")
    assert OutboxMessage.objects.filter(key__startswith=f"hours-confirmation:{entry.pk}:").count() == 2


def test_editing_the_notes_keeps_the_confirmation(client, entry, mentor):
    client.post(mailed_link(entry), {"answer": "confirm"})

    hours_entry_update(entry=entry, actor=mentor, notes="New notes")

    entry.refresh_from_db()
    assert entry.status == S.CONFIRMED


def test_old_link_is_dead_after_an_edit(client, entry, mentor):
    old = mailed_link(entry)
    hours_entry_update(entry=entry, actor=mentor, hours=Decimal("20"))

    response = client.post(old, {"answer": "confirm"})

    entry.refresh_from_db()
    assert response.status_code == 404
    assert entry.status == S.REQUESTED


def test_requests_are_limited_per_mentor_per_day(mentor, settings):
    settings.APPLICANTS_HOURS_CONFIRMATION_DAILY_LIMIT = 2
    log_hours(mentor, email="a@example.org", mentee="A")
    log_hours(mentor, email="b@example.org", mentee="B")

    with pytest.raises(ValidationError, match="at most 2 confirmations"):
        log_hours(mentor, email="c@example.org", mentee="C")

    assert HoursEntry.objects.filter(user=mentor).count() == 2
    assert log_hours(ApplicantFactory(), email="c@example.org").status == S.REQUESTED  # another mentor's quota


def test_deleting_an_entry_does_not_restore_the_quota(mentor, settings):
    settings.APPLICANTS_HOURS_CONFIRMATION_DAILY_LIMIT = 1
    hours_entry_delete(entry=log_hours(mentor, email="a@example.org"), actor=mentor)

    with pytest.raises(ValidationError, match="at most 1 confirmation"):
        log_hours(mentor, email="b@example.org")


def test_email_is_erased_with_the_entry(entry, mentor):
    hours_entry_delete(entry=entry, actor=mentor)

    assert not HoursEntry.objects.filter(confirmer_email="mentee@example.org").exists()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM applicants_hoursentryevent WHERE note LIKE %s", ["%mentee@example.org%"])
        assert cursor.fetchone()[0] == 0
    assert HoursEntryEvent.objects.filter(entry_id=entry.pk).exists()  # the history outlives the entry


def test_email_is_erased_with_the_account(entry, mentor):
    from applicants.personal_data import account_erase

    account_erase(user=mentor)

    assert not HoursEntry.objects.filter(confirmer_email="mentee@example.org").exists()


@pytest.mark.parametrize("view", ["changelist", "change"])
def test_staff_cannot_read_the_link_in_the_outbox_admin(admin_client, entry, view):
    message = OutboxMessage.objects.get(to=["mentee@example.org"])
    token = mailed_link(entry).rstrip("/").rsplit("/", 1)[1]
    url = (reverse("admin:notifications_outboxmessage_changelist") if view == "changelist"
           else reverse("admin:notifications_outboxmessage_change", args=[message.pk]))

    content = admin_client.get(url).content.decode()

    assert token not in content
    assert "/hours/confirm/" not in content


def test_the_database_keeps_only_a_hash_of_the_token(entry):
    token = mailed_link(entry).rstrip("/").rsplit("/", 1)[1]

    entry.refresh_from_db()
    assert token not in entry.confirmation_token_hash
    assert len(entry.confirmation_token_hash) == 64


def test_confirmation_page_is_rate_limited_per_client_address(client, entry, settings):
    settings.APPLICANTS_HOURS_CONFIRM_RATE = "2/h"
    forged = reverse("applicants:hours_confirm", args=[entry.pk, "guess"])
    client.get(forged)
    client.get(forged)

    response = client.get(mailed_link(entry))

    assert response.status_code == 429
    other_client = client.__class__(REMOTE_ADDR="10.1.2.3")
    assert other_client.get(mailed_link(entry)).status_code == 200


def test_expiry_job_closes_old_requests_once(entry, mentor):
    fresh = log_hours(mentor, email="fresh@example.org", mentee="Fresh")
    HoursEntry.objects.filter(pk=entry.pk).update(confirmation_requested_at=timezone.now() - datetime.timedelta(days=31))

    assert hours_confirmations_expire() == 1
    assert hours_confirmations_expire() == 0
    entry.refresh_from_db()
    fresh.refresh_from_db()
    assert (entry.status, fresh.status) == (S.EXPIRED, S.REQUESTED)


def test_csv_import_asks_the_named_confirmers(mentor):
    text = ("mentee,started_on,ended_on,hours,format,notes,confirmer_email\n"
            "Mentee A,2025-01-06,2025-03-31,12,online,,Mentee.A@Example.org\n"
            "Mentee B,2025-01-06,2025-03-31,8,group,,\n")

    report = hours_import_csv(user=mentor, upload=SimpleUploadedFile("h.csv", text.encode(), "text/csv"))

    assert report.ok, report.errors or report.problem
    statuses = dict(HoursEntry.objects.filter(user=mentor).values_list("mentee", "status"))
    assert statuses == {"Mentee A": S.REQUESTED, "Mentee B": S.UNCONFIRMED}
    assert OutboxMessage.objects.filter(to=["mentee.a@example.org"], sensitive=True).count() == 1


def test_csv_import_over_the_daily_limit_imports_nothing(mentor, settings):
    settings.APPLICANTS_HOURS_CONFIRMATION_DAILY_LIMIT = 1
    text = ("mentee,started_on,ended_on,hours,format,notes,confirmer_email\n"
            "Mentee A,2025-01-06,2025-03-31,12,online,,a@example.org\n"
            "Mentee B,2025-01-06,2025-03-31,8,group,,b@example.org\n")

    report = hours_import_csv(user=mentor, upload=SimpleUploadedFile("h.csv", text.encode(), "text/csv"))

    assert "at most 1 confirmation" in report.problem
    assert not HoursEntry.objects.filter(user=mentor).exists()


def test_export_leaves_the_confirmers_address_out(client, entry, mentor):
    client.force_login(mentor)

    content = client.get(reverse("applicants:hours_export")).content.decode()

    assert "Mentee A" in content and "mentee@example.org" not in content


# ---- who may see what ----

@pytest.mark.parametrize("who", ["anonymous", "mentor", "another", "staff"])
def test_confirmation_page_answers_to_the_link_alone(client, entry, mentor, who):
    users = {"mentor": mentor, "another": ApplicantFactory(), "staff": ReviewerFactory()}
    if who in users:
        client.force_login(users[who])

    good = client.get(mailed_link(entry))
    forged = client.get(reverse("applicants:hours_confirm", args=[entry.pk, "not-the-token"]))

    assert good.status_code == 200
    assert forged.status_code == 404 and "Maria Mentor" not in forged.content.decode()


@pytest.mark.parametrize("who", ["anonymous", "mentor"])
def test_hours_admin_refused_outside_the_committee(client, entry, mentor, who):
    if who == "mentor":
        client.force_login(mentor)

    response = client.get(reverse("admin:applicants_hoursentry_change", args=[entry.pk]))

    assert response.status_code == 302 and "/login/" in response["Location"]


def test_hours_list_query_count_does_not_grow_with_entries(client, mentor, django_assert_max_num_queries):
    client.force_login(mentor)
    log_hours(mentor, email="")
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("applicants:hours_list"))
    for index in range(8):
        log_hours(mentor, email=f"m{index}@example.org", mentee=f"M{index}")

    with django_assert_max_num_queries(len(few)):
        client.get(reverse("applicants:hours_list"))


def test_demo_shows_hours_confirmed_disputed_and_awaiting():
    import io

    from applicants import demo

    demo.seed(io.StringIO())
    demo.seed(io.StringIO())  # idempotent: asks nobody twice

    applicant = HoursEntry.objects.filter(user__email="applicant@ipma.example")
    assert sorted(applicant.values_list("status", flat=True)) == sorted([S.CONFIRMED, S.DISPUTED, S.REQUESTED])
    assert OutboxMessage.objects.filter(key__startswith="hours-confirmation:").count() == 3
