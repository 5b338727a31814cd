import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core import mail  # noqa: F401  (outbox is asserted through OutboxMessage)
from django.core.exceptions import ValidationError
from django.utils import timezone

from events.models import Event, RegistrationStatus
from events.services import (
    offer_accept,
    offers_expire,
    registration_cancel,
    registration_create,
    registrations_release_unpaid,
    reminders_send,
)
from events.services.billing import event_invoice
from notifications.models import OutboxMessage
from notifications.services import outbox_message_bodies
from payments.models import InvoiceStatus
from tests.factories import ApplicantFactory
from tests.payments.factories import MembershipPeriodFactory

pytestmark = pytest.mark.django_db
RS = RegistrationStatus


def test_free_registration_is_confirmed_with_a_calendar_file(event_factory, applicant):
    event = event_factory()

    registration = registration_create(event=event, person=applicant)

    assert registration.status == RS.CONFIRMED
    assert Event.objects.get(pk=event.pk).places_taken == 1
    message = OutboxMessage.objects.get(key=f"event-registration:{registration.pk}:confirmed")
    assert message.to == [applicant.email]
    assert message.attachments[0]["mimetype"] == "text/calendar"
    assert event_invoice(registration) is None


def test_non_member_pays_the_non_member_price(event_factory, applicant):
    registration = registration_create(event=event_factory(prices=("40.00", "90.00")), person=applicant)

    invoice = event_invoice(registration)
    assert registration.status == RS.PENDING_PAYMENT
    assert (invoice.amount, invoice.member_pricing, invoice.status) == (Decimal("90.00"), False, InvoiceStatus.OPEN)


def test_member_pays_the_member_price(event_factory, member):
    registration = registration_create(event=event_factory(prices=("40.00", "90.00")), person=member)

    assert (event_invoice(registration).amount, registration.member_pricing) == (Decimal("40.00"), True)


def test_membership_that_ended_yesterday_gives_no_member_price(event_factory):
    today = timezone.now().date()
    lapsed = MembershipPeriodFactory(starts_on=today - datetime.timedelta(days=365),
                                     ends_on=today - datetime.timedelta(days=1)).user

    registration = registration_create(event=event_factory(prices=("40.00", "90.00")), person=lapsed)

    assert event_invoice(registration).amount == Decimal("90.00")


def test_early_bird_price_until_its_date(event_factory, applicant):
    event = event_factory()
    today = timezone.now().date()
    event.prices.create(audience="non_member", amount=Decimal("90"), early_bird_amount=Decimal("60"),
                        early_bird_until=today)

    registration = registration_create(event=event, person=applicant)

    assert event_invoice(registration).amount == Decimal("60.00")


def test_paying_confirms_the_place(event_factory, applicant, pay):
    registration = registration_create(event=event_factory(prices=("40.00", "90.00")), person=applicant)

    pay(registration)

    assert registration.status == RS.CONFIRMED
    assert OutboxMessage.objects.filter(key=f"event-registration:{registration.pk}:confirmed").exists()


def test_registering_twice_is_refused(event_factory, applicant):
    event = event_factory()
    registration_create(event=event, person=applicant)

    with pytest.raises(ValidationError, match="already registered"):
        registration_create(event=event, person=applicant)
    assert Event.objects.get(pk=event.pk).places_taken == 1


@pytest.mark.parametrize("status", ["draft", "cancelled", "finished"])
def test_registration_refused_unless_published(event_factory, applicant, status):
    with pytest.raises(ValidationError, match="not open"):
        registration_create(event=event_factory(status=status), person=applicant)


def test_registration_refused_after_it_closes(event_factory, applicant):
    event = event_factory(registration_closes_at=timezone.now() - datetime.timedelta(minutes=1))

    with pytest.raises(ValidationError, match="not open"):
        registration_create(event=event, person=applicant)


def test_full_event_puts_people_on_the_waiting_list(event_factory):
    event = event_factory(capacity=1)
    registration_create(event=event, person=ApplicantFactory())

    waiting = registration_create(event=event, person=ApplicantFactory())

    assert waiting.status == RS.WAITLISTED
    assert Event.objects.get(pk=event.pk).places_taken == 1


def test_full_event_without_waitlist_says_no_places_left(event_factory):
    event = event_factory(capacity=1)
    registration_create(event=event, person=ApplicantFactory())

    with pytest.raises(ValidationError, match="No places are left"):
        registration_create(event=event, person=ApplicantFactory(), waitlist=False)


def test_cancelled_place_is_offered_to_the_first_in_line_and_taken(event_factory):
    event = event_factory(capacity=1)
    holder = registration_create(event=event, person=ApplicantFactory())
    first = registration_create(event=event, person=ApplicantFactory())
    second = registration_create(event=event, person=ApplicantFactory())

    registration_cancel(registration=holder, actor=holder.person)

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (RS.OFFERED, RS.WAITLISTED)
    assert Event.objects.get(pk=event.pk).places_taken == 1
    assert OutboxMessage.objects.filter(key__startswith=f"event-registration:{first.pk}:offered").count() == 1

    offer_accept(registration=first, actor=first.person)
    first.refresh_from_db()
    assert first.status == RS.CONFIRMED


def test_a_lapsed_offer_is_told_to_its_person_once(event_factory, settings):
    event = event_factory(capacity=1)
    holder = registration_create(event=event, person=ApplicantFactory())
    first = registration_create(event=event, person=ApplicantFactory())
    registration_cancel(registration=holder, actor=holder.person)
    later = timezone.now() + datetime.timedelta(hours=settings.EVENTS_WAITLIST_OFFER_HOURS, minutes=1)

    offers_expire(now=later)
    offers_expire(now=later)

    told = OutboxMessage.objects.filter(key__startswith=f"event-registration:{first.pk}:offer-expired")
    assert told.count() == 1 and told.get().to == [first.person.email]
    assert "went to the next person in line" in outbox_message_bodies(told.get())[0]


def test_the_offer_mail_gives_its_deadline_in_the_persons_time_zone(event_factory):
    event = event_factory(capacity=1)
    holder = registration_create(event=event, person=ApplicantFactory())
    first = registration_create(event=event, person=ApplicantFactory(time_zone="America/New_York"))

    registration_cancel(registration=holder, actor=holder.person)

    first.refresh_from_db()
    body = outbox_message_bodies(OutboxMessage.objects.get(key__startswith=f"event-registration:{first.pk}:offered"))[0]
    local = timezone.localtime(first.offer_expires_at, ZoneInfo("America/New_York"))
    assert f"{local:%H:%M} (America/New_York)" in body and "(UTC)" not in body


def test_offer_not_taken_in_time_goes_to_the_next(event_factory, settings):
    event = event_factory(capacity=1)
    holder = registration_create(event=event, person=ApplicantFactory())
    first = registration_create(event=event, person=ApplicantFactory())
    second = registration_create(event=event, person=ApplicantFactory())
    registration_cancel(registration=holder, actor=holder.person)

    later = timezone.now() + datetime.timedelta(hours=settings.EVENTS_WAITLIST_OFFER_HOURS, minutes=1)
    assert offers_expire(now=later) == 1
    assert offers_expire() == 0  # the new offer has its own time

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (RS.EXPIRED, RS.OFFERED)
    assert Event.objects.get(pk=event.pk).places_taken == 1
    with pytest.raises(ValidationError, match="no longer open"):
        offer_accept(registration=first, actor=first.person)


def test_someone_else_cannot_take_an_offer(event_factory, applicant):
    event = event_factory(capacity=1)
    holder = registration_create(event=event, person=ApplicantFactory())
    waiting = registration_create(event=event, person=ApplicantFactory())
    registration_cancel(registration=holder, actor=holder.person)

    with pytest.raises(ValidationError, match="not yours"):
        offer_accept(registration=waiting, actor=applicant)


def test_unpaid_place_is_released_after_the_setting_once(event_factory, settings):
    event = event_factory(capacity=1, prices=("40.00", "90.00"))
    registration = registration_create(event=event, person=ApplicantFactory())
    waiting = registration_create(event=event, person=ApplicantFactory())

    assert registrations_release_unpaid() == 0
    later = timezone.now() + datetime.timedelta(hours=settings.EVENTS_UNPAID_RELEASE_HOURS, minutes=1)
    assert registrations_release_unpaid(now=later) == 1
    assert registrations_release_unpaid(now=later) == 0

    registration.refresh_from_db()
    waiting.refresh_from_db()
    assert registration.status == RS.RELEASED
    assert event_invoice(registration).status == InvoiceStatus.VOID
    assert waiting.status == RS.OFFERED
    assert Event.objects.get(pk=event.pk).places_taken == 1


def test_cancel_before_the_deadline_refunds(event_factory, applicant, pay):
    event = event_factory(prices=("40.00", "90.00"), starts_at=timezone.now() + datetime.timedelta(days=30))
    registration = registration_create(event=event, person=applicant)
    pay(registration)

    registration_cancel(registration=registration, actor=applicant)

    invoice = event_invoice(registration)
    assert invoice.refund.amount == Decimal("90.00")
    assert Event.objects.get(pk=registration.event_id).places_taken == 0


def test_cancel_after_the_deadline_gives_no_refund(event_factory, applicant, pay, settings):
    event = event_factory(prices=("40.00", "90.00"),
                          starts_at=timezone.now() + datetime.timedelta(hours=settings.EVENTS_REFUND_DEADLINE_HOURS - 1))
    registration = registration_create(event=event, person=applicant)
    pay(registration)

    registration_cancel(registration=registration, actor=applicant)

    invoice = event_invoice(registration)
    assert invoice.status == InvoiceStatus.PAID
    assert not hasattr(invoice, "refund") or invoice.refund is None
    assert "no refund" in registration.events.last().note


def test_cancel_refused_for_someone_else(event_factory, applicant):
    registration = registration_create(event=event_factory(), person=ApplicantFactory())

    with pytest.raises(ValidationError, match="not yours"):
        registration_cancel(registration=registration, actor=applicant)


def test_cancel_refused_once_the_event_has_started(event_factory, applicant):
    event = event_factory(starts_at=timezone.now() + datetime.timedelta(minutes=5))
    registration = registration_create(event=event, person=applicant)
    Event.objects.filter(pk=event.pk).update(starts_at=timezone.now() - datetime.timedelta(minutes=5))

    with pytest.raises(ValidationError, match="has started"):
        registration_cancel(registration=registration, actor=applicant)
    registration.refresh_from_db()
    assert registration.status == RS.CONFIRMED


@pytest.mark.parametrize("status", [RS.CANCELLED])
def test_cancel_twice_is_refused(event_factory, applicant, status):
    registration = registration_create(event=event_factory(), person=applicant)
    registration_cancel(registration=registration, actor=applicant)

    with pytest.raises(ValidationError, match="cannot become"):
        registration_cancel(registration=registration, actor=applicant)


def test_reminders_go_24_hours_and_1_hour_before_each_once(event_factory, applicant):
    event = event_factory(starts_at=timezone.now() + datetime.timedelta(hours=20))
    registration = registration_create(event=event, person=applicant)

    assert reminders_send() == 1
    assert reminders_send() == 0
    assert reminders_send(now=event.starts_at - datetime.timedelta(minutes=50)) == 1
    assert reminders_send(now=event.starts_at - datetime.timedelta(minutes=40)) == 0

    keys = set(OutboxMessage.objects.filter(key__contains="reminder").values_list("key", flat=True))
    assert keys == {f"event-registration:{registration.pk}:reminder-24h",
                    f"event-registration:{registration.pk}:reminder-1h"}
