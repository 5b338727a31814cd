import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from payments.services import invoice_raise
from tests.applicants.factories import HoursEntryFactory
from tests.factories import ApplicantFactory

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
# (session, user, roles with privileges in one query, and every panel together) from creeping up
# unnoticed. The checklist and the step tracker share their eligibility facts, the person's applications,
# ethics adoption and training (page_memo); the passed exams of every level take one query, the header's
# menus come from memory; what remains is about one query per panel and table.
DASHBOARD_QUERY_BUDGET = 30


def test_dashboard_query_count_stays_within_budget(client, applicant, django_assert_max_num_queries):
    client.force_login(applicant)

    with django_assert_max_num_queries(DASHBOARD_QUERY_BUDGET):
        response = client.get(reverse("applicants:dashboard"))

    assert response.status_code == 200


def _dashboard_queries(client, user) -> int:
    client.force_login(user)
    client.get(reverse("applicants:dashboard"))  # the reference data and content types are in memory now
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("applicants:dashboard")).status_code == 200
    return len(queries)


def test_dashboard_query_count_is_the_same_with_few_and_many_rows(client):
    few, many = ApplicantFactory(), ApplicantFactory()
    HoursEntryFactory.create_batch(5, user=few)
    HoursEntryFactory.create_batch(200, user=many)
    for index in range(5):
        invoice_raise(payer=few, kind="accreditation", reference=f"few:{index}", level_code="AM")
    for index in range(30):
        invoice_raise(payer=many, kind="accreditation", reference=f"many:{index}", level_code="AM")

    assert _dashboard_queries(client, few) == _dashboard_queries(client, many)


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


# The header ---------------------------------------------------------------------------------------


def test_public_pages_are_grouped_in_header_menus(client):
    page = client.get(reverse("home")).content.decode()

    for group in ("nav-accreditation", "nav-exams", "nav-training", "nav-directory"):
        assert f'id="{group}"' in page
    assert page.count('class="nav-link dropdown-toggle"') >= 5  # four groups and the language
    for url in (reverse("accreditation:level_list"), reverse("payments:fees"), reverse("exams:calendar"),
                reverse("partners:directory"), reverse("certificates:verify")):
        assert f'class="dropdown-item" href="{url}' in page


def test_header_menus_are_closed_so_signed_in_links_stay_in_the_bar(client, user_factory):
    client.force_login(user_factory())

    page = client.get(reverse("home")).content.decode()
    header = page[page.index("<header"):page.index("</header>")]

    assert header.count("<ul") == header.count("</ul>")
    assert header.count("<li") == header.count("</li>")
    # The dashboard link is in the bar, after the last public menu has closed, not inside it.
    before_dashboard = header[:header.index(f'href="{reverse("applicants:dashboard")}"')]
    assert before_dashboard.count("<ul") - before_dashboard.count("</ul>") == 1


def test_language_menu_names_the_language_in_use(client):
    client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})

    page = client.get(reverse("home")).content.decode()

    assert 'lang="zh-hans"><span class="visually-hidden">语言: </span>简体中文</a>' in page
    assert 'value="en" lang="en"' in page and ">English</button>" in page


def test_account_menu_is_named_by_first_name_and_truncated_by_css(client, user_factory):
    client.force_login(user_factory(full_name="Maximiliana Hohenzollern-Sigmaringen"))

    page = client.get(reverse("home")).content.decode()

    assert 'class="nav-link dropdown-toggle nav-account-name"' in page
    assert "Maximiliana</a>" in page


def test_every_page_names_the_favicon(client):
    page = client.get(reverse("home")).content.decode()

    assert '<link rel="icon" href="/static/img/favicon.svg" type="image/svg+xml">' in page


def test_favicon_ico_redirects_to_the_svg(client):
    response = client.get("/favicon.ico")

    assert response.status_code == 301
    assert response["Location"] == "/static/img/favicon.svg"


def test_admin_pages_name_the_favicon_and_the_portal_admin_css(client, reviewer):
    client.force_login(reviewer)

    page = client.get(reverse("admin:index")).content.decode()

    assert 'href="/static/img/favicon.svg"' in page
    assert 'href="/static/css/admin.css"' in page


# Words and dates ----------------------------------------------------------------------------------


def test_footer_names_the_body_as_its_own_site_does(client, settings):
    page = client.get(reverse("home")).content.decode()

    assert settings.BODY_NAME == "International Professional Mentor Association"
    assert "International Professional Mentor Association" in page
    assert "Mentoring Accreditation" not in page


def test_footer_time_zone_note_agrees_with_exam_times_in_local_time(client):
    page = client.get(reverse("exams:calendar")).content.decode()

    assert "Times are shown in UTC, except exam times, which are the test centre's local time." in page
    assert "Times are the centre's local time." in page  # what the calendar itself says


def test_member_since_ends_with_one_full_stop(client, user_factory):
    user = user_factory()
    user.date_joined = timezone.make_aware(timezone.datetime(2026, 11, 30, 5, 42))
    user.save(update_fields=["date_joined"])
    client.force_login(user)

    page = client.get(reverse("applicants:dashboard")).content.decode()

    assert "Member of the portal since 30 Nov 2026.</p>" in page


@pytest.mark.parametrize(("language", "expected"), [("en", "14 Dec 2026"), ("zh-hans", "2026年12月14日")])
def test_one_date_format_for_long_and_short_dates(language, expected):
    from django.utils import translation
    from django.utils.formats import date_format

    day = timezone.datetime(2026, 12, 14).date()
    with translation.override(language):
        assert {date_format(day, "DATE_FORMAT"), date_format(day, "SHORT_DATE_FORMAT")} == {expected}


def test_greeting_uses_the_profiles_legal_name_when_the_account_has_none(client, user_factory):
    from applicants.services import profile_update

    user = user_factory(full_name="", email="nameless@example.org")
    profile_update(user=user, time_zone="UTC", legal_name="Grace Hopper")
    client.force_login(user)

    page = client.get(reverse("applicants:dashboard")).content.decode()

    assert "Welcome, Grace</h1>" in page


def test_header_shows_no_template_comment_text(client):
    page = client.get(reverse("home")).content.decode()

    assert "{#" not in page and "#}" not in page
