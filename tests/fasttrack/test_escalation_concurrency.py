"""Two beats running the escalation at the same moment still escalate each referral once."""

import datetime

import pytest
import time_machine

from fasttrack.services import referrals_escalate
from notifications.models import OutboxMessage
from tests.factories import ReviewerFactory
from tests.fasttrack.factories import ReferralFactory
from tests.partners.factories import QTSPFactory
from tests.partners.test_capacity import run_at_once

pytestmark = pytest.mark.django_db(transaction=True)


def test_simultaneous_escalation_runs_escalate_each_referral_once():
    ReviewerFactory()
    qtsp = QTSPFactory()
    overdue = [
        ReferralFactory(qtsp=qtsp, offered_at=datetime.datetime(2027, 3, 1, 9, tzinfo=datetime.UTC),
                        respond_by=datetime.datetime(2027, 3, 3, 9, tzinfo=datetime.UTC))
        for _ in range(3)
    ]

    with time_machine.travel(datetime.datetime(2027, 3, 4, 9, tzinfo=datetime.UTC), tick=False):
        results = run_at_once(4, lambda _i: referrals_escalate())

    assert sorted(results, reverse=True)[0] >= 1 and sum(results) == 3
    assert OutboxMessage.objects.filter(key__startswith="fasttrack:referral-escalated:").count() == 3
    assert all(r.events.filter(note__contains="escalated").count() == 1 for r in overdue)
