"""A level may require a share of its service hours confirmed by mentees (SM and MM: 50 %)."""

import datetime
from dataclasses import replace
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accreditation.eligibility import Outcome, evaluate, submission_blockers
from accreditation.models import Level
from accreditation.selectors import eligibility_for
from accreditation.services import application_submit
from applicants.models import ConfirmationStatus
from tests.accreditation.conftest import draft_for, make_eligible
from tests.accreditation.test_eligibility_rules import AM, SM, by_key, facts
from tests.applicants.factories import HoursEntryFactory

SM_HALF = replace(SM, confirmed_hours_share=50)


def test_sm_with_40_percent_confirmed_is_refused():
    requirement = by_key(evaluate(SM_HALF, facts(hours_logged=Decimal("300"), hours_confirmed=Decimal("120"))))

    assert requirement["confirmed_hours"].outcome == Outcome.NOT_MET
    assert requirement["confirmed_hours"].reason.startswith(
        "120 of 300 hours confirmed; SM needs 50 % of its 300 hours (150) confirmed")


def test_sm_with_50_percent_confirmed_is_met():
    requirement = by_key(evaluate(SM_HALF, facts(hours_logged=Decimal("300"), hours_confirmed=Decimal("150"))))

    assert requirement["confirmed_hours"].outcome == Outcome.MET


def test_fast_track_exempts_from_the_confirmed_share():
    requirement = by_key(evaluate(SM_HALF, facts(hours_logged=Decimal("0"), fasttrack_accepted=True)))

    assert requirement["confirmed_hours"].outcome == Outcome.MET


def test_level_without_a_share_asks_for_no_confirmation():
    assert "confirmed_hours" not in by_key(evaluate(AM, facts(hours_confirmed=Decimal("0"))))


@pytest.mark.django_db
def test_levels_default_to_half_confirmed_for_sm_and_mm_only():
    shares = dict(Level.objects.values_list("code", "confirmed_hours_share"))

    assert shares == {"AM": 0, "PM": 0, "SM": 50, "MM": 50}


def _sm_applicant_with_confirmed(applicant, confirmed: int, *, level_code: str = "SM", total: int = 300):
    make_eligible(applicant, level_code, hours=0)
    today = datetime.date.today()
    common = {"user": applicant, "started_on": today - datetime.timedelta(days=90),
              "ended_on": today - datetime.timedelta(days=1)}
    HoursEntryFactory(hours=Decimal(confirmed), status=ConfirmationStatus.CONFIRMED, **common)
    HoursEntryFactory(hours=Decimal(total - confirmed), status=ConfirmationStatus.REQUESTED, **common)


@pytest.mark.django_db
def test_sm_application_with_40_percent_confirmed_cannot_be_submitted(applicant):
    _sm_applicant_with_confirmed(applicant, 120)
    requirements = eligibility_for(user=applicant, level_code="SM")

    assert [r.key for r in submission_blockers(requirements) if r.key.endswith("hours")] == ["confirmed_hours"]
    with pytest.raises(ValidationError) as refused:
        application_submit(application=draft_for(applicant, "SM"), actor=applicant)
    assert any("hours confirmed" in message for message in refused.value.messages)


@pytest.mark.django_db
def test_sm_application_with_50_percent_confirmed_is_eligible_on_hours(applicant):
    _sm_applicant_with_confirmed(applicant, 150)

    requirements = by_key(eligibility_for(user=applicant, level_code="SM"))

    assert requirements["service_hours"].outcome == Outcome.MET
    assert requirements["confirmed_hours"].outcome == Outcome.MET


@pytest.mark.django_db
def test_rejected_hours_count_for_nothing(applicant):
    make_eligible(applicant, "AM", hours=0)
    HoursEntryFactory(user=applicant, hours=Decimal("40"), status=ConfirmationStatus.REJECTED)

    assert by_key(eligibility_for(user=applicant, level_code="AM"))["service_hours"].outcome == Outcome.NOT_MET


@pytest.mark.django_db
def test_checklist_explains_the_missing_confirmations(client, applicant):
    _sm_applicant_with_confirmed(applicant, 120)
    application = draft_for(applicant, "SM")
    client.force_login(applicant)

    page = client.get(reverse("accreditation:application_detail", args=[application.pk])).content.decode()

    assert "120 of 300 hours confirmed; SM needs 50 %" in page


@pytest.mark.django_db
def test_snapshot_records_each_entrys_confirmation(applicant):
    _sm_applicant_with_confirmed(applicant, 15, level_code="AM", total=40)

    application = application_submit(application=draft_for(applicant, "AM"), actor=applicant)

    statuses = sorted(entry["status"] for entry in application.snapshot["hours_entries"])
    assert statuses == [ConfirmationStatus.CONFIRMED, ConfirmationStatus.REQUESTED]
    assert Decimal(application.snapshot["facts"]["hours_confirmed"]) == 15
