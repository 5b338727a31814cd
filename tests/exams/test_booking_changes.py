from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from accreditation.signals import exam_window_closing
from exams.models import Booking, BookingEvent, BookingStatus, ExamSession
from exams.receivers import invoice_paid_received
from exams.services import (
    booking_attendance_set,
    booking_cancel,
    booking_create,
    booking_mark_paid,
    booking_release_unpaid,
    booking_reschedule,
)
from notifications.models import OutboxMessage
from payments.models import Invoice
from payments.services import invoice_raise
from tests.factories import ApplicantFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def booking(candidate, session, level_am):
    return booking_create(candidate=candidate, session=session, level=level_am)


def seats(session) -> int:
    return ExamSession.objects.get(pk=session.pk).seats_taken


def test_cancel_before_the_deadline_frees_the_seat_and_settles_the_fee(booking):
    booking_cancel(booking=booking, actor=booking.candidate, reason="Moved abroad")

    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    assert booking.cancelled_at is not None
    assert seats(booking.session) == 0
    event = booking.events.last()
    assert (event.from_status, event.to_status, event.note) == ("booked", "cancelled", "Moved abroad")
    invoice = Invoice.objects.get(kind="exam", reference=f"booking:{booking.pk}")  # unpaid, so voided
    assert (invoice.status, invoice.events.last().actor) == ("void", booking.candidate)
    assert "Moved abroad" in invoice.events.last().note
    message = OutboxMessage.objects.get(key=f"booking-cancelled:{booking.pk}")
    assert b"METHOD:CANCEL" in __import__("base64").b64decode(message.attachments[0]["content_b64"])


def test_cancel_after_the_deadline_is_refused_with_the_date(booking, settings):
    settings.EXAM_CHANGE_DEADLINE_DAYS = 14
    with time_machine.travel(booking.session.starts_at - timedelta(days=13)), \
            pytest.raises(ValidationError, match="Cancellation closed on .*, 14 days before the session"):
        booking_cancel(booking=booking, actor=booking.candidate)

    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.BOOKED
    assert seats(booking.session) == 1


def test_deadline_follows_the_setting(booking, settings):
    settings.EXAM_CHANGE_DEADLINE_DAYS = 3
    with time_machine.travel(booking.session.starts_at - timedelta(days=4)):
        booking_cancel(booking=booking, actor=booking.candidate)

    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.CANCELLED


def test_cancel_twice_is_refused(booking):
    booking_cancel(booking=booking, actor=booking.candidate)

    with pytest.raises(ValidationError, match="Only a booked seat can be cancelled"):
        booking_cancel(booking=booking, actor=booking.candidate)
    assert seats(booking.session) == 0


def test_reschedule_moves_the_seat_and_sends_a_new_invitation(booking, session_factory, centre_factory):
    later = session_factory(centre=centre_factory(city="Paris", country="FR", time_zone="Europe/Paris"),
                            starts_at=booking.session.starts_at + timedelta(days=40))
    old_session = booking.session

    booking_reschedule(booking=booking, to_session=later, actor=booking.candidate)

    booking.refresh_from_db()
    assert (booking.session, booking.window, booking.status) == (later, later.window, BookingStatus.BOOKED)
    assert (seats(old_session), seats(later)) == (0, 1)
    event = booking.events.last()
    assert (event.from_status, event.to_status) == ("booked", "booked")
    assert "Rescheduled from" in event.note
    message = OutboxMessage.objects.get(key=f"booking-rescheduled:{event.pk}")
    ics = __import__("base64").b64decode(message.attachments[0]["content_b64"]).decode()
    assert "SEQUENCE:1" in ics and "TZID=Europe/Paris" in ics


def test_reschedule_to_a_full_session_is_refused(booking, session_factory):
    full = session_factory(capacity=1)
    ExamSession.objects.filter(pk=full.pk).update(seats_taken=1)

    with pytest.raises(ValidationError, match="No seats left in that session"):
        booking_reschedule(booking=booking, to_session=full, actor=booking.candidate)

    assert Booking.objects.get(pk=booking.pk).session == booking.session
    assert seats(booking.session) == 1


def test_reschedule_after_the_deadline_is_refused(booking, session_factory):
    other = session_factory(starts_at=booking.session.starts_at + timedelta(days=40))

    with time_machine.travel(booking.session.starts_at - timedelta(days=2)), \
            pytest.raises(ValidationError, match="Rescheduling closed on"):
        booking_reschedule(booking=booking, to_session=other, actor=booking.candidate)


def test_reschedule_to_a_session_not_offering_the_level_is_refused(booking, session_factory):
    other = session_factory(levels=["MM"])

    with pytest.raises(ValidationError, match="does not offer the Associate Mentor exam"):
        booking_reschedule(booking=booking, to_session=other, actor=booking.candidate)


def test_release_unpaid_frees_the_seat_exactly_once(booking):
    assert booking_release_unpaid(booking_id=booking.pk) is True
    assert booking_release_unpaid(booking_id=booking.pk) is False

    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    assert seats(booking.session) == 0
    assert BookingEvent.objects.filter(booking=booking, to_status="cancelled").count() == 1
    assert OutboxMessage.objects.filter(key=f"booking-released:{booking.pk}").count() == 1


def test_release_unpaid_leaves_a_paid_booking_alone(booking):
    booking_mark_paid(booking_id=booking.pk)

    assert booking_release_unpaid(booking_id=booking.pk) is False
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.BOOKED
    assert seats(booking.session) == 1


def test_invoice_paid_signal_marks_the_booking_paid_once(booking):
    invoice = Invoice.objects.get(reference=f"booking:{booking.pk}")

    invoice_paid_received(sender=None, invoice=invoice)
    first = Booking.objects.get(pk=booking.pk).paid_at
    invoice_paid_received(sender=None, invoice=invoice)

    assert first is not None
    assert Booking.objects.get(pk=booking.pk).paid_at == first


def test_invoice_paid_of_another_kind_is_ignored(booking):
    renewal = invoice_raise(payer=booking.candidate, kind="renewal", reference=f"booking:{booking.pk}")

    invoice_paid_received(sender=None, invoice=renewal)

    assert Booking.objects.get(pk=booking.pk).paid_at is None


def test_attendance_recorded_only_once_the_session_started(booking):
    with pytest.raises(ValidationError, match="once the session has started"):
        booking_attendance_set(booking=booking, attended=True, actor=None)

    with time_machine.travel(booking.session.starts_at + timedelta(minutes=1)):
        booking_attendance_set(booking=booking, attended=True, actor=None)

    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.ATTENDED


def test_a_finished_booking_cannot_change_status(booking):
    with time_machine.travel(booking.session.starts_at + timedelta(minutes=1)):
        booking_attendance_set(booking=booking, attended=False, actor=None)
        with pytest.raises(ValidationError, match="is “No-show” and cannot become “Attended”"):
            booking_attendance_set(booking=booking, attended=True, actor=None)


def test_no_show_using_the_last_attempt_lapses_the_application(candidate, session_factory, level_am, settings,
                                                               acceptances, lapses, django_capture_on_commit_callbacks):
    settings.EXAM_ATTEMPT_LIMIT = 1
    booking = booking_create(candidate=candidate, session=session_factory(), level=level_am)

    with time_machine.travel(booking.session.starts_at + timedelta(minutes=1)), \
            django_capture_on_commit_callbacks(execute=True):
        booking_attendance_set(booking=booking, attended=False, actor=None)

    application = acceptances(user=candidate, level_code="AM")
    assert [call[0] for call in lapses()] == [application.pk]
    assert "attempts" in lapses()[0][1]


def window_closing(application) -> list:
    """What accreditation hears when it asks, before lapsing, whether exams wants it to wait."""
    return [answer for _receiver, answer in exam_window_closing.send(sender=type(application),
                                                                     application=application)]


def test_window_closing_waits_for_a_booked_session_still_ahead(candidate, booking, acceptances):
    assert True in window_closing(acceptances(user=candidate, level_code="AM"))


def test_window_closing_waits_for_the_result_of_a_sitting(candidate, booking, acceptances):
    with time_machine.travel(booking.session.starts_at + timedelta(minutes=1)):
        booking_attendance_set(booking=booking, attended=True, actor=None)

    assert True in window_closing(acceptances(user=candidate, level_code="AM"))


def test_window_closing_does_not_wait_without_a_sitting_to_come(candidate, booking, acceptances):
    with time_machine.travel(booking.session.starts_at + timedelta(minutes=1)):
        booking_attendance_set(booking=booking, attended=False, actor=None)

    assert True not in window_closing(acceptances(user=candidate, level_code="AM"))


def test_window_closing_does_not_wait_for_an_applicant_who_never_booked(acceptances):
    application = acceptances.accept(ApplicantFactory(), "AM", days_ago=400)

    assert True not in window_closing(application)


def test_booking_page_warns_that_a_seat_in_a_session_past_its_deadline_cannot_be_changed(
        client, candidate, session_factory, level_am, settings):
    settings.EXAM_CHANGE_DEADLINE_DAYS = 14
    late = session_factory(starts_at=timezone.now() + timedelta(days=9))
    early = session_factory(starts_at=timezone.now() + timedelta(days=30))
    client.force_login(candidate)

    late_page = client.get(f"/exams/sessions/{late.pk}/book/").content.decode()
    early_page = client.get(f"/exams/sessions/{early.pk}/book/").content.decode()

    assert "once booked, this seat cannot be cancelled or rescheduled" in late_page
    assert "You can cancel or reschedule this seat until" not in late_page
    assert "You can cancel or reschedule this seat until" in early_page
    assert "cannot be cancelled or rescheduled" not in early_page


def test_the_confirmation_of_a_late_booking_gives_no_deadline_already_past(candidate, session_factory, level_am,
                                                                           settings):
    settings.EXAM_CHANGE_DEADLINE_DAYS = 14
    late = session_factory(starts_at=timezone.now() + timedelta(days=9))

    booking = booking_create(candidate=candidate, session=late, level=level_am)

    body = OutboxMessage.objects.get(key=f"booking-confirmed:{booking.pk}").body_text
    assert "You can cancel or reschedule until" not in body
    assert "this seat cannot be cancelled or rescheduled" in body


def test_the_reschedule_page_of_a_booking_past_its_deadline_sends_back_with_the_reason(client, booking, settings):
    settings.EXAM_CHANGE_DEADLINE_DAYS = 14
    client.force_login(booking.candidate)

    with time_machine.travel(booking.session.starts_at - timedelta(days=13)):
        response = client.get(f"/exams/bookings/{booking.pk}/reschedule/", follow=True)

    assert response.redirect_chain == [(f"/exams/bookings/{booking.pk}/", 302)]
    assert "Cancelling and rescheduling closed on" in response.content.decode()
    assert Booking.objects.get(pk=booking.pk).session_id == booking.session_id


def test_the_reschedule_page_of_a_cancelled_booking_sends_back(client, booking):
    booking_cancel(booking=booking, actor=booking.candidate)
    client.force_login(booking.candidate)

    response = client.get(f"/exams/bookings/{booking.pk}/reschedule/", follow=True)

    assert response.redirect_chain == [(f"/exams/bookings/{booking.pk}/", 302)]
    assert "Only a booked seat can be moved to another session." in response.content.decode()


def test_an_unpaid_booking_links_to_its_invoice_and_a_paid_one_does_not(client, booking):
    invoice = Invoice.objects.get(kind="exam", reference=f"booking:{booking.pk}")
    client.force_login(booking.candidate)

    unpaid = client.get(f"/exams/bookings/{booking.pk}/").content.decode()
    booking_mark_paid(booking_id=booking.pk)
    paid = client.get(f"/exams/bookings/{booking.pk}/").content.decode()

    assert f"/invoices/{invoice.number}/" in unpaid and "Not paid yet: USD 31.00." in unpaid
    assert f"/invoices/{invoice.number}/" not in paid
