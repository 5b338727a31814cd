import itertools
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.utils import timezone

from accreditation.models import Level
from exams import eligibility
from tests.exams.factories import ExamSessionFactory, TestCentreFactory
from tests.factories import ApplicantFactory

_application_ids = itertools.count(1000)


class Acceptances:
    """Stands in for accreditation's ``application_accepted_for_exam``: who is accepted for which level."""

    def __init__(self):
        self.accepted: dict[tuple[int, str], SimpleNamespace] = {}

    def accept(self, user, level_code: str = "AM", *, days_ago: int = 30):
        application = SimpleNamespace(pk=next(_application_ids), level_code=level_code,
                                      accepted_at=timezone.now() - timedelta(days=days_ago))
        self.accepted[(user.pk, level_code)] = application
        return application

    def __call__(self, *, user, level_code):
        return self.accepted.get((user.pk, level_code))


@pytest.fixture
def acceptances(monkeypatch):
    registry = Acceptances()
    monkeypatch.setattr(eligibility, "accepted_application", registry)
    return registry


@pytest.fixture
def lapses(monkeypatch):
    """Records the calls exams makes to accreditation's application_lapse."""
    calls = []

    def lapse(*, application_id, reason):
        calls.append((application_id, reason))
        return True

    monkeypatch.setattr(eligibility, "application_lapse", lapse)
    return calls


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


class PaymentsDouble:
    """Stands in for the payments app's contract functions and records every call."""

    def __init__(self):
        self.calls: list[tuple[str, dict]] = []

    def lookup(self, module: str, name: str):
        def record(**kwargs):
            self.calls.append((name, kwargs))
            return SimpleNamespace(kind=kwargs.get("kind"), reference=kwargs.get("reference"))

        return record

    def named(self, name: str) -> list[dict]:
        return [kwargs for called, kwargs in self.calls if called == name]


@pytest.fixture(autouse=True)
def payments(monkeypatch):
    """Exams' tests pin the payments contract to a recorder, whatever state the payments app is in."""
    from exams.services import fees

    double = PaymentsDouble()
    monkeypatch.setattr(fees, "_payments", double.lookup)
    return double


@pytest.fixture
def reference_data(transactional_db):
    """Levels and curriculum for tests with ``transaction=True``: the flush after such a test empties
    every table, data migrations included, so they are put back (both loaders are idempotent)."""
    from importlib import import_module

    from django.apps import apps
    from django.db import transaction

    with transaction.atomic():  # the weights' sum is checked at commit
        import_module("accreditation.migrations.0002_levels").add_levels(apps, None)
        import_module("exams.migrations.0002_curriculum").add_curriculum(apps, None)
