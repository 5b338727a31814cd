import datetime
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from events.models import Event, EventStatus, RegistrationStatus
from events.services import attendance_record, registration_create
from tests.documents.samples import pdf_bytes
from tests.factories import ApplicantFactory
from tests.payments.factories import MembershipPeriodFactory

pytestmark = pytest.mark.django_db
LIST = reverse("events:list")


def test_list_shows_upcoming_first_and_past_with_recordings_below(client, event_factory):
    upcoming = event_factory(title="Webinar of next month")
    start = timezone.now() - datetime.timedelta(days=30)
    past = event_factory(title="Webinar of last month", starts_at=start, status=EventStatus.FINISHED,
                         recording_url="https://video.example.org/last")
    event_factory(title="A draft", status=EventStatus.DRAFT)

    page = client.get(LIST).content.decode()

    assert page.index(upcoming.title) < page.index(past.title)
    assert "Recording available" in page
    assert "A draft" not in page


@pytest.mark.parametrize("query, shown, hidden", [
    ("kind=conference", "Annual conference", "Webinar A"),
    ("format=in_person", "Annual conference", "Webinar A"),
    ("language=zh-hans", "Webinar B", "Webinar A"),
    ("topic=coaching-skills", "Webinar A", "Webinar B"),
])
def test_list_filters(client, event_factory, query, shown, hidden):
    from django.apps import apps

    topic = apps.get_model("exams", "Topic").objects.get(code="coaching-skills")
    event_factory(title="Webinar A").topics.add(topic)
    event_factory(title="Webinar B", language="zh-hans")
    event_factory(title="Annual conference", kind="conference", format="in_person", venue="Hong Kong",
                  time_zone="Asia/Hong_Kong")

    page = client.get(f"{LIST}?{query}").content.decode()

    assert shown in page and hidden not in page


def test_list_query_count_does_not_grow_with_events(client, event_factory, django_assert_max_num_queries):
    def count_for(n):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        for _ in range(n):
            event_factory(prices=("10", "20"))
        client.get(LIST)  # the reference data the new rows invalidated is read again once
        with CaptureQueriesContext(connection) as queries:
            assert client.get(LIST).status_code == 200
        return len(queries)

    few = count_for(2)
    many = count_for(20)
    assert few == many


def test_detail_shows_price_for_the_viewer_and_the_member_saving(client, event_factory):
    event = event_factory(prices=("40.00", "90.00"))
    member = MembershipPeriodFactory().user

    anonymous = client.get(reverse("events:detail", args=[event.slug])).content.decode()
    client.force_login(member)
    signed_in = client.get(reverse("events:detail", args=[event.slug])).content.decode()

    assert "USD 90.00" in anonymous and "Sign in to register" in anonymous
    assert "Your price: USD 40.00" in signed_in and "saving of USD 50.00" in signed_in


def _join_page(client, event):
    return client.get(reverse("events:detail", args=[event.slug]))


@pytest.mark.parametrize("who, minutes_before, joins", [
    ("anonymous", 10, False), ("stranger", 10, False), ("registrant", 31, False), ("registrant", 29, True),
    ("registrant", -59, True),
])
def test_join_link_only_for_registrants_from_30_minutes_before(client, event_factory, who, minutes_before, joins):
    event = event_factory(starts_at=timezone.now() + datetime.timedelta(minutes=minutes_before),
                          registration_closes_at=timezone.now() + datetime.timedelta(hours=2))
    person = ApplicantFactory()
    registration_create(event=event, person=person)
    if who == "registrant":
        client.force_login(person)
    elif who == "stranger":
        client.force_login(ApplicantFactory())

    page = _join_page(client, event)
    join = client.get(reverse("events:join", args=[event.slug]))

    assert event.join_url not in page.content.decode()
    assert ("Join now" in page.content.decode()) is joins
    if joins:
        assert join.status_code == 302 and join["Location"] == event.join_url
        assert "no-store" in join["Cache-Control"] or "no-cache" in join["Cache-Control"]
    else:
        assert join.status_code == 302 and join["Location"] != event.join_url
    if who != "anonymous":
        assert "private" in page["Cache-Control"]


def test_unpaid_registrant_cannot_join(client, event_factory, applicant):
    event = event_factory(prices=("5", "5"), starts_at=timezone.now() + datetime.timedelta(minutes=10))
    registration = registration_create(event=event, person=applicant)
    assert registration.status == RegistrationStatus.PENDING_PAYMENT
    client.force_login(applicant)

    assert client.get(reverse("events:join", args=[event.slug]))["Location"] != event.join_url


def test_feed_lists_published_events_without_join_links(client, event_factory):
    shown = event_factory(title="In the feed")
    event_factory(title="Not yet", status=EventStatus.DRAFT)

    response = client.get(reverse("events:feed"))

    body = response.content.decode()
    assert response["Content-Type"].startswith("text/calendar")
    assert "BEGIN:VCALENDAR" in body and "SUMMARY:In the feed" in body
    assert "Not yet" not in body and shown.join_url not in body


def test_register_page_warns_a_lapsed_member_before_the_invoice(client, event_factory):
    today = timezone.now().date()
    lapsed = MembershipPeriodFactory(starts_on=today - datetime.timedelta(days=400),
                                     ends_on=today - datetime.timedelta(days=10)).user
    event = event_factory(prices=("40.00", "90.00"))
    client.force_login(lapsed)

    page = client.get(reverse("events:register", args=[event.slug])).content.decode()

    assert "Your membership has ended" in page and reverse("payments:membership") in page
    assert not lapsed.invoices.exists()


def test_register_post_holds_the_place_and_sends_to_the_invoice(client, event_factory, applicant):
    event = event_factory(prices=("40.00", "90.00"))
    client.force_login(applicant)

    response = client.post(reverse("events:register", args=[event.slug]))

    invoice = applicant.invoices.get()
    assert response["Location"] == reverse("payments:invoice_detail", args=[invoice.number])


def test_register_requires_sign_in(client, event_factory):
    response = client.post(reverse("events:register", args=[event_factory().slug]))

    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.fixture
def attended(event_factory, reviewer):
    start = timezone.now() - datetime.timedelta(minutes=30)
    event = event_factory(starts_at=start, ends_at=start + datetime.timedelta(hours=1),
                          registration_closes_at=start + datetime.timedelta(hours=1))
    registration = registration_create(event=event, person=ApplicantFactory(full_name="Mei Lin"))
    attendance_record(registration=registration, actor=reviewer, attended=True)
    return registration


@pytest.mark.parametrize("who, status", [("owner", 200), ("other", 404), ("anonymous", 302), ("staff", 200)])
def test_attendance_certificate_permissions(client, attended, reviewer, who, status):
    if who == "owner":
        client.force_login(attended.person)
    elif who == "other":
        client.force_login(ApplicantFactory())
    elif who == "staff":
        client.force_login(reviewer)

    response = client.get(reverse("events:attendance_certificate", args=[attended.pk]))

    assert response.status_code == status
    if status == 200:
        assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")


def test_past_event_offers_no_cancellation_to_its_attendee(client, attended):
    client.force_login(attended.person)
    Event.objects.filter(pk=attended.event_id).update(
        starts_at=timezone.now() - datetime.timedelta(days=2), ends_at=timezone.now() - datetime.timedelta(days=2)
        + datetime.timedelta(hours=1), status=EventStatus.FINISHED)

    page = client.get(reverse("events:detail", args=[attended.event.slug])).content.decode()

    assert reverse("events:registration_cancel", args=[attended.pk]) not in page
    assert "The join link appears here" not in page
    assert "certificate of attendance" in page


def test_attendance_verification_page(client, attended):
    page = client.get(reverse("events:attendance_verify", args=[attended.certificate_code])).content.decode()

    assert "Mei Lin attended" in page


@pytest.fixture
def recorded(event_factory):
    start = timezone.now() - datetime.timedelta(days=3)
    event = event_factory(starts_at=start, status=EventStatus.FINISHED, recording_url="https://video.example.org/r")
    event.slides.save("slides.pdf", ContentFile(pdf_bytes()), save=True)
    return event


@pytest.mark.parametrize("who, allowed", [("member", True), ("anonymous", False), ("stranger", False)])
def test_recordings_and_slides_for_members_and_registrants(client, recorded, who, allowed):
    if who == "member":
        client.force_login(MembershipPeriodFactory().user)
    elif who == "stranger":
        client.force_login(ApplicantFactory())

    page = client.get(reverse("events:detail", args=[recorded.slug])).content.decode()
    slides = client.get(reverse("events:slides", args=[recorded.slug]))

    assert (recorded.recording_url in page) is allowed
    assert ("for members and for the event's registrants" in page) is not allowed
    assert slides.status_code == (200 if allowed else 302 if who == "anonymous" else 404)


def test_registrant_opens_materials(client, event_factory):
    start = timezone.now() - datetime.timedelta(minutes=10)
    event = event_factory(starts_at=start, registration_closes_at=start + datetime.timedelta(hours=1),
                          recording_url="https://video.example.org/r")
    person = ApplicantFactory()
    registration_create(event=event, person=person)
    client.force_login(person)

    assert event.recording_url in client.get(reverse("events:detail", args=[event.slug])).content.decode()


def test_programme_by_day_and_room(client, event_factory):
    start = timezone.now() + datetime.timedelta(days=60)
    event = event_factory(kind="conference", format="in_person", venue="Hong Kong", time_zone="Asia/Hong_Kong",
                          starts_at=start, ends_at=start + datetime.timedelta(days=2))
    event.programme.create(title="Opening keynote", starts_at=start, ends_at=start + datetime.timedelta(hours=1),
                           room="Hall A", track="Plenary")
    event.programme.create(title="Day two panel", starts_at=start + datetime.timedelta(days=1),
                           ends_at=start + datetime.timedelta(days=1, hours=1), room="Room 2")

    page = client.get(reverse("events:programme", args=[event.slug])).content.decode()

    assert page.count("<h2") == 2 and "Hall A" in page and "Day two panel" in page


def test_programme_names_rooms_and_tracks_in_the_readers_language(client, event_factory):
    start = timezone.now() + datetime.timedelta(days=60)
    event = event_factory(kind="conference", format="in_person", starts_at=start,
                          ends_at=start + datetime.timedelta(days=1))
    event.programme.create(title_en="Opening keynote", starts_at=start, ends_at=start + datetime.timedelta(hours=1),
                           room_en="Main hall", room_zh_hans="主会场", track_en="Plenary", track_zh_hans="全体会议")
    path = reverse("events:programme", args=[event.slug])

    chinese = client.get(path, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    english = client.get(path, HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert ("主会场" in chinese and "全体会议" in chinese and "Main hall" not in chinese
            and "Main hall" in english and "Plenary" in english)


def test_dashboard_lists_registrations_and_pdus_from_events(client, attended):
    client.force_login(attended.person)

    page = client.get(reverse("applicants:dashboard")).content.decode()

    assert attended.event.title in page and "PDUs earned from events" in page


def test_price_is_decimal_zero_when_free(event_factory, applicant):
    assert registration_create(event=event_factory(), person=applicant).price == Decimal("0")


def test_register_page_warns_a_member_whose_membership_was_refunded(client, event_factory, applicant, settings):
    import time_machine

    from payments.models import Refund
    from payments.services import demo_payment_complete, invoice_refund, membership_purchase, refund_submit
    from tests.factories import ReviewerFactory

    settings.PAYMENTS_DEMO_PROVIDER = True
    joined = timezone.now() - datetime.timedelta(days=60)
    with time_machine.travel(joined, tick=False):
        invoice = membership_purchase(user=applicant, plan_code="annual", group="supporter")
        demo_payment_complete(invoice=invoice, actor=applicant)
    with time_machine.travel(joined + datetime.timedelta(days=5), tick=False):
        invoice_refund(kind="membership", reference=invoice.reference, actor=ReviewerFactory(), reason="asked")
        refund_submit(refund_id=Refund.objects.get().pk)
    event = event_factory(prices=("40.00", "90.00"))
    client.force_login(applicant)

    response = client.get(reverse("events:register", args=[event.slug]))

    assert response.context["quote"].member is False
    assert "Your membership has ended" in response.content.decode()
    assert not applicant.invoices.filter(kind="event").exists()
