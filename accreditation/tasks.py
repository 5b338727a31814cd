"""Celery entry points; each is idempotent (see the services they call)."""

from celery import shared_task

from accreditation.services import exam_windows_lapse


@shared_task
def exam_windows_lapse_run() -> int:
    return exam_windows_lapse()
