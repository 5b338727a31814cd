import datetime
import uuid

import pytest
from django.utils import timezone

from publications.models import Article, Issue, Publication
from tests.payments.factories import MembershipPeriodFactory


@pytest.fixture(autouse=True)
def ratelimit_namespace(settings):
    """Rate-limit counters live in the real Redis: each test counts under a prefix of its own."""
    settings.CACHES = {
        **settings.CACHES,
        "ratelimit": {**settings.CACHES["ratelimit"], "KEY_PREFIX": f"test-ratelimit-{uuid.uuid4().hex}"},
    }


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private_media"
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def issue(db):
    publication, _ = Publication.objects.get_or_create(slug="the-link", defaults={"name": "The Link"})
    return Issue.objects.create(publication=publication, number=7, is_published=True,
                                published_on=timezone.localdate() - datetime.timedelta(days=1))


@pytest.fixture
def article_factory(issue):
    counter = iter(range(1, 10_000))

    def make(**fields):
        n = next(counter)
        defaults = {"issue": issue, "slug": f"article-{n}", "title": f"Article {n}", "abstract": "A short abstract.",
                    "body": "The full body.", "members_only": True, "is_published": True}
        return Article.objects.create(**{**defaults, **fields})

    return make


@pytest.fixture
def member(db):
    return MembershipPeriodFactory().user


@pytest.fixture
def lapsed_member(db):
    today = timezone.localdate()
    return MembershipPeriodFactory(starts_on=today - datetime.timedelta(days=800),
                                   ends_on=today - datetime.timedelta(days=400)).user
