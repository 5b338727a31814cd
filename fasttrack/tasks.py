import logging

from celery import shared_task

from fasttrack.services import referrals_escalate as referrals_escalate_service

logger = logging.getLogger(__name__)


@shared_task
def referrals_escalate() -> int:
    """Beat job: tell the committee about referrals no QTSP accepted in time (idempotent)."""
    escalated = referrals_escalate_service()
    if escalated:
        logger.info("Escalated %s fast-track referral(s) to the committee", escalated)
    return escalated
