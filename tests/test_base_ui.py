import pytest
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db


def test_home_explains_the_accreditation_paths(client):
    response = client.get(reverse("home"))

    page = response.content.decode()
    assert response.status_code == 200
    for level in ("Associate Mentor", "Professional Mentor", "Senior Mentor", "Master Mentor"):
        assert level in page
    assert "Senior Mentor Elite Fast Track" in page


def test_home_offers_sign_up_to_anonymous_visitor(client):
    page = client.get(reverse("home")).content.decode()

    assert reverse("account_signup") in page
    assert reverse("applicants:dashboard") not in page


def test_nav_shows_committee_link_only_to_reviewers(client, applicant, reviewer):
    client.force_login(applicant)
    assert reverse("admin:index") not in client.get(reverse("home")).content.decode()

    client.force_login(reviewer)
    assert reverse("admin:index") in client.get(reverse("home")).content.decode()


def test_nav_shows_training_partner_entry_only_to_qtsp_staff(client, applicant, qtsp_staff):
    client.force_login(applicant)
    assert 'id="nav-qtsp"' not in client.get(reverse("home")).content.decode()

    client.force_login(qtsp_staff)
    assert 'id="nav-qtsp"' in client.get(reverse("home")).content.decode()


def test_times_shown_in_the_users_time_zone(client, user_factory):
    client.force_login(user_factory(time_zone="Asia/Tokyo"))

    response = client.get(reverse("applicants:dashboard"))

    assert response.context["TIME_ZONE"] == "Asia/Tokyo"
    assert timezone.get_current_timezone_name() == "UTC"  # the request's zone did not leak


def test_anonymous_visitor_time_zone_from_browser_cookie(client):
    client.cookies["ipma_tz"] = "America/Sao_Paulo"

    response = client.get(reverse("home"))

    assert response.context["TIME_ZONE"] == "America/Sao_Paulo"


def test_invalid_time_zone_cookie_falls_back_to_utc(client):
    client.cookies["ipma_tz"] = "Not/AZone"

    response = client.get(reverse("home"))

    assert response.context["TIME_ZONE"] == "UTC"


# Each app asserts its own panel's queries constant in its rows; this budget keeps the whole page
# (session, user, roles and every panel together) from creeping up unnoticed.
# The step tracker (insights) adds a constant 11: its eligibility facts, certificates and open application.
DASHBOARD_QUERY_BUDGET = 40


def test_dashboard_query_count_stays_within_budget(client, applicant, django_assert_max_num_queries):
    client.force_login(applicant)

    with django_assert_max_num_queries(DASHBOARD_QUERY_BUDGET):
        response = client.get(reverse("applicants:dashboard"))

    assert response.status_code == 200


def test_language_switch_to_simplified_chinese(client):
    response = client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"}, follow=True)

    page = response.content.decode()
    assert '<html lang="zh-hans">' in page
    assert "认证路径" in page  # "Accreditation paths"


def test_signed_in_user_language_preference_applies(client, user_factory):
    client.force_login(user_factory())
    client.post(
        reverse("applicants:preferences"),
        {"full_name": "Wang Fang", "time_zone": "Asia/Shanghai", "preferred_language": "zh-hans"},
    )

    page = client.get(reverse("applicants:dashboard")).content.decode()

    assert "欢迎" in page  # "Welcome"
