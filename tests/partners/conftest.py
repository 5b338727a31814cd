import pytest

from tests.partners.factories import CohortFactory, ProgrammeFactory, QTSPFactory, coordinator_of, owner_of


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private_media"
    return settings.PRIVATE_MEDIA_ROOT


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
