import importlib

import pytest
from django.apps import apps as django_apps

from tests.partners.factories import CohortFactory, ProgrammeFactory, QTSPFactory, coordinator_of, owner_of


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private_media"
    return settings.PRIVATE_MEDIA_ROOT


@pytest.fixture(autouse=True)
def levels(request):
    """The four levels of migration 0002 (a transactional test's flush empties data migrations' rows)."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None:
        return
    request.getfixturevalue("transactional_db" if marker.kwargs.get("transaction") else "db")
    importlib.import_module("accreditation.migrations.0002_levels").add_levels(django_apps, None)


@pytest.fixture
def qtsp(db):
    return QTSPFactory(name="London Mentoring Academy", place="London")


@pytest.fixture
def owner(qtsp):
    return owner_of(qtsp)


@pytest.fixture
def coordinator(qtsp):
    return coordinator_of(qtsp)


@pytest.fixture
def other_qtsp(db):
    return QTSPFactory(name="Berlin Mentoring Institute", place="Berlin")


@pytest.fixture
def other_owner(other_qtsp):
    return owner_of(other_qtsp)


@pytest.fixture
def programme(qtsp):
    return ProgrammeFactory(qtsp=qtsp)


@pytest.fixture
def cohort(programme):
    return CohortFactory(programme=programme, capacity=5)
