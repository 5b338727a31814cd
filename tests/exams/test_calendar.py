from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from exams.models import ExamSession
from exams.services import booking_create
from tests.exams.factories import window_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def tokyo(centre_factory):
    return centre_factory(name="Shibuya Exam Hall", city="Tokyo", country="JP", time_zone="Asia/Tokyo")


@pytest.fixture
def new_york(centre_factory):
    return centre_factory(name="Manhattan Exam Rooms", city="New York", country="US", time_zone="America/New_York")


def at(centre, days_ahead: int, hour: int = 9):
    return centre.local_datetime(datetime.combine((timezone.now() + timedelta(days=days_ahead)).date(), time(hour)))


def test_calendar_shows_the_centres_local_time_and_seats_left(client, session_factory, tokyo, candidate, level_am):
    session = session_factory(centre=tokyo, starts_at=at(tokyo, 30, 9), capacity=12)
    booking_create(candidate=candidate, session=session, level=level_am)

    response = client.get("/exams/calendar/")

    html = response.content.decode()
    local = timezone.localtime(session.starts_at, tokyo.zone)
    assert f"{local:%a} {local.day} {local:%b %Y}, 09:00 JST" in html
    assert response.context["sessions"][0].seats_left == 11
    assert ">11</td>" in html
    assert "Shibuya Exam Hall" in html and "Japan" in html


def test_calendar_lists_only_upcoming_sessions(client, session_factory, tokyo):
    past = session_factory(centre=tokyo, starts_at=timezone.now() - timedelta(hours=1))
    future = session_factory(centre=tokyo)

    sessions = list(client.get("/exams/calendar/").context["sessions"])

    assert sessions == [future]
    assert past not in sessions


def test_calendar_filters_by_country_city_level_and_quarter(client, session_factory, tokyo, new_york):
    japan = session_factory(centre=tokyo, starts_at=at(tokyo, 20), levels=["AM"])
    america = session_factory(centre=new_york, starts_at=at(new_york, 21), levels=["SM", "MM"])
    later = session_factory(centre=new_york, starts_at=at(new_york, 120), levels=["AM"])

    def listed(query: str):
        return list(client.get(f"/exams/calendar/?{query}").context["sessions"])

    assert listed("country=JP") == [japan]
    assert listed("city=New+York&quarter=") == [america, later]  # quarter= : all quarters
    assert listed("level=SM") == [america]
    assert listed("level=AM&quarter=") == [japan, later]
    assert listed(f"quarter={later.window.label}") == ([later] if later.window != japan.window else
                                                       [japan, america, later])
    assert listed("country=US&level=AM&quarter=") == [later]


def test_calendar_filter_choices_come_from_the_data(client, session_factory, tokyo, new_york):
    session_factory(centre=tokyo, starts_at=at(tokyo, 20))
    session_factory(centre=new_york, starts_at=at(new_york, 20))

    form = client.get("/exams/calendar/").context["filter"].form

    assert [code for code, _name in form.fields["country"].choices if code] == ["JP", "US"]
    assert [city for city, _name in form.fields["city"].choices if city] == ["New York", "Tokyo"]
    assert [label for label, _name in form.fields["quarter"].choices if label] == [
        window_for(timezone.localtime(at(tokyo, 20), tokyo.zone)).label]


def test_calendar_unknown_filter_value_lists_nothing_rather_than_failing(client, session_factory, tokyo):
    session_factory(centre=tokyo)

    response = client.get("/exams/calendar/?country=ZZ")

    assert response.status_code == 200
    assert list(response.context["sessions"]) == []
    assert "Select a valid choice" in response.content.decode()


def make_sessions(session_factory, centres, count: int):
    for index in range(count):
        centre = centres[index % len(centres)]
        session_factory(centre=centre, starts_at=at(centre, 10 + index // len(centres), 8 + index % 9),
                        levels=["AM", "PM"] if index % 2 else ["SM"])


@pytest.mark.parametrize("count", [3, 150])
def test_calendar_query_count_does_not_grow_with_sessions(client, session_factory, tokyo, new_york, count,
                                                          django_assert_num_queries):
    make_sessions(session_factory, [tokyo, new_york], count)
    client.get("/exams/calendar/")  # warm the content-type and site caches

    # count, page, levels of the page's sessions: the choices and the header's menus are kept in memory
    with django_assert_num_queries(3):
        client.get("/exams/calendar/")
    with django_assert_num_queries(3):
        response = client.get("/exams/calendar/?level=AM&country=US&quarter=")

    assert response.status_code == 200
    assert len(response.context["sessions"]) == min(count // 2, 25)
    assert ExamSession.objects.count() == count


def test_calendar_pages_through_hundreds_of_sessions(client, session_factory, tokyo):
    make_sessions(session_factory, [tokyo], 60)

    first = client.get("/exams/calendar/?quarter=")
    third = client.get("/exams/calendar/?quarter=&page=3")

    assert len(first.context["sessions"]) == 25
    assert len(third.context["sessions"]) == 10
    assert "Page 1 of 3" in first.content.decode()


def test_calendar_shows_the_next_quarter_by_default(client, session_factory, tokyo):
    soon = session_factory(centre=tokyo, starts_at=at(tokyo, 1))
    later = session_factory(centre=tokyo, starts_at=at(tokyo, 200))
    assert soon.window != later.window

    response = client.get("/exams/calendar/")

    assert list(response.context["sessions"]) == [soon]
    assert response.context["filter"].form["quarter"].value() == soon.window.label


def test_calendar_links_to_the_next_quarter_keeping_the_filters(client, session_factory, tokyo):
    soon = session_factory(centre=tokyo, starts_at=at(tokyo, 1), levels=["AM"])
    later = session_factory(centre=tokyo, starts_at=at(tokyo, 200), levels=["AM"])

    links = client.get("/exams/calendar/?country=JP").context["quarter_links"]
    following = client.get(f"/exams/calendar/?{links['next']}")

    assert "country=JP" in links["next"]
    assert "previous" not in links
    assert list(following.context["sessions"]) == [later]
    assert following.context["quarter_links"]["previous_label"] == soon.window.label


def test_calendar_offers_a_new_centres_country_at_once(client, session_factory, tokyo, new_york):
    session_factory(centre=tokyo, starts_at=at(tokyo, 1))
    client.get("/exams/calendar/")  # the choices are now kept in memory

    session_factory(centre=new_york, starts_at=at(new_york, 2))
    response = client.get("/exams/calendar/")

    countries = [value for value, _label in response.context["filter"].form.fields["country"].choices]
    assert countries == ["", "JP", "US"]
