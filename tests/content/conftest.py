import uuid

import pytest


@pytest.fixture(autouse=True)
def ratelimit_namespace(settings):
    """Rate-limit counters live in the real Redis: each test counts under a prefix of its own."""
    settings.CACHES = {
        **settings.CACHES,
        "ratelimit": {**settings.CACHES["ratelimit"], "KEY_PREFIX": f"test-ratelimit-{uuid.uuid4().hex}"},
    }
