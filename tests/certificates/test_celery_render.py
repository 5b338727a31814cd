"""The PDF render against a real Redis and a real Celery worker: after commit, and through a broker outage."""

import datetime
import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.db import transaction
from django.utils import timezone

from certificates.models import Certificate
from certificates.services import certificate_issue
from certificates.tasks import certificates_render_missing
from ipma_portal.celery import app as celery_app
from tests.factories import ApplicantFactory
from tests.test_celery_worker import broker  # noqa: F401 - a Redis server of the test's own

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def _wait_for_pdf(certificate: Certificate, timeout: float = 30.0) -> Certificate:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        certificate.refresh_from_db()
        if certificate.pdf:
            return certificate
        time.sleep(0.2)
    raise AssertionError(f"certificate {certificate.number} has no PDF after {timeout}s")


def test_worker_renders_the_pdf_after_the_issuing_transaction_commits(broker):  # noqa: F811
    holder = ApplicantFactory()
    with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
        with transaction.atomic():
            certificate = certificate_issue(user=holder, level_code="PM", legal_name="Grace Hopper", actor=None)

        certificate = _wait_for_pdf(certificate)

    assert certificate.pdf.read(4) == b"%PDF" and certificate.pdf_rendered_at


def test_broker_outage_loses_no_certificate_and_the_sweep_renders_it(broker):  # noqa: F811
    broker.stop()
    started = time.monotonic()
    with transaction.atomic():
        certificate = certificate_issue(user=ApplicantFactory(), level_code="AM", legal_name="Ada", actor=None)
    elapsed = time.monotonic() - started

    assert elapsed < 10, f"queueing the render on a dead broker blocked the approval for {elapsed:.1f}s"
    assert Certificate.objects.filter(pk=certificate.pk, pdf="").exists()

    broker.start()
    Certificate.objects.filter(pk=certificate.pk).update(created_at=timezone.now() - datetime.timedelta(minutes=10))
    with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
        certificates_render_missing.delay()
        _wait_for_pdf(certificate)
