"""The one beat table names only tasks that exist: a renamed or moved job must not leave a dead entry."""

import pytest
from django.conf import settings

from ipma_portal.celery import app

ENTRIES = sorted(settings.CELERY_BEAT_SCHEDULE.items())


@pytest.mark.parametrize(("name", "entry"), ENTRIES, ids=[name for name, _entry in ENTRIES])
def test_beat_entry_names_a_registered_task(name, entry):
    app.loader.import_default_modules()

    assert entry["task"] in app.tasks, f"{name} schedules {entry['task']}, which no app defines"
    assert entry["schedule"] > 0
