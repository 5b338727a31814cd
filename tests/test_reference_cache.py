"""Reference data is read from memory until it changes, in this process and in every other one."""

import pytest
from django.core.cache import caches
from django.urls import reverse

from accreditation.models import Level
from accreditation.selectors import LEVELS, levels_in_order
from content.models import NavGroup, Page
from exams.selectors import curriculum_table

pytestmark = pytest.mark.django_db


def test_levels_are_read_from_memory_the_second_time(django_assert_num_queries):
    levels_in_order()

    with django_assert_num_queries(0):
        levels = levels_in_order()

    assert [level.code for level in levels] == ["AM", "PM", "SM", "MM"]


def test_levels_are_read_again_after_a_level_changes():
    levels_in_order()
    level = Level.objects.get(code="PM")
    level.name = "Practitioner Mentor"
    level.save()

    assert [level.name for level in levels_in_order()][1] == "Practitioner Mentor"


def test_levels_are_read_again_when_another_process_changed_one(settings, django_assert_num_queries):
    settings.REFERENCE_CACHE_CHECK_SECONDS = 0  # asks Redis on every read
    levels_in_order()
    # Another process saved a level: it moved the version in the shared cache, and this process's copy is old.
    caches["reference"].set(LEVELS.version_key, "changed elsewhere", timeout=None)

    with django_assert_num_queries(1):
        levels_in_order()


def test_curriculum_is_read_again_after_a_topic_is_renamed():
    _levels, rows = curriculum_table()
    topic = rows[0][0]
    topic.name = "Coaching craft"
    topic.save()

    _levels, rows = curriculum_table()

    assert rows[0][0].name == "Coaching craft"


@pytest.mark.parametrize("path", ["/levels/", "/fees/", "/curriculum/"])
def test_reference_page_costs_no_query_once_read(client, path, django_assert_num_queries):
    client.get(path)  # the reference data and the header's menus are read once

    with django_assert_num_queries(0):
        response = client.get(path)

    assert response.status_code == 200


def test_header_menus_show_a_page_published_meanwhile(client):
    client.get(reverse("home"))
    Page.objects.create(slug="ethics-board", title="Ethics board", body="The board.", nav_group=NavGroup.ABOUT,
                        status=Page.Status.PUBLISHED)

    page = client.get(reverse("home")).content.decode()

    assert "Ethics board" in page


def test_another_process_change_shows_within_the_check_interval(settings, django_assert_num_queries):
    settings.REFERENCE_CACHE_CHECK_SECONDS = 60
    levels_in_order()
    caches["reference"].set(LEVELS.version_key, "changed elsewhere", timeout=None)

    with django_assert_num_queries(0):
        levels_in_order()  # Redis is not asked again within the minute


def test_levels_are_built_every_time_while_redis_is_away(settings, django_assert_num_queries):
    settings.CACHES = {**settings.CACHES, "reference": {**settings.CACHES["reference"],
                                                      "LOCATION": "redis://127.0.0.1:1/0"}}

    levels_in_order()
    with django_assert_num_queries(1):
        levels = levels_in_order()

    assert [level.code for level in levels] == ["AM", "PM", "SM", "MM"]
