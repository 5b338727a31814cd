"""The public QTSP directory: approved providers by country and city, with the levels they train."""

import pytest
from django.urls import reverse

from partners.models import QTSP
from tests.partners.factories import FasttrackProgrammeFactory, ProgrammeFactory, QTSPFactory

pytestmark = pytest.mark.django_db


def names(response) -> list[str]:
    return [qtsp.name for qtsp in response.context["qtsps"]]


def test_lists_approved_qtsps_only_grouped_by_country_and_city(client):
    QTSPFactory(name="Paris Mentors", place="Paris")
    QTSPFactory(name="London Mentors", place="London")
    QTSPFactory(name="Pending Academy", place="London", status=QTSP.Status.SUBMITTED)
    QTSPFactory(name="Suspended Academy", place="London", status=QTSP.Status.SUSPENDED)
    QTSPFactory(name="Rejected Academy", place="London", status=QTSP.Status.REJECTED)

    response = client.get(reverse("partners:directory"))

    assert response.status_code == 200
    assert names(response) == ["Paris Mentors", "London Mentors"]  # France (FR) before the United Kingdom (GB)
    page = response.content.decode()
    assert "France" in page and "United Kingdom" in page and "Pending Academy" not in page


def test_shows_levels_and_the_fast_track(client):
    qtsp = QTSPFactory(name="Full Service", levels=["AM", "SM"])
    FasttrackProgrammeFactory(qtsp=qtsp)

    page = client.get(reverse("partners:directory")).content.decode()

    assert 'title="Associate Mentor">AM<' in page and 'title="Senior Mentor">SM<' in page
    assert 'title="Professional Mentor"' not in page
    assert "Fast track" in page


@pytest.mark.parametrize("query, expected", [
    ({"country": "FR"}, ["Paris Mentors"]),
    ({"city": "london"}, ["London Mentors", "London Online"]),
    ({"level": "PM"}, ["London Online"]),
    ({"format": "in_person"}, ["Paris Mentors"]),
    ({"fasttrack": "on"}, ["London Mentors"]),
    ({"country": "GB", "level": "AM"}, ["London Mentors"]),
])
def test_filters(query, expected, client):
    QTSPFactory(name="Paris Mentors", place="Paris", levels=["AM"], formats=["in_person"])
    FasttrackProgrammeFactory(qtsp=QTSPFactory(name="London Mentors", place="London", levels=["AM", "SM"],
                                               formats=["blended"]))
    QTSPFactory(name="London Online", place="London", levels=["PM"], formats=["online"])

    assert sorted(names(client.get(reverse("partners:directory"), query))) == sorted(expected)


@pytest.mark.parametrize("count", [3, 30])
def test_queries_do_not_grow_with_the_number_of_qtsps(count, client, django_assert_num_queries):
    for qtsp in QTSPFactory.create_batch(count):
        ProgrammeFactory(qtsp=qtsp)

    with django_assert_num_queries(5):  # the filter's countries and levels, the QTSPs, their levels, the header's content menus
        client.get(reverse("partners:directory"))


def test_public_page_of_an_approved_qtsp_with_its_programmes(client):
    qtsp = QTSPFactory(name="Open Academy")
    ProgrammeFactory(qtsp=qtsp, title="AM online, 32 h")
    pending = QTSPFactory(status=QTSP.Status.SUBMITTED)

    assert "AM online, 32 h" in client.get(reverse("partners:qtsp_public", args=[qtsp.pk])).content.decode()
    assert client.get(reverse("partners:qtsp_public", args=[pending.pk])).status_code == 404


def test_directory_is_in_the_public_navigation(client):
    assert reverse("partners:directory") in client.get(reverse("home")).content.decode()
