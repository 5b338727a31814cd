"""City coordinates from the offline GeoNames extract, and great-circle distances."""

import pytest
from django.urls import reverse

from partners.places import city_locate, city_names, great_circle_km


@pytest.mark.parametrize("country, name, expected", [
    ("FR", "Paris", "Paris"),
    ("fr", "  paris ", "Paris"),
    ("BR", "Sao Paulo", "São Paulo"),
    ("DE", "Munich", "Munich"),
    ("DE", "München", "Munich"),
    ("US", "Paris", "Paris"),
])
def test_city_found_by_name_accents_and_alternate_names(country, name, expected):
    assert city_locate(country, name).name == expected


def test_same_name_in_another_country_is_that_country_s_city():
    assert city_locate("US", "Paris").latitude < city_locate("FR", "Paris").latitude


def test_unknown_city_is_none():
    assert city_locate("FR", "Atlantis") is None
    assert city_locate("FR", "Berlin") is None


@pytest.mark.parametrize("a, b, km", [
    (("GB", "London"), ("FR", "Paris"), 344),
    (("FR", "Lyon"), ("FR", "Paris"), 392),
])
def test_great_circle_distances_between_known_cities(a, b, km):
    first, second = city_locate(*a), city_locate(*b)

    assert great_circle_km(first.latitude, first.longitude, second.latitude, second.longitude) == pytest.approx(km, abs=2)


def test_distance_is_zero_to_itself_and_symmetric():
    assert great_circle_km(10, 20, 10, 20) == 0
    assert great_circle_km(0, 0, 0, 180) == pytest.approx(20015.1, abs=0.1)  # half the circumference, pi * R
    assert great_circle_km(0, 0, 90, 0) == pytest.approx(10007.5, abs=0.1)  # equator to pole, pi / 2 * R
    assert great_circle_km(1, 2, 3, 4) == great_circle_km(3, 4, 1, 2)


def test_city_names_for_suggestions_largest_first():
    assert city_names("FR", "Pa")[0] == "Paris"


def test_city_names_match_alternate_names_too():
    assert "Munich" in city_names("DE", "Münch")
    assert city_names("FR", "") and city_names("XX", "Pa") == []


def test_city_suggestions_endpoint(client):
    response = client.get(reverse("partners:city_suggestions"), {"country": "FR", "q": "lyo"})

    assert response.status_code == 200 and response.json()["cities"][0] == "Lyon"
    assert client.get(reverse("partners:city_suggestions"), {"q": "lyo"}).json() == {"cities": []}
