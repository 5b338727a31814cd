"""Rosters: trainees by email, CSV import all-or-nothing, attendance and completion, CSV export."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
import time_machine
from allauth.account.models import EmailAddress
from allauth.account.signals import email_confirmed
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext

from accreditation.models import Level
from notifications.models import OutboxMessage
from notifications.services import outbox_message_bodies
from partners.models import Cohort, Enrolment
from partners.selectors import fasttrack_training_completed, training_completed
from partners.services import (
    Outcome,
    cohort_save,
    enrolment_accept,
    enrolment_add,
    enrolment_record,
    enrolment_withdraw,
    programme_save,
    roster_csv,
    roster_import,
)
from tests.factories import ApplicantFactory, UserFactory
from tests.partners.factories import (
    CohortFactory,
    EnrolmentFactory,
    FasttrackProgrammeFactory,
    QTSPFactory,
    enrolled,
)

pytestmark = pytest.mark.django_db


def csv_bytes(*rows, header=("email", "full_name")) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    if header:
        writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode()


# ---- adding trainees --------------------------------------------------------------------------------


def test_adding_a_trainee_invites_the_address_and_shows_no_account_name(client, cohort, owner, coordinator):
    trainee = ApplicantFactory(email="amara@example.org", full_name="Amara Okafor")

    enrolment = enrolment_add(cohort=cohort, email="Amara@Example.org", actor=owner)

    assert enrolment.trainee is None and not enrolment.is_accepted
    assert Cohort.objects.get(pk=cohort.pk).seats_taken == 1
    message = OutboxMessage.objects.get(key=f"enrolment-added:{enrolment.pk}")
    assert message.sensitive and "/dashboard/" in outbox_message_bodies(message)[0]
    client.force_login(coordinator)
    roster_page = client.get(reverse("partners:cohort_detail", args=[cohort.pk])).content.decode()
    export = client.get(reverse("partners:roster_export", args=[cohort.pk])).content.decode()
    assert trainee.full_name not in roster_page and trainee.full_name not in export
    assert "Invited, not accepted yet" in roster_page


def test_the_invited_person_accepts_from_the_dashboard_and_the_qtsp_then_sees_the_name(client, cohort, owner):
    trainee = ApplicantFactory(email="amara@example.org", full_name="Amara Okafor")
    enrolment = enrolment_add(cohort=cohort, email="amara@example.org", actor=owner)
    client.force_login(trainee)
    assert "Accept the invitation" in client.get(reverse("applicants:dashboard")).content.decode()

    response = client.post(reverse("partners:enrolment_accept", args=[enrolment.pk]))

    assert response.status_code == 302
    enrolment.refresh_from_db()
    assert enrolment.trainee == trainee and enrolment.is_accepted
    assert enrolment.display_name == "Amara Okafor"


def test_another_account_cannot_accept_a_roster_invitation(client, cohort, owner):
    enrolment = enrolment_add(cohort=cohort, email="amara@example.org", actor=owner)
    intruder = ApplicantFactory(email="intruder@example.org")
    client.force_login(intruder)

    response = client.post(reverse("partners:enrolment_accept", args=[enrolment.pk]))

    assert response.status_code == 404
    with pytest.raises(ValidationError, match="another address"):
        enrolment_accept(enrolment=enrolment, user=intruder)
    enrolment.refresh_from_db()
    assert enrolment.trainee is None and not enrolment.is_accepted


def test_an_unaccepted_enrolment_does_not_count_for_eligibility(cohort, owner):
    trainee = ApplicantFactory()
    enrolment = enrolment_add(cohort=cohort, email=trainee.email, actor=owner)
    enrolment_record(enrolment=enrolment, actor=owner, attended_hours=Decimal(32), attended_days=0,
                     outcome=Outcome.PASSED)
    # Even linked to the account by hand, a record the person never accepted proves nothing about them.
    Enrolment.objects.filter(pk=enrolment.pk).update(trainee=trainee)

    assert not training_completed(user=trainee, level_code="AM")
    assert not Enrolment.objects.get(pk=enrolment.pk).counts_for_eligibility


def test_an_accepted_passed_enrolment_counts_for_eligibility(cohort, owner):
    trainee = ApplicantFactory()
    enrolment = enrolment_add(cohort=cohort, email=trainee.email, actor=owner)
    enrolment_record(enrolment=enrolment, actor=owner, attended_hours=Decimal(32), attended_days=0,
                     outcome=Outcome.PASSED)

    enrolment_accept(enrolment=enrolment, user=trainee)

    assert training_completed(user=trainee, level_code="AM")


def test_confirming_an_address_does_not_accept_a_new_invitation(cohort, owner):
    enrolment = enrolment_add(cohort=cohort, email="newbie@example.org", full_name="New Bie", actor=owner)
    user = UserFactory(email="newbie@example.org", verified=False)
    address = EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)

    email_confirmed.send(sender=EmailAddress, request=None, email_address=address)

    enrolment.refresh_from_db()
    assert enrolment.trainee is None and not enrolment.is_accepted


def test_a_migrated_accepted_entry_is_linked_when_its_address_is_confirmed(cohort, owner):
    enrolment = enrolment_add(cohort=cohort, email="legacy@example.org", actor=owner)
    Enrolment.objects.filter(pk=enrolment.pk).update(accepted_at=enrolment.created_at)
    user = UserFactory(email="legacy@example.org", verified=False)
    address = EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)

    email_confirmed.send(sender=EmailAddress, request=None, email_address=address)

    enrolment.refresh_from_db()
    assert enrolment.trainee == user


def test_staff_cannot_record_their_own_training(cohort, owner, coordinator):
    enrolment = enrolled(cohort, coordinator, owner)

    with pytest.raises(ValidationError, match="your own training"):
        enrolment_record(enrolment=enrolment, actor=coordinator, attended_hours=Decimal(32), attended_days=0,
                         outcome=Outcome.PASSED)

    enrolment.refresh_from_db()
    assert enrolment.status == "enrolled" and enrolment.attended_hours == 0


def test_staff_cannot_record_their_own_training_before_accepting_it(cohort, owner):
    enrolment = enrolment_add(cohort=cohort, email=owner.email.upper(), actor=owner)

    with pytest.raises(ValidationError, match="your own training"):
        enrolment_record(enrolment=enrolment, actor=owner, attended_hours=Decimal(1), attended_days=0,
                         outcome=Outcome.IN_TRAINING)


def test_same_trainee_twice_is_refused(cohort, owner):
    enrolment_add(cohort=cohort, email="a@example.org", actor=owner)

    with pytest.raises(ValidationError, match="already on this roster"):
        enrolment_add(cohort=cohort, email="A@example.org", actor=owner)
    assert Cohort.objects.get(pk=cohort.pk).seats_taken == 1


def test_full_cohort_refuses_with_no_places_left(programme, owner):
    cohort = CohortFactory(programme=programme, capacity=1)
    enrolment_add(cohort=cohort, email="a@example.org", actor=owner)

    with pytest.raises(ValidationError, match="No places left"):
        enrolment_add(cohort=cohort, email="b@example.org", actor=owner)
    assert cohort.enrolments.count() == 1


def test_withdrawal_frees_the_place(programme, owner):
    cohort = CohortFactory(programme=programme, capacity=1)
    enrolment = enrolment_add(cohort=cohort, email="a@example.org", actor=owner)

    enrolment_withdraw(enrolment=enrolment, actor=owner)

    assert Cohort.objects.get(pk=cohort.pk).seats_taken == 0
    enrolment_add(cohort=cohort, email="a@example.org", actor=owner)  # may come back


def test_database_refuses_more_places_taken_than_capacity(cohort):
    with pytest.raises(IntegrityError), transaction.atomic():
        Cohort.objects.filter(pk=cohort.pk).update(seats_taken=cohort.capacity + 1)


def test_capacity_cannot_drop_below_places_taken(cohort, owner):
    enrolment_add(cohort=cohort, email="a@example.org", actor=owner)
    enrolment_add(cohort=cohort, email="b@example.org", actor=owner)

    with pytest.raises(ValidationError, match="already enrolled"):
        cohort_save(programme=cohort.programme, actor=owner, cohort=cohort, capacity=1)


def test_cohort_dates_and_place_are_checked(programme, owner):
    fields = {"name": "Spring", "starts_on": "2027-03-10", "ends_on": "2027-03-01", "is_online": True, "venue": "",
              "capacity": 10}
    with pytest.raises(ValidationError, match="end before"):
        cohort_save(programme=programme, actor=owner, **fields)
    with pytest.raises(ValidationError, match="venue"):
        cohort_save(programme=programme, actor=owner, **{**fields, "ends_on": "2027-04-01", "is_online": False})


# ---- programmes ------------------------------------------------------------------------------------------


def test_programme_must_be_at_a_level_the_qtsp_is_approved_for(owner):
    qtsp = QTSPFactory(levels=["AM"])

    with pytest.raises(ValidationError, match="approved to train AM only"):
        programme_save(qtsp=qtsp, actor=owner, title="PM course", level=Level.objects.get(code="PM"),
                       format="online", required_hours=40)


def test_fasttrack_programme_is_senior_mentor_with_5_days_and_40_hours(qtsp, owner):
    base = {"title": "Fast track", "format": "blended", "is_fasttrack": True}
    with pytest.raises(ValidationError) as refused:
        programme_save(qtsp=qtsp, actor=owner, level=Level.objects.get(code="PM"), required_hours=20,
                       required_days=2, **base)
    assert set(refused.value.message_dict) == {"level", "required_hours", "required_days"}

    programme = programme_save(qtsp=qtsp, actor=owner, level=Level.objects.get(code="SM"), required_hours=40,
                               required_days=5, **base)
    assert programme.is_fasttrack


# ---- attendance, completion, and the contract for eligibility ------------------------------------------------


def test_pass_needs_the_programme_hours(cohort, owner):
    enrolment = enrolment_add(cohort=cohort, email=ApplicantFactory().email, actor=owner)

    with pytest.raises(ValidationError, match="A pass needs 32 hours"):
        enrolment_record(enrolment=enrolment, actor=owner, attended_hours=Decimal("31.5"), attended_days=0,
                         outcome=Outcome.PASSED)


def test_completed_and_passed_training_counts_for_that_level_only(cohort, owner):
    trainee = ApplicantFactory()
    enrolment = enrolled(cohort, trainee, owner)
    assert not training_completed(user=trainee, level_code="AM")

    enrolment_record(enrolment=enrolment, actor=owner, attended_hours=Decimal(32), attended_days=0,
                     outcome=Outcome.PASSED)

    assert training_completed(user=trainee, level_code="AM")
    assert not training_completed(user=trainee, level_code="PM")
    enrolment.refresh_from_db()
    assert (enrolment.status, enrolment.passed, enrolment.completed_on is not None) == ("completed", True, True)
    assert OutboxMessage.objects.filter(key__startswith=f"enrolment-completed:{enrolment.pk}:True").count() == 1
    assert enrolment.history.count() >= 2  # the change is kept


def test_failed_training_does_not_count(cohort, owner):
    trainee = ApplicantFactory()
    enrolment = enrolled(cohort, trainee, owner)

    enrolment_record(enrolment=enrolment, actor=owner, attended_hours=Decimal(32), attended_days=0,
                     outcome=Outcome.FAILED)

    assert not training_completed(user=trainee, level_code="AM")


def test_training_completed_is_false_for_anonymous_and_invited_trainees(cohort, owner):
    enrolment = enrolment_add(cohort=cohort, email="not.yet@example.org", actor=owner)
    enrolment_record(enrolment=enrolment, actor=owner, attended_hours=Decimal(32), attended_days=0,
                     outcome=Outcome.PASSED)

    assert not training_completed(user=AnonymousUser(), level_code="AM")


def test_fasttrack_training_needs_the_fasttrack_programme_days_and_hours(qtsp, owner):
    trainee = ApplicantFactory()
    cohort = CohortFactory(programme=FasttrackProgrammeFactory(qtsp=qtsp), is_online=False, venue="Strand 1, London")
    enrolment = enrolled(cohort, trainee, owner)
    enrolment_record(enrolment=enrolment, actor=owner, attended_hours=Decimal(40), attended_days=4,
                     outcome=Outcome.IN_TRAINING)
    assert not fasttrack_training_completed(user=trainee)

    enrolment_record(enrolment=enrolment, actor=owner, attended_hours=Decimal(40), attended_days=5,
                     outcome=Outcome.PASSED)

    assert fasttrack_training_completed(user=trainee)
    assert training_completed(user=trainee, level_code="SM")


def test_am_training_is_not_fasttrack_training(cohort, owner):
    trainee = ApplicantFactory()
    enrolment = enrolled(cohort, trainee, owner)
    enrolment_record(enrolment=enrolment, actor=owner, attended_hours=Decimal(32), attended_days=0,
                     outcome=Outcome.PASSED)

    assert not fasttrack_training_completed(user=trainee)


# ---- CSV import and export --------------------------------------------------------------------------------


def test_import_invites_every_row_without_linking_accounts(cohort, owner):
    ApplicantFactory(email="known@example.org", full_name="Known Person")

    result = roster_import(cohort=cohort, actor=owner,
                           content=csv_bytes(("known@example.org", ""), ("Fresh@Example.org", "Fresh Face")))

    assert result.ok and len(result.added) == 2
    assert {(e.email, e.full_name, e.trainee, e.accepted_at) for e in cohort.enrolments.all()} == {
        ("known@example.org", "", None, None), ("fresh@example.org", "Fresh Face", None, None)}
    assert OutboxMessage.objects.filter(key__startswith="enrolment-added:", sensitive=True).count() == 2
    assert Cohort.objects.get(pk=cohort.pk).seats_taken == 2


def test_import_with_a_bad_row_reports_each_row_and_imports_nothing(cohort, owner):
    enrolment_add(cohort=cohort, email="already@example.org", actor=owner)

    result = roster_import(cohort=cohort, actor=owner, content=csv_bytes(
        ("good@example.org", "Good"),
        ("not-an-email", "Bad"),
        ("good@example.org", "Twice"),
        ("already@example.org", ""),
        ("", "No email"),
    ))

    assert not result.ok
    assert [row for row, _message in result.errors] == [3, 4, 5, 6]
    assert "not-an-email" in result.errors[0][1]
    assert "row 2" in result.errors[1][1]
    assert cohort.enrolments.count() == 1
    assert Cohort.objects.get(pk=cohort.pk).seats_taken == 1
    assert not OutboxMessage.objects.filter(to=["good@example.org"]).exists()


def test_import_beyond_the_places_left_imports_nothing(programme, owner):
    cohort = CohortFactory(programme=programme, capacity=2)

    result = roster_import(cohort=cohort, actor=owner, content=csv_bytes(*[(f"t{i}@example.org", "") for i in range(3)]))

    assert result.errors == [(None, "The file adds 3 trainees but the cohort has 2 places left.")]
    assert not cohort.enrolments.exists()


@pytest.mark.parametrize("content, message", [
    (b"name,phone\nA,1\n", "at least “email”"),
    ("email\nzoë@example.org\n".encode("latin-1"), "not UTF-8"),
    (b"email,full_name\n", "no trainees"),
])
def test_import_refuses_an_unusable_file(content, message, cohort, owner):
    result = roster_import(cohort=cohort, actor=owner, content=content)

    assert message in result.errors[0][1]
    assert not cohort.enrolments.exists()


def test_import_accepts_excel_style_headers_and_bom(cohort, owner):
    content = "\ufeffEmail,Full Name\r\nA@example.org,Ada\r\n,\r\n".encode()

    result = roster_import(cohort=cohort, actor=owner, content=content)

    assert result.ok and cohort.enrolments.get().full_name == "Ada"


def test_export_lists_the_roster_and_defuses_formulas(cohort, owner):
    trainee = ApplicantFactory(full_name="=HYPERLINK(evil)")
    enrolment = enrolled(cohort, trainee, owner)
    with time_machine.travel(datetime.datetime(2027, 6, 1, 12, tzinfo=datetime.UTC)):
        enrolment_record(enrolment=enrolment, actor=owner, attended_hours=Decimal(32), attended_days=0,
                         outcome=Outcome.PASSED, completed_on=datetime.date(2027, 5, 30))

    rows = list(csv.DictReader(io.StringIO(roster_csv(cohort=cohort))))

    assert rows == [{"email": trainee.email, "full_name": "'=HYPERLINK(evil)", "status": "completed",
                     "attended_hours": "32.0", "attended_days": "0", "passed": "yes", "completed_on": "2027-05-30",
                     "accepted": "yes"}]


def test_roster_pages_import_and_export_in_the_portal(client, cohort, coordinator):
    client.force_login(coordinator)
    bad = io.BytesIO(csv_bytes(("ok@example.org", ""), ("broken", "")))
    bad.name = "roster.csv"

    response = client.post(reverse("partners:roster_import", args=[cohort.pk]), {"file": bad})

    assert response.status_code == 400
    assert "Row 3:" in response.content.decode()
    assert not cohort.enrolments.exists()

    good = io.BytesIO(csv_bytes(("ok@example.org", ""), ("fixed@example.org", "")))
    good.name = "roster.csv"
    assert client.post(reverse("partners:roster_import", args=[cohort.pk]), {"file": good}).status_code == 302
    assert cohort.enrolments.count() == 2

    export = client.get(reverse("partners:roster_export", args=[cohort.pk]))
    assert export["Content-Type"].startswith("text/csv")
    assert b"fixed@example.org" in export.content


def test_recording_completion_in_the_portal(client, cohort, coordinator):
    trainee = ApplicantFactory()
    enrolment = enrolled(cohort, trainee, coordinator)
    client.force_login(coordinator)

    response = client.post(reverse("partners:enrolment_record", args=[enrolment.pk]),
                           {"attended_hours": "32", "attended_days": "0", "outcome": "passed"})

    assert response.status_code == 302
    assert training_completed(user=trainee, level_code="AM")


def roster_of(programme, coordinator, *, rows: int, accepted: int = 0) -> Cohort:
    """A cohort with ``rows`` invited trainees, the first ``accepted`` of them with an account that accepted."""
    cohort = CohortFactory(programme=programme, capacity=max(rows, 1))
    for index in range(rows):
        trainee = ApplicantFactory(full_name=f"Account Name {index:03}") if index < accepted else None
        EnrolmentFactory(cohort=cohort, trainee=trainee, email=trainee.email if trainee else f"t{index:03}@example.org",
                         full_name=f"Trainee {index:03}")
    return cohort


@pytest.mark.parametrize("rows", [5, 200])
def test_roster_page_queries_do_not_grow_with_trainees(rows, client, programme, coordinator,
                                                       django_assert_num_queries):
    cohort = roster_of(programme, coordinator, rows=rows, accepted=3)
    client.force_login(coordinator)
    client.get(reverse("partners:cohort_detail", args=[cohort.pk]))  # the session and caches warmed up

    # user, permissions with roles (one query; the session from its Redis copy); portal check, cohort, staff role,
    # count, one page of rows
    with django_assert_num_queries(7):
        assert client.get(reverse("partners:cohort_detail", args=[cohort.pk])).status_code == 200


def test_roster_page_shows_one_page_of_trainees_with_links_to_the_others(client, programme, coordinator):
    cohort = roster_of(programme, coordinator, rows=60)
    client.force_login(coordinator)
    url = reverse("partners:cohort_detail", args=[cohort.pk])

    first = client.get(url).content.decode()
    second = client.get(url, {"page": 2}).content.decode()

    assert first.count('<tr>') - 1 == 25 and "Trainee 000" in first and "Trainee 025" not in first
    assert "Trainee 025" in second and "Trainee 000" not in second
    assert "60 trainees on the roster" in first
    assert '<nav aria-label="Pages of the roster">' in first
    assert 'aria-current="page"><span class="page-link">Page 2 of 3</span>' in second
    assert 'href="?page=3"' in second and 'href="?page=1"' in second


@pytest.mark.parametrize(("page", "shown"), [("99", "Page 2 of 2"), ("0", "Page 2 of 2"), ("nonsense", "Page 1 of 2")])
def test_roster_page_out_of_range_answers_with_a_page_that_exists(page, shown, client, programme, coordinator):
    cohort = roster_of(programme, coordinator, rows=30)
    client.force_login(coordinator)

    response = client.get(reverse("partners:cohort_detail", args=[cohort.pk]), {"page": page})

    assert response.status_code == 200
    assert shown in response.content.decode()


def test_roster_search_finds_by_typed_name_account_name_or_address_and_keeps_it_in_page_links(
        client, programme, coordinator):
    cohort = roster_of(programme, coordinator, rows=60, accepted=2)
    client.force_login(coordinator)
    url = reverse("partners:cohort_detail", args=[cohort.pk])

    by_address = client.get(url, {"q": "t04"}).content.decode()
    by_account = client.get(url, {"q": "account name 001"}).content.decode()
    by_typed = client.get(url, {"q": "Trainee"}).content.decode()
    nothing = client.get(url, {"q": "nobody-here"}).content.decode()

    assert "t040@example.org" in by_address and "t049@example.org" in by_address and "t050@" not in by_address
    assert "Account Name 001" in by_account and "Account Name 000" not in by_account
    assert "60 trainees match" in by_typed and 'href="?q=Trainee&amp;page=2"' in by_typed
    assert 'value="Trainee"' in by_typed
    assert "No trainee on this roster matches your search." in nothing


def test_roster_page_keeps_its_actions_on_every_page(client, programme, coordinator):
    cohort = roster_of(programme, coordinator, rows=30)
    last = cohort.enrolments.order_by("-full_name").first()
    client.force_login(coordinator)

    page = client.get(reverse("partners:cohort_detail", args=[cohort.pk]), {"page": 2}).content.decode()

    assert reverse("partners:enrolment_record", args=[last.pk]) in page
    assert reverse("partners:enrolment_withdraw", args=[last.pk]) in page
    assert reverse("partners:trainee_add", args=[cohort.pk]) in page and 'name="email"' in page
    assert reverse("partners:roster_import", args=[cohort.pk]) in page and 'name="file"' in page


def test_withdrawing_on_a_searched_page_returns_to_that_page_and_search(client, programme, coordinator):
    cohort = roster_of(programme, coordinator, rows=60)
    trainee = cohort.enrolments.order_by("full_name")[30]
    client.force_login(coordinator)
    roster = reverse("partners:cohort_detail", args=[cohort.pk])

    page = client.get(roster, {"q": "Trainee", "page": 2}).content.decode()
    withdraw = reverse("partners:enrolment_withdraw", args=[trainee.pk]) + "?q=Trainee&amp;page=2"
    response = client.post(withdraw.replace("&amp;", "&"))

    assert withdraw in page
    assert response.status_code == 302 and response["Location"] == roster + "?q=Trainee&page=2"


def test_a_saved_record_returns_to_the_roster_page_it_came_from(client, programme, coordinator):
    cohort = roster_of(programme, coordinator, rows=60, accepted=60)
    trainee = cohort.enrolments.order_by("full_name")[30]
    client.force_login(coordinator)
    roster = reverse("partners:cohort_detail", args=[cohort.pk])
    record = reverse("partners:enrolment_record", args=[trainee.pk])

    form = client.get(record, {"page": 2}).content.decode()
    response = client.post(record + "?page=2", {"attended_hours": "4", "attended_days": "1", "outcome": "in_training"})

    assert f'href="{roster}?page=2"' in form and f"{record}?page=2" in client.get(roster, {"page": 2}).content.decode()
    assert response.status_code == 302 and response["Location"] == roster + "?page=2"


def test_a_forged_roster_place_is_dropped_from_the_way_back(client, programme, coordinator):
    cohort = roster_of(programme, coordinator, rows=3)
    trainee = cohort.enrolments.first()
    client.force_login(coordinator)

    response = client.post(reverse("partners:enrolment_withdraw", args=[trainee.pk]) + "?page=-1&next=//evil.example")

    assert response["Location"] == reverse("partners:cohort_detail", args=[cohort.pk])


def test_roster_page_sends_back_a_refused_trainee_with_its_error(client, cohort, coordinator):
    client.force_login(coordinator)

    response = client.post(reverse("partners:trainee_add", args=[cohort.pk]), {"email": "not-an-address"})

    assert response.status_code == 400
    assert "Enter a valid email address." in response.content.decode()
    assert 'value="not-an-address"' in response.content.decode()


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_roster_rows_link_and_label_each_trainee_in_the_viewers_language(language, client, programme, coordinator):
    cohort = roster_of(programme, coordinator, rows=3, accepted=1)
    accepted, invited, withdrawn = cohort.enrolments.order_by("full_name")
    Enrolment.objects.filter(pk=withdrawn.pk).update(status="withdrawn")
    client.force_login(coordinator)

    page = client.get(reverse("partners:cohort_detail", args=[cohort.pk]), HTTP_ACCEPT_LANGUAGE=language)
    page = page.content.decode()

    with translation.override(language):
        labels = [gettext("Accepted"), gettext("Invited, not accepted yet"), gettext("Record"), gettext("Withdraw")]
        withdrawn.refresh_from_db()
        status = escape(withdrawn.get_status_display())
    for enrolment in (accepted, invited):
        assert f'href="{reverse("partners:enrolment_record", args=[enrolment.pk])}"' in page
        assert f'action="{reverse("partners:enrolment_withdraw", args=[enrolment.pk])}"' in page
    assert reverse("partners:enrolment_record", args=[withdrawn.pk]) not in page
    assert all(escape(label) in page for label in labels) and status in page
    assert "Account Name 000" in page


@pytest.mark.parametrize(("completed_on", "message"), [
    (datetime.date(2031, 1, 1), "The completion date cannot be in the future."),
    (datetime.date(1990, 1, 1), "The training cannot be completed before the cohort starts on"),
])
def test_a_completion_date_in_the_future_or_before_the_cohort_is_refused(cohort, owner, completed_on, message):
    enrolment = enrolled(cohort, ApplicantFactory(), owner)

    with time_machine.travel(datetime.datetime(2027, 6, 1, 12, tzinfo=datetime.UTC)), \
            pytest.raises(ValidationError, match=message):
        enrolment_record(enrolment=enrolment, actor=owner, attended_hours=Decimal(32), attended_days=0,
                         outcome=Outcome.PASSED, completed_on=completed_on)

    enrolment.refresh_from_db()
    assert enrolment.status != "completed" and enrolment.completed_on is None


def test_the_rosters_days_column_reads_as_days_attended_in_chinese(client, cohort, coordinator):
    client.force_login(coordinator)

    html = client.get(reverse("partners:cohort_detail", args=[cohort.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()

    assert '<th scope="col">线下天数</th>' in html
