import contextlib
import datetime
import io

import pytest
import time_machine

from applicants import demo as applicants_demo
from certificates import demo as certificates_demo
from events import demo
from events.models import Event, EventKind, EventStatus, PDUCredit, Registration
from payments import demo as payments_demo


@pytest.mark.parametrize("clock", [None, datetime.datetime(2026, 12, 1, 0, 20, tzinfo=datetime.UTC)],
                         ids=["now", "twenty past midnight"])
def test_demo_events_are_seeded_once_with_pdus_for_the_applicant(db, clock):
    with time_machine.travel(clock) if clock else contextlib.nullcontext():
        _seeded_once_with_pdus()


def _seeded_once_with_pdus():
    applicants_demo.seed(io.StringIO())
    payments_demo.seed(io.StringIO())
    certificates_demo.seed(io.StringIO())

    demo.seed(io.StringIO())
    counts = (Event.objects.count(), Registration.objects.count(), PDUCredit.objects.count())
    demo.seed(io.StringIO())

    assert (Event.objects.count(), Registration.objects.count(), PDUCredit.objects.count()) == counts
    finished = Event.objects.filter(status=EventStatus.FINISHED, kind=EventKind.WEBINAR)
    assert finished.count() >= 11 and all(e.recording_url for e in finished)
    assert Event.objects.filter(status=EventStatus.PUBLISHED, kind=EventKind.WEBINAR).count() == 12
    conference = Event.objects.get(kind=EventKind.CONFERENCE)
    assert conference.programme.count() == 6 and conference.speakers.count() == 3
    assert PDUCredit.objects.filter(registration__person__email="applicant@ipma.example").exists()
    assert PDUCredit.objects.filter(registration__person__email="mentor.li@ipma.example").exists()
