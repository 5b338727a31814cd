"""Exam sessions in the admin: a session is planned ahead, never started in the past; its weights are labelled."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.utils import timezone

from accreditation.models import Level
from exams.models import ExamSession
from exams.services import window_for_quarter

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, reviewer):
    client.force_login(reviewer)
    return client


def test_session_starting_in_the_past_is_refused(staff_client, centre_factory):
    centre = centre_factory()
    yesterday = timezone.localtime(timezone.now(), centre.zone).date() - timezone.timedelta(days=1)
    window = window_for_quarter(year=yesterday.year, quarter=(yesterday.month - 1) // 3 + 1)

    response = staff_client.post("/admin/exams/examsession/add/", {
        "window": window.pk, "centre": centre.pk, "local_start_0": f"{yesterday:%Y-%m-%d}", "local_start_1": "09:00",
        "duration_minutes": 180, "levels": [Level.objects.get(code="AM").pk], "capacity": 12})

    assert response.status_code == 200
    assert "This start is in the past; sessions are planned ahead." in response.content.decode()
    assert not ExamSession.objects.exists()


def test_past_session_keeps_its_start_when_edited(staff_client, session_factory):
    session = session_factory(starts_at=(timezone.now() - timezone.timedelta(days=2)).replace(second=0, microsecond=0))
    local = timezone.localtime(session.starts_at, session.centre.zone)

    response = staff_client.post(f"/admin/exams/examsession/{session.pk}/change/", {
        "window": session.window.pk, "centre": session.centre.pk, "local_start_0": f"{local:%Y-%m-%d}",
        "local_start_1": f"{local:%H:%M}", "duration_minutes": 120,
        "levels": list(session.levels.values_list("pk", flat=True)), "capacity": session.capacity})

    assert response.status_code == 302
    assert ExamSession.objects.get(pk=session.pk).duration_minutes == 120


def test_bulk_sessions_refuse_days_in_the_past(staff_client, centre_factory):
    centre = centre_factory()
    yesterday = timezone.localdate() - timezone.timedelta(days=1)
    window = window_for_quarter(year=yesterday.year, quarter=(yesterday.month - 1) // 3 + 1)

    response = staff_client.post("/admin/exams/testcentre/", {
        "action": "create_quarter_sessions", ACTION_CHECKBOX_NAME: [centre.pk], "apply": "1",
        "window": window.pk, "days": f"{yesterday:%Y-%m-%d}", "start": "10:00", "duration_minutes": 120,
        "levels": [Level.objects.get(code="AM").pk]})

    assert f"These days are in the past: {yesterday}." in response.content.decode()
    assert not ExamSession.objects.exists()


def test_blueprint_weights_are_labelled_for_screen_readers(staff_client):
    from exams.models import ExamBlueprint

    blueprint = ExamBlueprint.objects.select_related("level").get(level__code="AM")

    page = staff_client.get(f"/admin/exams/examblueprint/{blueprint.pk}/change/").content.decode()

    assert 'aria-label="Weight (%): Coaching skills"' in page
    assert 'aria-label="Topic: Coaching skills"' in page
