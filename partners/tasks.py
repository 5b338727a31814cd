"""Celery entry points of the partners app; each calls a service that is safe to run twice."""

from celery import shared_task

from partners.services.terms import approval_terms_run


@shared_task
def approval_terms() -> dict[str, int]:
    return approval_terms_run()
