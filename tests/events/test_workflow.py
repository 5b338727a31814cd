import datetime
import zoneinfo

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from events.models import Event, EventStatus, RegistrationStatus
from events.services import event_cancel, event_finish, event_publish, registration_create, series_create_next
from payments.models import InvoiceStatus
from tests.factories import ApplicantFactory

pytestmark = pytest.mark.django_db


def test_publish_moves_a_draft_and_records_who(event_factory, reviewer):
    event = event_factory(status=EventStatus.DRAFT)

    event_publish(event=event, actor=reviewer)

    event.refresh_from_db()
    assert event.status == EventStatus.PUBLISHED
    line = event.events.get()
    assert (line.from_status, line.to_status, line.actor) == ("draft", "published", reviewer)


@pytest.mark.parametrize("status", [EventStatus.CANCELLED, EventStatus.FINISHED, EventStatus.PUBLISHED])
def test_publish_refused_unless_draft(event_factory, reviewer, status):
    event = event_factory(status=status)

    with pytest.raises(ValidationError, match="cannot become"):
        event_publish(event=event, actor=reviewer)


def test_finish_refused_before_the_event_ends(event_factory, reviewer):
    event = event_factory()

    with pytest.raises(ValidationError, match="only after it has ended"):
        event_finish(event=event, actor=reviewer)


def test_finish_after_the_end(event_factory, reviewer):
    start = timezone.now() - datetime.timedelta(hours=3)
    event = event_factory(starts_at=start, ends_at=start + datetime.timedelta(hours=1))

    event_finish(event=event, actor=reviewer)

    assert Event.objects.get(pk=event.pk).status == EventStatus.FINISHED


def test_cancel_needs_a_reason(event_factory, reviewer):
    with pytest.raises(ValidationError, match="reason"):
        event_cancel(event=event_factory(), actor=reviewer, note=" ")


def test_cancel_refunds_paid_places_and_voids_open_invoices(event_factory, reviewer, pay):
    event = event_factory(prices=("10.00", "20.00"))
    paid = registration_create(event=event, person=ApplicantFactory())
    pay(paid)
    unpaid = registration_create(event=event, person=ApplicantFactory())

    event_cancel(event=event, actor=reviewer, note="The speaker fell ill.")

    paid.refresh_from_db()
    unpaid.refresh_from_db()
    assert paid.status == unpaid.status == RegistrationStatus.CANCELLED
    from events.services.billing import event_invoice

    assert event_invoice(paid).refund is not None
    assert event_invoice(unpaid).status == InvoiceStatus.VOID
    assert Event.objects.get(pk=event.pk).places_taken == 0


def test_series_creates_the_next_twelve_monthly_webinars_once(series_factory, reviewer):
    series = series_factory()

    first = series_create_next(series=series, actor=reviewer)
    second = series_create_next(series=series, actor=reviewer)

    assert len(first) == 12 and len(second) == 12
    events = list(series.events.order_by("starts_at"))
    assert len(events) == 24
    assert len({(e.starts_at.year, e.starts_at.month) for e in events}) == 24
    shanghai = zoneinfo.ZoneInfo("Asia/Shanghai")
    for event in events:
        local = event.starts_at.astimezone(shanghai)
        assert local.weekday() == 3 and 8 <= local.day <= 14 and local.hour == 13
        assert event.status == EventStatus.DRAFT
        assert {p.audience: p.amount for p in event.prices.all()} == {"member": 0, "non_member": 15}
