import io

import pytest

from accreditation import demo as accreditation_demo
from accreditation.models import Appeal, LevelApplication
from applicants import demo as applicants_demo

pytestmark = pytest.mark.django_db(transaction=True)


def seed() -> str:
    out = io.StringIO()
    applicants_demo.seed(out)
    accreditation_demo.seed(out)
    return out.getvalue()


def test_demo_has_applications_at_every_stage_and_runs_twice():
    printed = seed()

    statuses = dict(LevelApplication.objects.values_list("applicant__email", "status"))
    assert statuses == {
        "applicant@ipma.example": "draft",
        "dana.draft@ipma.example": "draft",
        "sam.submitted@ipma.example": "submitted",  # the fee is not paid yet
        "uma.review@ipma.example": "under_review",
        "ines.info@ipma.example": "information_requested",
        "abel.accepted@ipma.example": "accepted_for_exam",
        "rita.rejected@ipma.example": "rejected",
    }
    appeal = Appeal.objects.get()
    assert appeal.reviewer.email == "reviewer2@ipma.example"
    assert appeal.rejected_by.email == "reviewer@ipma.example"
    assert "rita.rejected@ipma.example" in printed

    events = sum(a.events.count() for a in LevelApplication.objects.all())
    seed()
    assert LevelApplication.objects.count() == 7
    assert sum(a.events.count() for a in LevelApplication.objects.all()) == events
