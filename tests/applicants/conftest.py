import pytest

from tests.applicants.factories import EthicsCodeFactory, HoursEntryFactory, ProfileFactory


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private_media"
    return settings.PRIVATE_MEDIA_ROOT


@pytest.fixture
def profile_factory(db):
    return ProfileFactory


@pytest.fixture
def hours_factory(db):
    return HoursEntryFactory


@pytest.fixture
def ethics_code_factory(db):
    return EthicsCodeFactory
