"""The committee's events admin, used as a reviewer (staff with the role's permissions, not a superuser)."""

import datetime

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from events.models import EventStatus, Registration
from events.services import registration_create
from tests.factories import ApplicantFactory

pytestmark = pytest.mark.django_db
EVENTS = reverse("admin:events_event_changelist")
REGISTRATIONS = reverse("admin:events_registration_changelist")
SERIES = reverse("admin:events_series_changelist")


@pytest.fixture
def staff_client(client, reviewer):
    client.force_login(reviewer)
    return client


@pytest.fixture
def running(event_factory):
    start = timezone.now() - datetime.timedelta(minutes=30)
    return event_factory(starts_at=start, ends_at=start + datetime.timedelta(hours=1),
                         registration_closes_at=start + datetime.timedelta(hours=1))


def test_events_list_shows_registrations_attendance_and_revenue(staff_client, event_factory, pay):
    event = event_factory(title="Priced webinar", prices=("10.00", "25.00"))
    for _ in range(2):
        pay(registration_create(event=event, person=ApplicantFactory()))
    registration_create(event=event, person=ApplicantFactory())

    page = staff_client.get(EVENTS).content.decode()

    assert "Priced webinar" in page
    assert '<td class="field-registered">3</td>' in page
    assert '<td class="field-revenue">50.00</td>' in page


def test_events_list_query_count_is_constant(staff_client, event_factory):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert staff_client.get(EVENTS).status_code == 200
        return len(queries)

    event_factory()
    few = count()
    for _ in range(15):
        event_factory()
    assert count() == few


def test_publish_through_the_decision_page(staff_client, event_factory):
    event = event_factory(status=EventStatus.DRAFT)

    response = staff_client.post(reverse("admin:events_event_decide", args=[event.pk, "publish"]), {"note": ""})

    assert response.status_code == 302
    event.refresh_from_db()
    assert event.status == EventStatus.PUBLISHED


def test_series_action_creates_twelve_webinars(staff_client, series_factory):
    series = series_factory()

    staff_client.post(SERIES, {"action": "create_next_twelve", ACTION_CHECKBOX_NAME: [series.pk]})

    assert series.events.count() == 12


def test_bulk_action_records_attendance(staff_client, running):
    registrations = [registration_create(event=running, person=ApplicantFactory()) for _ in range(3)]

    staff_client.post(REGISTRATIONS, {"action": "mark_attended", ACTION_CHECKBOX_NAME: [r.pk for r in registrations]})

    assert Registration.objects.filter(attended=True).count() == 3


def test_bulk_action_refuses_the_reviewers_own_registration(staff_client, running, reviewer):
    own = registration_create(event=running, person=reviewer)

    response = staff_client.post(REGISTRATIONS, {"action": "mark_attended", ACTION_CHECKBOX_NAME: [own.pk]},
                                 follow=True)

    assert "it is yourself" in response.content.decode()
    own.refresh_from_db()
    assert own.attended is None


def test_attendance_import_page_lists_bad_rows_and_records_nothing(staff_client, running):
    person = ApplicantFactory()
    registration = registration_create(event=running, person=person)
    upload = SimpleUploadedFile("attendance.csv", f"email,minutes\n{person.email},55\nnobody@example.org,3\n".encode())

    response = staff_client.post(reverse("admin:events_event_attendance_import", args=[running.pk]),
                                 {"file": upload})

    assert "Line 3: nobody@example.org has no confirmed place" in response.content.decode()
    registration.refresh_from_db()
    assert registration.attended is None


def test_attendance_import_page_records_a_good_file(staff_client, running):
    person = ApplicantFactory()
    registration = registration_create(event=running, person=person)
    upload = SimpleUploadedFile("attendance.csv", f"email,minutes\n{person.email},55\n".encode())

    response = staff_client.post(reverse("admin:events_event_attendance_import", args=[running.pk]),
                                 {"file": upload})

    assert response.status_code == 302
    registration.refresh_from_db()
    assert (registration.attended, registration.minutes_attended) == (True, 55)


def test_registrations_csv_defuses_formulas(staff_client, event_factory):
    event = event_factory()
    registration_create(event=event, person=ApplicantFactory(full_name="=HYPERLINK(\"http://evil\")"))

    response = staff_client.get(reverse("admin:events_event_registrations_csv", args=[event.pk]))

    body = response.content.decode("utf-8-sig")
    assert response["Content-Type"].startswith("text/csv")
    assert "'=HYPERLINK" in body and ",=HYPERLINK" not in body


def test_registrations_csv_refused_to_an_applicant(client, event_factory, applicant):
    client.force_login(applicant)

    response = client.get(reverse("admin:events_event_registrations_csv", args=[event_factory().pk]))

    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_slides_must_really_be_a_pdf(staff_client, event_factory):
    from events.admin import EventForm

    event = event_factory()
    fake = SimpleUploadedFile("slides.pdf", b"MZ\x90\x00 not a pdf at all")
    form = EventForm(instance=event, data={}, files={"slides": fake})

    form.is_valid()

    assert "slides" in form.errors
