from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from icalendar import Calendar

from accreditation.models import Level
from exams.models import Booking, BookingEvent, BookingStatus, ExamSession, FeeKind
from exams.services import booking_create
from fasttrack.services import candidate_enrol, referral_accept
from notifications.models import OutboxMessage
from partners.services import Outcome, enrolment_accept, enrolment_record
from payments.models import Invoice
from tests.factories import ApplicantFactory
from tests.fasttrack.factories import ReferralFactory
from tests.partners.factories import CohortFactory, FasttrackProgrammeFactory, QTSPFactory, owner_of

pytestmark = pytest.mark.django_db


def test_booking_takes_a_seat_records_the_event_and_raises_the_exam_fee(candidate, session, level_am):
    booking = booking_create(candidate=candidate, session=session, level=level_am)

    session.refresh_from_db()
    assert session.seats_taken == 1
    assert booking.status == BookingStatus.BOOKED
    assert booking.window == session.window
    assert (booking.attempt_number, booking.fee_kind) == (1, FeeKind.EXAM)
    event = BookingEvent.objects.get(booking=booking)
    assert (event.from_status, event.to_status, event.actor) == ("", BookingStatus.BOOKED, candidate)
    invoice = Invoice.objects.get(reference=f"booking:{booking.pk}")
    assert (invoice.payer, invoice.kind, invoice.level.code, invoice.status) == (candidate, "exam", "AM", "open")
    assert invoice.events.get().actor == candidate


def test_booking_confirmation_goes_through_the_outbox_with_an_ics_invitation(candidate, session_factory,
                                                                             centre_factory, level_am):
    centre = centre_factory(name="Shibuya Exam Hall", city="Tokyo", country="JP", time_zone="Asia/Tokyo")
    session = session_factory(centre=centre)

    booking = booking_create(candidate=candidate, session=session, level=level_am)

    message = OutboxMessage.objects.get(key=f"booking-confirmed:{booking.pk}")
    assert message.to == [candidate.email]
    assert "Associate Mentor" in message.subject
    local = timezone.localtime(session.starts_at, centre.zone)
    assert f"{local:%H:%M} JST" in message.body_text
    [attachment] = message.attachments
    assert (attachment["filename"], attachment["mimetype"]) == (f"ipma-exam-{booking.pk}.ics", "text/calendar")
    import base64

    calendar = Calendar.from_ical(base64.b64decode(attachment["content_b64"]))
    [event] = calendar.walk("VEVENT")
    assert event.decoded("dtstart") == local
    assert str(event["dtstart"].params["TZID"]) == "Asia/Tokyo"
    assert event.decoded("dtend") - event.decoded("dtstart") == timedelta(minutes=session.duration_minutes)
    assert "Shibuya Exam Hall" in str(event["location"])
    assert [tz["tzid"] for tz in calendar.walk("VTIMEZONE")] == ["Asia/Tokyo"]


def test_invitations_write_each_time_zone_once_per_process_as_icalendar_does(candidate, session_factory,
                                                                             centre_factory, level_am):
    from exams.services import mail

    mail._vtimezone.cache_clear()
    centre = centre_factory(time_zone="America/Sao_Paulo")
    booking = booking_create(candidate=candidate, session=session_factory(centre=centre), level=level_am)

    raw = mail.booking_ics(booking, sequence=1)
    invitation = Calendar.from_ical(raw)

    from_scratch = Calendar.from_ical(mail.booking_ics(booking))
    from_scratch.subcomponents = [part for part in from_scratch.subcomponents if part.name != "VTIMEZONE"]
    from_scratch.add_missing_timezones()
    assert [part.to_ical() for part in invitation.walk("VTIMEZONE")] == \
        [part.to_ical() for part in from_scratch.walk("VTIMEZONE")]
    assert [part.name for part in invitation.subcomponents] == ["VTIMEZONE", "VEVENT"]
    assert invitation.to_ical() == raw  # whole lines, in icalendar's own order
    # written once for the confirmation mail and reused by both invitations after it
    assert (mail._vtimezone.cache_info().misses, mail._vtimezone.cache_info().hits) == (1, 2)


def test_invitation_of_a_centre_on_utc_has_no_time_zone_component(candidate, session_factory, centre_factory,
                                                                 level_am):
    from exams.services import mail

    booking = booking_create(candidate=candidate, session=session_factory(centre=centre_factory(time_zone="UTC")),
                             level=level_am)

    assert Calendar.from_ical(mail.booking_ics(booking)).walk("VTIMEZONE") == []


def test_booking_refused_when_session_full(session_factory, candidate, acceptances, level_am):
    session = session_factory(capacity=1)
    other = ApplicantFactory()
    acceptances.accept(other, "AM")
    booking_create(candidate=other, session=session, level=level_am)

    with pytest.raises(ValidationError, match="No seats left"):
        booking_create(candidate=candidate, session=session, level=level_am)

    assert session.bookings.count() == 1
    assert ExamSession.objects.get(pk=session.pk).seats_taken == 1


def test_nobody_is_eligible_without_an_accepted_application_or_fast_track(session, level_am):
    applicant = ApplicantFactory()

    with pytest.raises(ValidationError, match="has not been accepted for the exam"):
        booking_create(candidate=applicant, session=session, level=level_am)
    with pytest.raises(ValidationError, match="has not been accepted for the exam"):
        booking_create(candidate=applicant, session=session, level=Level.objects.get(code="SM"))

    assert not Booking.objects.exists()


def test_accreditation_acceptance_decides_eligibility(session, level_am, acceptances):
    applicant = ApplicantFactory()
    acceptances.accept(applicant, "AM", days_ago=3)

    booking = booking_create(candidate=applicant, session=session, level=level_am)

    assert booking.candidate == applicant


def test_booking_refused_for_a_level_not_accepted(candidate, session):
    with pytest.raises(ValidationError, match="Professional Mentor has not been accepted"):
        booking_create(candidate=candidate, session=session, level=Level.objects.get(code="PM"))


def fasttrack_trained() -> object:
    """A fast-track candidate whose referred QTSP accepted them and recorded the training as passed."""
    qtsp = QTSPFactory(place="London")
    FasttrackProgrammeFactory(qtsp=qtsp)
    referral = ReferralFactory(qtsp=qtsp)
    staff = owner_of(qtsp)
    cohort = CohortFactory(programme=qtsp.programmes.get(is_fasttrack=True), is_online=False, venue="Strand 1")
    referral_accept(referral=referral, actor=staff)
    enrolment = candidate_enrol(referral=referral, cohort=cohort, actor=staff)
    enrolment = enrolment_accept(enrolment=enrolment, user=referral.application.applicant)
    enrolment_record(enrolment=enrolment, actor=staff, attended_hours=Decimal(40), attended_days=5,
                     outcome=Outcome.PASSED)
    return referral.application.applicant


def test_fasttrack_candidate_with_training_complete_may_book_senior_mentor(session):
    applicant = fasttrack_trained()

    booking = booking_create(candidate=applicant, session=session, level=Level.objects.get(code="SM"))

    assert booking.level.code == "SM"
    with pytest.raises(ValidationError, match="not been accepted"):
        booking_create(candidate=applicant, session=session, level=Level.objects.get(code="MM"))


def test_booking_refused_for_a_level_the_session_does_not_offer(candidate, session_factory, level_am):
    session = session_factory(levels=["SM", "MM"])

    with pytest.raises(ValidationError, match="does not offer the Associate Mentor exam"):
        booking_create(candidate=candidate, session=session, level=level_am)


def test_booking_refused_once_the_session_has_started(candidate, session_factory, level_am):
    session = session_factory(starts_at=timezone.now() - timedelta(minutes=5))

    with pytest.raises(ValidationError, match="already started"):
        booking_create(candidate=candidate, session=session, level=level_am)


def test_one_active_booking_per_level_per_window(candidate, session_factory, level_am):
    first = session_factory()
    second = session_factory(starts_at=first.starts_at + timedelta(days=1), window=first.window)
    booking_create(candidate=candidate, session=first, level=level_am)

    with pytest.raises(ValidationError, match="already have a booking for the Associate Mentor exam in"):
        booking_create(candidate=candidate, session=second, level=level_am)

    assert ExamSession.objects.get(pk=second.pk).seats_taken == 0


def test_database_holds_one_active_booking_per_level_per_window(candidate, session, level_am):
    booking = booking_create(candidate=candidate, session=session, level=level_am)

    with pytest.raises(IntegrityError, match="exams_booking_one_active_per_level_window"), transaction.atomic():
        Booking.objects.create(candidate=candidate, session=session, window=session.window, level=level_am)

    Booking.objects.filter(pk=booking.pk).update(status=BookingStatus.CANCELLED)
    Booking.objects.create(candidate=candidate, session=session, window=session.window, level=level_am)


def test_database_refuses_more_seats_taken_than_capacity(session):
    with pytest.raises(IntegrityError, match="exams_session_seats_within_capacity"), transaction.atomic():
        ExamSession.objects.filter(pk=session.pk).update(seats_taken=session.capacity + 1)


def test_second_attempt_carries_the_retake_fee(candidate, session_factory, level_am):
    first = session_factory(starts_at=timezone.now() - timedelta(days=100))
    Booking.objects.create(candidate=candidate, session=first, window=first.window, level=level_am,
                           status=BookingStatus.ATTENDED, booked_at=timezone.now() - timedelta(days=20))

    booking = booking_create(candidate=candidate, session=session_factory(), level=level_am)

    assert (booking.attempt_number, booking.fee_kind) == (2, FeeKind.RETAKE)
    assert Invoice.objects.get(reference=f"booking:{booking.pk}").kind == "exam_retake"


def test_attempt_limit_refuses_a_fourth_sitting(candidate, session_factory, level_am, settings):
    settings.EXAM_ATTEMPT_LIMIT = 3
    past = session_factory(starts_at=timezone.now() - timedelta(days=100))
    for status in (BookingStatus.ATTENDED, BookingStatus.NO_SHOW, BookingStatus.ATTENDED):
        Booking.objects.create(candidate=candidate, session=past, window=past.window, level=level_am,
                               status=status, booked_at=timezone.now() - timedelta(days=10))

    with pytest.raises(ValidationError, match="used all 3 attempts"):
        booking_create(candidate=candidate, session=session_factory(), level=level_am)


def test_sittings_before_the_application_was_accepted_do_not_count(candidate, session_factory, level_am):
    past = session_factory(starts_at=timezone.now() - timedelta(days=400))
    for _ in range(3):
        Booking.objects.create(candidate=candidate, session=past, window=past.window, level=level_am,
                               status=BookingStatus.NO_SHOW, booked_at=timezone.now() - timedelta(days=400))

    booking = booking_create(candidate=candidate, session=session_factory(), level=level_am)

    assert booking.attempt_number == 1


def test_cancelled_bookings_do_not_use_an_attempt(candidate, session_factory, level_am, settings):
    settings.EXAM_ATTEMPT_LIMIT = 1
    session = session_factory()
    Booking.objects.create(candidate=candidate, session=session, window=session.window, level=level_am,
                           status=BookingStatus.CANCELLED)

    assert booking_create(candidate=candidate, session=session, level=level_am).attempt_number == 1


def test_session_after_the_eligibility_window_is_refused(session_factory, acceptances, level_am, settings):
    settings.EXAM_ELIGIBILITY_MONTHS = 12
    applicant = ApplicantFactory()
    acceptances.accept(applicant, "AM", days_ago=350)
    late = session_factory(starts_at=timezone.now() + timedelta(days=30))

    with pytest.raises(ValidationError, match="after your eligibility window closes"):
        booking_create(candidate=applicant, session=late, level=level_am)

    early = session_factory(starts_at=timezone.now() + timedelta(days=5))
    assert booking_create(candidate=applicant, session=early, level=level_am)


def test_booking_refused_once_the_eligibility_window_has_ended(session, acceptances, level_am, settings):
    settings.EXAM_ELIGIBILITY_MONTHS = 12
    applicant = ApplicantFactory()
    acceptances.accept(applicant, "AM", days_ago=370)

    with pytest.raises(ValidationError, match="eligibility window for the Associate Mentor exam ended on"):
        booking_create(candidate=applicant, session=session, level=level_am)


def test_eligibility_window_follows_the_setting(session_factory, acceptances, level_am, settings):
    settings.EXAM_ELIGIBILITY_MONTHS = 24
    applicant = ApplicantFactory()
    acceptances.accept(applicant, "AM", days_ago=370)

    assert booking_create(candidate=applicant, session=session_factory(), level=level_am)


def test_special_arrangements_asked_with_the_booking_wait_for_staff(candidate, session, level_am):
    booking = booking_create(candidate=candidate, session=session, level=level_am, needs="Wheelchair access")

    assert booking.arrangement.needs == "Wheelchair access"
    assert booking.arrangement.status == "requested"
