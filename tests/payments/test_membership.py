"""Membership that means something: the member's group, the public page, reminders before the end,
and a refund ending the period."""

import datetime

import pytest
import time_machine
from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.urls import reverse

from notifications.models import OutboxMessage
from payments.models import MemberGroup, MembershipPeriod, Refund
from payments.selectors import schedule_date
from payments.services import (
    bank_transfer_confirm,
    demo_payment_complete,
    invoice_refund,
    membership_purchase,
    membership_reminders_send,
    membership_upgrade_request,
    refund_complete,
    refund_submit,
)
from payments.tasks import membership_reminders
from tests.factories import ApplicantFactory, ReviewerFactory
from tests.payments.factories import MembershipPeriodFactory

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 3, 1)


def _at(day: datetime.date):
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(9), tzinfo=datetime.UTC), tick=False)


def _reminders():
    return sorted(OutboxMessage.objects.filter(key__startswith="membership-reminder:").values_list("key", flat=True))


# The member's group ---------------------------------------------------------------------------


def test_member_groups_are_the_eight_of_the_source():
    assert len(MemberGroup.choices) == 8


def test_membership_purchase_carries_the_group_to_the_period(applicant):
    invoice = membership_purchase(user=applicant, plan_code="annual", group=MemberGroup.PROGRAMME_DIRECTOR)

    bank_transfer_confirm(invoice=invoice, actor=ReviewerFactory())

    assert applicant.membership_periods.get().group == MemberGroup.PROGRAMME_DIRECTOR


def test_membership_purchase_refused_without_a_group(applicant):
    with pytest.raises(ValidationError, match="which group"):
        membership_purchase(user=applicant, plan_code="annual", group="")

    assert not applicant.invoices.exists()


def test_membership_purchase_again_keeps_one_invoice_with_the_newly_stated_group(applicant):
    first = membership_purchase(user=applicant, plan_code="annual", group=MemberGroup.SUPPORTER)
    again = membership_purchase(user=applicant, plan_code="annual", group=MemberGroup.HR_TRAINING)

    assert again.pk == first.pk
    first.refresh_from_db()
    assert first.membership_group == MemberGroup.HR_TRAINING


def test_permanent_upgrade_keeps_the_members_group(applicant):
    today = schedule_date()
    MembershipPeriodFactory(
        user=applicant, starts_on=today - datetime.timedelta(days=2000), ends_on=today,
        group=MemberGroup.EDUCATION_FACULTY,
    )
    invoice = membership_upgrade_request(user=applicant)

    bank_transfer_confirm(invoice=invoice, actor=ReviewerFactory())

    assert applicant.membership_periods.get(ends_on__isnull=True).group == MemberGroup.EDUCATION_FACULTY


def test_period_without_a_group_reads_not_stated():
    assert MembershipPeriodFactory(group="").group_label == "not stated"


def test_membership_form_requires_a_group(client, applicant):
    client.force_login(applicant)

    response = client.post(reverse("payments:membership"), {"plan": "annual"})

    assert response.status_code == 200
    assert response.context["form"].errors["group"]
    assert not applicant.invoices.exists()


# The public page ------------------------------------------------------------------------------


def test_membership_page_shows_benefits_and_plans_to_anonymous_visitors(client):
    response = client.get(reverse("payments:membership"))

    page = response.content.decode()
    assert response.status_code == 200
    for benefit in ("Member prices for the monthly webinars", "Members-only recordings", "The newsletter",
                    "permanent membership upgrade for USD 100"):
        assert benefit in page
    for plan in django_settings.PAYMENTS_MEMBERSHIP_PLANS.values():
        assert plan["name"] in page
        assert f"USD {plan['fee']}" in page
    assert "Sign in to become a member" in page
    assert response.context["form"] is None


def test_membership_page_plan_prices_follow_the_settings(client, settings):
    settings.PAYMENTS_MEMBERSHIP_PLANS = {"biennial": {"name": "Two-year membership", "fee": "110.00", "months": 24}}

    page = client.get(reverse("payments:membership")).content.decode()

    assert "Two-year membership" in page and "USD 110.00" in page and "24 months" in page


def test_membership_page_post_by_anonymous_goes_to_sign_in(client):
    response = client.post(reverse("payments:membership"), {"plan": "annual", "group": "supporter"})

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_membership_page_shows_a_member_their_period_group_and_renewal(client):
    period = MembershipPeriodFactory(group=MemberGroup.RESEARCHER_TRAINER_CONSULTANT)
    client.force_login(period.user)

    response = client.get(reverse("payments:membership"))

    page = response.content.decode()
    assert "Mentoring researcher, mentor trainer or consultant" in page
    assert response.context["renewal_starts_on"] == period.ends_on + datetime.timedelta(days=1)
    assert "Extend your membership" in page
    assert response.context["form"].initial["group"] == MemberGroup.RESEARCHER_TRAINER_CONSULTANT


def test_membership_page_shows_not_stated_for_a_member_without_a_group(client):
    period = MembershipPeriodFactory(group="")
    client.force_login(period.user)

    assert "Member group: not stated." in client.get(reverse("payments:membership")).content.decode()


# Reminders before the end ---------------------------------------------------------------------


def test_reminder_30_days_before_the_end_is_queued_once_when_run_twice():
    period = MembershipPeriodFactory(starts_on=DAY - datetime.timedelta(days=300), ends_on=DAY + datetime.timedelta(days=30))
    with _at(DAY):
        assert membership_reminders_send() == 1
        assert membership_reminders_send() == 0

    assert _reminders() == [f"membership-reminder:{period.pk}:30"]
    message = OutboxMessage.objects.get()
    assert message.to == [period.user.email]
    assert "30 days" in message.subject


def test_reminder_not_sent_more_than_30_days_before_the_end():
    MembershipPeriodFactory(starts_on=DAY - datetime.timedelta(days=300), ends_on=DAY + datetime.timedelta(days=31))
    with _at(DAY):
        assert membership_reminders_send() == 0

    assert _reminders() == []


def test_reminders_30_then_7_days_before_each_once():
    period = MembershipPeriodFactory(starts_on=DAY - datetime.timedelta(days=300), ends_on=DAY + datetime.timedelta(days=30))
    for offset in range(0, 31):
        with _at(DAY + datetime.timedelta(days=offset)):
            membership_reminders_send()

    assert _reminders() == [f"membership-reminder:{period.pk}:30", f"membership-reminder:{period.pk}:7"]


def test_missed_runs_catch_up_with_the_latest_reminder_only():
    period = MembershipPeriodFactory(starts_on=DAY - datetime.timedelta(days=300), ends_on=DAY + datetime.timedelta(days=5))
    with _at(DAY):
        membership_reminders_send()

    assert _reminders() == [f"membership-reminder:{period.pk}:7"]


def test_no_reminder_after_the_membership_ended():
    MembershipPeriodFactory(starts_on=DAY - datetime.timedelta(days=300), ends_on=DAY - datetime.timedelta(days=1))
    with _at(DAY):
        assert membership_reminders_send() == 0


def test_no_reminder_for_a_member_who_renewed():
    current = MembershipPeriodFactory(starts_on=DAY - datetime.timedelta(days=300), ends_on=DAY + datetime.timedelta(days=20))
    MembershipPeriodFactory(
        user=current.user, starts_on=current.ends_on + datetime.timedelta(days=1),
        ends_on=current.ends_on + datetime.timedelta(days=365),
    )
    with _at(DAY):
        assert membership_reminders_send() == 0


def test_a_renewal_period_is_reminded_before_its_own_end():
    current = MembershipPeriodFactory(starts_on=DAY - datetime.timedelta(days=300), ends_on=DAY + datetime.timedelta(days=20))
    MembershipPeriodFactory(
        user=current.user, starts_on=DAY + datetime.timedelta(days=40), ends_on=DAY + datetime.timedelta(days=400),
    )
    with _at(DAY):
        assert membership_reminders_send() == 1

    assert _reminders() == [f"membership-reminder:{current.pk}:30"]


def test_no_reminder_for_a_permanent_member():
    MembershipPeriodFactory(starts_on=DAY - datetime.timedelta(days=2000), ends_on=None, plan="permanent")
    with _at(DAY):
        assert membership_reminders_send() == 0


def test_reminder_task_is_on_the_beat_and_runs_the_service():
    entry = next(e for e in django_settings.CELERY_BEAT_SCHEDULE.values() if e["task"] == "payments.tasks.membership_reminders")
    assert entry["schedule"] <= 24 * 3600
    MembershipPeriodFactory(starts_on=DAY - datetime.timedelta(days=300), ends_on=DAY + datetime.timedelta(days=7))
    with _at(DAY):
        assert membership_reminders.apply().get() == 1
        assert membership_reminders.apply().get() == 0


# A refund ends the period ----------------------------------------------------------------------


@pytest.fixture
def paid_membership(applicant, settings):
    settings.PAYMENTS_DEMO_PROVIDER = True
    with _at(DAY):
        invoice = membership_purchase(user=applicant, plan_code="annual", group=MemberGroup.SUPPORTER)
        demo_payment_complete(invoice=invoice, actor=applicant)
    return invoice


def test_refunded_membership_ends_on_the_refund_day(paid_membership):
    refund_day = DAY + datetime.timedelta(days=40)
    with _at(refund_day):
        invoice_refund(kind="membership", reference=paid_membership.reference, actor=ReviewerFactory(), reason="asked")
        assert refund_submit(refund_id=Refund.objects.get().pk) is True

    period = MembershipPeriod.objects.get(invoice=paid_membership)
    assert (period.starts_on, period.ends_on) == (DAY, refund_day)


def test_membership_keeps_its_end_until_a_bank_refund_completes(applicant):
    reviewer = ReviewerFactory()
    with _at(DAY):
        invoice = membership_purchase(user=applicant, plan_code="annual", group=MemberGroup.SUPPORTER)
        bank_transfer_confirm(invoice=invoice, actor=reviewer)
    with _at(DAY + datetime.timedelta(days=10)):
        invoice_refund(kind="membership", reference=invoice.reference, actor=reviewer, reason="asked")
    period = MembershipPeriod.objects.get(invoice=invoice)
    assert period.ends_on == DAY + datetime.timedelta(days=364)

    with _at(DAY + datetime.timedelta(days=12)):
        refund_complete(refund=Refund.objects.get(), actor=reviewer, reference="BANK-1")

    period.refresh_from_db()
    assert period.ends_on == DAY + datetime.timedelta(days=12)


def test_refunded_renewal_that_had_not_begun_is_removed(applicant, settings):
    settings.PAYMENTS_DEMO_PROVIDER = True
    MembershipPeriodFactory(user=applicant, starts_on=DAY - datetime.timedelta(days=100), ends_on=DAY + datetime.timedelta(days=200))
    with _at(DAY):
        invoice = membership_purchase(user=applicant, plan_code="annual", group=MemberGroup.SUPPORTER)
        demo_payment_complete(invoice=invoice, actor=applicant)
        assert MembershipPeriod.objects.filter(invoice=invoice).exists()
        invoice_refund(kind="membership", reference=invoice.reference, actor=ReviewerFactory(), reason="asked")
        refund_submit(refund_id=Refund.objects.get().pk)

    assert not MembershipPeriod.objects.filter(invoice=invoice).exists()
    assert applicant.membership_periods.count() == 1


def test_refunded_membership_is_not_reminded(paid_membership):
    refund_day = DAY + datetime.timedelta(days=40)
    with _at(refund_day):
        invoice_refund(kind="membership", reference=paid_membership.reference, actor=ReviewerFactory(), reason="asked")
        refund_submit(refund_id=Refund.objects.get().pk)
        assert membership_reminders_send() == 0


def test_refund_of_another_kind_leaves_the_membership_alone(raise_invoice, settings):
    settings.PAYMENTS_DEMO_PROVIDER = True
    period = MembershipPeriodFactory(user=ApplicantFactory())
    invoice = raise_invoice(payer=period.user, kind="exam", reference="booking:77", level_code="AM")
    demo_payment_complete(invoice=invoice, actor=period.user)
    invoice_refund(kind="exam", reference="booking:77", actor=ReviewerFactory(), reason="cancelled")
    refund_submit(refund_id=Refund.objects.get().pk)

    ends_on = period.ends_on
    period.refresh_from_db()
    assert period.ends_on == ends_on
