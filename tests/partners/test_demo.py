"""The demo data loads, and loading it again changes nothing."""

import io

import pytest

from fasttrack import demo as fasttrack_demo
from fasttrack.models import FastTrackApplication, Referral
from partners import demo as partners_demo
from partners.models import QTSP, Cohort, Enrolment, QTSPStaff
from partners.selectors import qtsps_training_fasttrack

pytestmark = pytest.mark.django_db


def counts():
    return (QTSP.objects.count(), QTSPStaff.objects.count(), Cohort.objects.count(), Enrolment.objects.count(),
            FastTrackApplication.objects.count(), Referral.objects.count())


def seed():
    partners_demo.seed(io.StringIO())
    fasttrack_demo.seed(io.StringIO())


def test_demo_data_is_idempotent(private_media):
    seed()
    first = counts()

    seed()

    assert counts() == first == (4, 2, 7, 3, 2, 1)
    lumen = QTSP.objects.get(name="Lumen Mentoring Academy")
    assert QTSPStaff.objects.get(organisation=lumen).user.email == "qtsp@ipma.example"
    assert {q.city for q in qtsps_training_fasttrack()} == {"Singapore", "Berlin"}
    assert Referral.objects.get().qtsp == lumen  # Johor Bahru is nearer Singapore than Berlin
    assert all(c.seats_taken == c.enrolments.exclude(status="withdrawn").count() for c in Cohort.objects.all())
