"""Celery entry points of the organizations app; each calls a service and is safe to run twice."""

import logging
from dataclasses import asdict

from celery import shared_task

from organizations.services import organizations_housekeeping

logger = logging.getLogger(__name__)


@shared_task
def housekeeping() -> dict:
    """Beat job: annual reports (open, remind, flag late), overdue conditions, renewal reminders, expiry."""
    run = organizations_housekeeping()
    logger.info("organizations housekeeping: %s", asdict(run))
    return asdict(run)
