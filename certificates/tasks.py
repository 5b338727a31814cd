"""Celery entry points; each is idempotent (see the services they call) and takes ids, never instances."""

from celery import shared_task

from certificates import services


@shared_task(autoretry_for=(Exception,), retry_backoff=True, retry_backoff_max=600, max_retries=6)
def certificate_render_pdf(*, certificate_id: int) -> bool:
    return services.certificate_render(certificate_id=certificate_id)


@shared_task
def certificates_render_missing() -> int:
    return services.certificates_render_missing()


@shared_task
def certificates_expire() -> int:
    return services.certificates_expire()


@shared_task
def renewal_reminders() -> int:
    return services.renewal_reminders_send()


@shared_task
def membership_upgrade_notices() -> int:
    return services.membership_upgrade_notices_send()
