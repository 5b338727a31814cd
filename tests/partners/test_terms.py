"""A QTSP's approval term: its end, reminders, the lapse, re-approval, the mark and the public status check."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from notifications.models import OutboxMessage
from partners.models import QTSP, Enrolment, QTSPReapproval
from partners.services import Outcome, enrolment_record, qtsp_approve
from partners.services.terms import approval_terms_run, reapproval_decide, reapproval_submit, term_end
from tests.partners.factories import (
    CohortFactory,
    EnrolmentFactory,
    ProgrammeFactory,
    QTSPFactory,
    coordinator_of,
    owner_of,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def test_first_approval_runs_for_the_setting_years(reviewer, settings):
    settings.QTSP_APPROVAL_YEARS = 2
    qtsp = QTSPFactory(status=QTSP.Status.SUBMITTED)

    qtsp_approve(qtsp=qtsp, actor=reviewer)

    qtsp.refresh_from_db()
    assert qtsp.approved_until == term_end(TODAY) == TODAY.replace(year=TODAY.year + 2) - datetime.timedelta(days=1)


def test_reminder_is_sent_once_per_threshold(settings):
    settings.QTSP_APPROVAL_REMINDER_DAYS = [90, 30]
    qtsp = QTSPFactory(approved_until=TODAY + datetime.timedelta(days=25))

    first, second = approval_terms_run(), approval_terms_run()

    assert first["reminded"] == second["reminded"] == 1  # the outbox's unique key keeps one message
    assert OutboxMessage.objects.filter(key__startswith=f"qtsp-term-reminder:{qtsp.pk}:").count() == 1
    assert OutboxMessage.objects.get(key__startswith="qtsp-term-reminder:").key.endswith(":30")


def test_no_reminder_far_from_the_end():
    QTSPFactory(approved_until=TODAY + datetime.timedelta(days=400))

    approval_terms_run()

    assert not OutboxMessage.objects.filter(key__startswith="qtsp-term-reminder:").exists()


def test_lapse_runs_twice_and_lapses_once():
    qtsp = QTSPFactory(approved_until=TODAY - datetime.timedelta(days=1))

    assert approval_terms_run()["lapsed"] == 1
    assert approval_terms_run()["lapsed"] == 0

    qtsp.refresh_from_db()
    assert qtsp.status == QTSP.Status.LAPSED
    assert qtsp.events.filter(to_status=QTSP.Status.LAPSED, actor=None).count() == 1


@pytest.mark.parametrize("lapsed_by_job", [True, False])
def test_lapsed_qtsps_completion_is_refused(lapsed_by_job):
    qtsp = QTSPFactory(approved_until=TODAY - datetime.timedelta(days=1))
    owner = owner_of(qtsp)
    enrolment = EnrolmentFactory(cohort=CohortFactory(programme=ProgrammeFactory(qtsp=qtsp)))
    if lapsed_by_job:
        approval_terms_run()

    with pytest.raises(ValidationError, match="lapsed|approval of .* ended"):
        enrolment_record(enrolment=enrolment, actor=owner, attended_hours=32, attended_days=0, outcome=Outcome.PASSED)

    assert Enrolment.objects.get(pk=enrolment.pk).status == Enrolment.Status.ENROLLED


def test_reapproval_brings_a_lapsed_qtsp_back_for_a_new_term(reviewer):
    qtsp = QTSPFactory(status=QTSP.Status.LAPSED, approved_until=TODAY - datetime.timedelta(days=10))
    reapproval = reapproval_submit(qtsp=qtsp, actor=owner_of(qtsp), statement="Two new trainers")

    reapproval_decide(reapproval=reapproval, to_status=QTSPReapproval.Status.APPROVED, actor=reviewer)

    qtsp.refresh_from_db()
    assert (qtsp.status, qtsp.approved_until) == (QTSP.Status.APPROVED, term_end(TODAY))


def test_early_reapproval_starts_the_next_term_where_the_current_ends(reviewer):
    ends = TODAY + datetime.timedelta(days=20)
    qtsp = QTSPFactory(approved_until=ends)
    reapproval = reapproval_submit(qtsp=qtsp, actor=owner_of(qtsp), statement="Same trainers")

    reapproval_decide(reapproval=reapproval, to_status=QTSPReapproval.Status.APPROVED, actor=reviewer)

    qtsp.refresh_from_db()
    assert qtsp.approved_until == term_end(ends + datetime.timedelta(days=1))


def test_refusing_a_reapproval_needs_reasons_and_keeps_the_qtsp_lapsed(reviewer):
    qtsp = QTSPFactory(status=QTSP.Status.LAPSED, approved_until=TODAY - datetime.timedelta(days=10))
    reapproval = reapproval_submit(qtsp=qtsp, actor=owner_of(qtsp), statement="Please")

    with pytest.raises(ValidationError, match="reasons"):
        reapproval_decide(reapproval=reapproval, to_status=QTSPReapproval.Status.REJECTED, actor=reviewer, note=" ")
    reapproval_decide(reapproval=reapproval, to_status=QTSPReapproval.Status.REJECTED, actor=reviewer,
                      note="No trainer is certified")

    assert QTSP.objects.get(pk=qtsp.pk).status == QTSP.Status.LAPSED


def test_one_open_reapproval_at_a_time():
    qtsp = QTSPFactory()
    owner = owner_of(qtsp)
    reapproval_submit(qtsp=qtsp, actor=owner, statement="First")

    with pytest.raises(ValidationError, match="already with the committee"):
        reapproval_submit(qtsp=qtsp, actor=owner, statement="Second")


def test_a_reviewer_on_the_qtsps_staff_cannot_decide_its_reapproval(reviewer):
    qtsp = QTSPFactory(status=QTSP.Status.LAPSED, approved_until=TODAY - datetime.timedelta(days=10))
    reapproval = reapproval_submit(qtsp=qtsp, actor=owner_of(qtsp), statement="Two new trainers")
    coordinator_of(qtsp, user=reviewer)

    with pytest.raises(ValidationError, match="Conflict of interest"):
        reapproval_decide(reapproval=reapproval, to_status=QTSPReapproval.Status.APPROVED, actor=reviewer)

    assert QTSP.objects.get(pk=qtsp.pk).status == QTSP.Status.LAPSED


def test_committee_decides_a_reapproval_in_the_admin(client, reviewer):
    qtsp = QTSPFactory(status=QTSP.Status.LAPSED, approved_until=TODAY - datetime.timedelta(days=1))
    reapproval = reapproval_submit(qtsp=qtsp, actor=owner_of(qtsp), statement="Renew please")
    client.force_login(reviewer)

    client.post(reverse("admin:partners_qtspreapproval_decide", args=[reapproval.pk, "approved"]), {"note": ""})

    assert QTSP.objects.get(pk=qtsp.pk).status == QTSP.Status.APPROVED


def test_only_the_owner_applies_for_reapproval(client, qtsp, coordinator):
    client.force_login(coordinator)

    assert client.get(reverse("partners:reapproval", args=[qtsp.pk])).status_code == 403


def test_mark_downloads_only_while_in_term(client):
    qtsp = QTSPFactory(name="Mark Academy")
    client.force_login(owner_of(qtsp))

    served = client.get(reverse("partners:qtsp_mark", args=[qtsp.pk]))
    QTSP.objects.filter(pk=qtsp.pk).update(approved_until=TODAY - datetime.timedelta(days=1))
    refused = client.get(reverse("partners:qtsp_mark", args=[qtsp.pk]))

    assert served.status_code == 200 and served["Content-Type"] == "image/svg+xml"
    assert "Mark Academy" in served.content.decode()
    assert refused.status_code == 404


@pytest.mark.parametrize(("status", "shown"), [
    (QTSP.Status.APPROVED, "Approved"), (QTSP.Status.SUSPENDED, "Suspended"), (QTSP.Status.LAPSED, "Approval lapsed"),
])
def test_public_status_check(client, status, shown):
    qtsp = QTSPFactory(status=status, approved_at=timezone.now())

    page = client.get(reverse("partners:qtsp_status", args=[qtsp.pk]))

    assert page.status_code == 200
    assert shown in page.content.decode()


def test_public_status_check_never_shows_an_application(client):
    qtsp = QTSPFactory(status=QTSP.Status.SUBMITTED)

    assert client.get(reverse("partners:qtsp_status", args=[qtsp.pk])).status_code == 404
