from datetime import timedelta

import pytest
from django.core.cache import caches
from django.utils import timezone

from accreditation.models import ApplicationStatus, Level, LevelApplication
from tests.exams.factories import ExamSessionFactory, TestCentreFactory
from tests.factories import ApplicantFactory


class Acceptances:
    """Applications accepted for the exam in the real accreditation app. The rows are arranged
    directly (the review workflow that leads there is accreditation's to test)."""

    def accept(self, user, level_code: str = "AM", *, days_ago: int = 30) -> LevelApplication:
        accepted_at = timezone.now() - timedelta(days=days_ago)
        return LevelApplication.objects.create(
            number=f"T-{user.pk}-{level_code}", applicant=user, level=Level.objects.get(code=level_code),
            status=ApplicationStatus.ACCEPTED_FOR_EXAM, accepted_at=accepted_at,
            submitted_at=accepted_at - timedelta(days=30),
        )

    def __call__(self, *, user, level_code) -> LevelApplication | None:
        return LevelApplication.objects.filter(applicant=user, level__code=level_code).order_by("-pk").first()


@pytest.fixture
def acceptances(db):
    return Acceptances()


@pytest.fixture
def lapses(db):
    """The applications accreditation has lapsed so far, as (application id, the reason given)."""
    def lapsed() -> list[tuple[int, str]]:
        return [
            (application.pk, application.events.filter(to_status=ApplicationStatus.LAPSED).get().note)
            for application in LevelApplication.objects.filter(status=ApplicationStatus.LAPSED).order_by("pk")
        ]

    return lapsed


@pytest.fixture
def candidate(db, acceptances):
    """An applicant accepted for the Associate Mentor exam 30 days ago."""
    user = ApplicantFactory()
    acceptances.accept(user, "AM")
    return user


@pytest.fixture
def level_am(db):
    return Level.objects.get(code="AM")


@pytest.fixture
def session_factory(db):
    return ExamSessionFactory


@pytest.fixture
def centre_factory(db):
    return TestCentreFactory


@pytest.fixture
def session(session_factory):
    return session_factory()


@pytest.fixture
def reference_data(transactional_db):
    """Levels, curriculum and fee schedule for tests with ``transaction=True``: the flush after such a
    test empties every table, data migrations included, so they are put back (the loaders are idempotent)."""
    from importlib import import_module

    from django.apps import apps
    from django.db import transaction

    with transaction.atomic():  # the weights' sum is checked at commit
        import_module("accreditation.migrations.0002_levels").add_levels(apps, None)
        import_module("exams.migrations.0002_curriculum").add_curriculum(apps, None)
        import_module("payments.migrations.0003_fee_schedule").add_fees(apps, None)  # bookings raise the fee


@pytest.fixture
def keeping(settings, reference_data):
    """Pages kept (``DASHBOARD_CACHE_SECONDS``, off in tests) from an empty cache, for tests whose writes commit."""
    settings.DASHBOARD_CACHE_SECONDS = 120
    caches["dashboard"].clear()
    yield
    caches["dashboard"].clear()
