"""Cohort places under concurrency: simultaneous additions never overbook, losers get "no places left"."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from partners.models import Cohort
from partners.services import enrolment_add, roster_import
from tests.partners.factories import CohortFactory, ProgrammeFactory, QTSPFactory, owner_of

pytestmark = pytest.mark.django_db(transaction=True)


def run_at_once(count: int, work) -> list:
    """Run ``work(index)`` in ``count`` threads released together; returns each result or exception."""
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def runner(index):
        try:
            barrier.wait()
            results[index] = work(index)
        except Exception as exc:
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=runner, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_simultaneous_additions_fill_the_cohort_exactly():
    qtsp = QTSPFactory()
    owner = owner_of(qtsp)
    cohort = CohortFactory(programme=ProgrammeFactory(qtsp=qtsp), capacity=5)

    results = run_at_once(20, lambda i: enrolment_add(cohort=cohort, email=f"t{i}@example.org", actor=owner))

    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(refused) == 15
    assert all("No places left" in r.messages[0] for r in refused)
    assert not [r for r in results if isinstance(r, Exception) and not isinstance(r, ValidationError)]
    cohort.refresh_from_db()
    assert cohort.seats_taken == cohort.enrolments.count() == 5


def test_simultaneous_imports_never_overbook():
    qtsp = QTSPFactory()
    owner = owner_of(qtsp)
    cohort = CohortFactory(programme=ProgrammeFactory(qtsp=qtsp), capacity=6)

    def work(i):
        content = "email\n" + "\n".join(f"file{i}-{n}@example.org" for n in range(4))
        return roster_import(cohort=cohort, content=content.encode(), actor=owner)

    results = run_at_once(4, work)

    imported = [r for r in results if not isinstance(r, Exception) and r.ok]
    assert len(imported) == 1  # 4 + 4 > 6: only one whole file fits
    cohort = Cohort.objects.get(pk=cohort.pk)
    assert cohort.seats_taken == cohort.enrolments.count() == 4
