"""The committee's changelists and the application change page at scale: the same queries for few rows and
for many (issue 17), a page of 50 rows, filters kept, and each filter choice listed once."""

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accreditation.models import LevelApplication
from bench.scale import seed_scale
from certificates.models import Certificate
from exams.models import Booking
from payments.models import Invoice
from tests.conftest import rolled_back_after_the_module

pytestmark = pytest.mark.django_db

PAGES = [
    "/admin/accreditation/levelapplication/",
    "/admin/accreditation/levelapplication/?status__exact=under_review&q=A",
    "/admin/exams/booking/",
    "/admin/exams/booking/?status__exact=booked&q=Okafor",
    "/admin/payments/invoice/",
    "/admin/payments/invoice/?status__exact=paid&q=IPMA",
    "/admin/certificates/certificate/",
    "/admin/certificates/certificate/?status__exact=active&q=Okafor",
]


@pytest.fixture(scope="module")
def demo_data(django_db_setup, django_db_blocker):
    """The demo data, built once for the module (it took 5 to 8 s for every test)."""
    with rolled_back_after_the_module(django_db_blocker, lambda: call_command("seed_demo", stdout=io.StringIO())):
        yield


@pytest.fixture(scope="module")
def scale_data(demo_data, django_db_blocker):
    """The demo data and the scale data of 200 applications, 400 bookings and 1,000 invoices, built once."""
    with rolled_back_after_the_module(django_db_blocker, lambda: seed_scale(scale=0.01, stdout=io.StringIO())):
        yield


@pytest.fixture
def staff_client(client, reviewer, scale_data):
    client.force_login(reviewer)
    return client


@pytest.fixture
def demo_staff_client(client, reviewer, demo_data):
    """On the demo data alone: the few rows (this module's first test, before ``scale_data`` is built)."""
    client.force_login(reviewer)
    return client


def _queries(client, path: str) -> int:
    client.get(path)  # warm the per-process caches (levels, menus)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(captured)


def test_changelists_and_change_page_ask_the_same_queries_for_5_and_for_200_rows(demo_staff_client):
    # The demo data holds a handful of each (the scale data cannot be seeded twice in one database).
    assert 0 < LevelApplication.objects.count() <= 10 and 0 < Invoice.objects.count() <= 60
    application = LevelApplication.objects.order_by("pk").first()
    pages = [*PAGES, f"/admin/accreditation/levelapplication/{application.pk}/change/"]
    few = {path: _queries(demo_staff_client, path) for path in pages}

    seed_scale(scale=0.01, stdout=io.StringIO())  # 200 applications, 400 bookings, 1,000 invoices
    assert LevelApplication.objects.count() >= 200 and Booking.objects.count() >= 200
    assert Certificate.objects.count() >= 200 and Invoice.objects.count() >= 200
    many = {path: _queries(demo_staff_client, path) for path in pages}

    assert many == few


def test_changelist_shows_50_rows_a_page_and_keeps_the_filters_in_page_links(staff_client):
    path = "/admin/payments/invoice/?status__exact=paid"

    response = staff_client.get(path)

    changelist = response.context["cl"]
    assert len(changelist.result_list) == 50
    assert changelist.result_count == Invoice.objects.filter(status="paid").count()
    assert changelist.full_result_count is None  # no second COUNT(*) of the whole table
    assert 'href="?p=2&amp;status__exact=paid"' in response.content.decode()
    assert staff_client.get(f"{path}&p=999").status_code == 302  # out of range: back to the list, never a 500


def test_certificate_country_filter_lists_each_country_once(staff_client):
    response = staff_client.get("/admin/certificates/certificate/")

    country_filter = next(spec for spec in response.context["cl"].filter_specs if getattr(spec, "parameter_name", "") == "country")
    codes = [code for code, _name in country_filter.lookup_choices]
    assert len(codes) == len(set(codes)) > 1


def test_row_checkbox_is_the_admin_markup(staff_client):
    booking = Booking.objects.order_by("-booked_at", "-pk").first()

    response = staff_client.get("/admin/exams/booking/")

    assert (f'<input type="checkbox" name="_selected_action" value="{booking.pk}" class="action-select" '
            f'aria-label="Select this object for an action - {booking}">') in response.content.decode()


@pytest.mark.parametrize("drill_down", ["", "&booked_at__year={year}", "&booked_at__year={year}&booked_at__month={month}"])
def test_date_drill_down_is_the_one_django_draws_from_one_scan_of_the_rows(staff_client, drill_down):
    from django.contrib.admin.templatetags import admin_list

    from workflows.templatetags.large_changelist import date_hierarchy

    newest = Booking.objects.order_by("-booked_at").first().booked_at
    path = "/admin/exams/booking/?status__exact=booked" + drill_down.format(year=newest.year, month=newest.month)
    staff_client.get(path)

    with CaptureQueriesContext(connection) as captured:
        response = staff_client.get(path)

    scans = [query["sql"] for query in captured if 'FROM "exams_booking"' in query["sql"]]
    assert len(scans) == 2  # the count with the dates, and the page
    changelist = response.context["cl"]
    with CaptureQueriesContext(connection) as drawing:
        ours = date_hierarchy(changelist)
    assert len(drawing) == 0
    djangos = admin_list.date_hierarchy(changelist)  # Django's own tag, asking the rows itself
    assert djangos["choices"], "the drill-down offers periods"
    assert ours == djangos
    assert all(choice["link"] in response.content.decode().replace("&amp;", "&") for choice in ours["choices"])
    assert changelist.result_count == changelist.queryset.count()


def test_row_links_keep_the_lists_filters(staff_client):
    booking = Booking.objects.filter(status="booked").order_by("-booked_at", "-pk").first()

    page = staff_client.get("/admin/exams/booking/?status__exact=booked").content.decode()

    assert f'href="/admin/exams/booking/{booking.pk}/change/?_changelist_filters=status__exact%3Dbooked"' in page


def test_booking_country_filter_lists_the_countries_with_a_centre(staff_client):
    from exams.models import TestCentre

    centre = TestCentre.objects.order_by("pk").first()

    response = staff_client.get(f"/admin/exams/booking/?session__centre__country__exact={centre.country.code}")

    country_filter = next(spec for spec in response.context["cl"].filter_specs
                          if getattr(spec, "parameter_name", "") == "session__centre__country__exact")
    codes = {code for code, _name in country_filter.lookup_choices}
    assert codes == set(TestCentre.objects.values_list("country", flat=True))
    assert {b.session.centre.country for b in response.context["cl"].result_list} == {centre.country}


def test_certificate_country_filter_follows_a_holders_new_country(staff_client):
    from applicants.models import Profile

    staff_client.get("/admin/certificates/certificate/")  # the choices are kept from here on
    profile = Profile.objects.filter(user__certificates__isnull=False).exclude(country="IS").first()
    profile.country = "IS"
    profile.save()

    response = staff_client.get("/admin/certificates/certificate/")

    country_filter = next(spec for spec in response.context["cl"].filter_specs if getattr(spec, "parameter_name", "") == "country")
    assert "IS" in {code for code, _name in country_filter.lookup_choices}


@pytest.mark.parametrize("path", PAGES)
def test_rows_are_the_markup_djangos_items_for_result_writes(staff_client, path):
    from django.contrib.admin.templatetags import admin_list

    from workflows.templatetags.large_changelist import result_list

    response = staff_client.get(path)

    changelist = response.context["cl"]
    assert changelist.result_list, path
    ours = ["".join(row) for row in result_list(changelist)["results"]]
    djangos = ["".join(admin_list.items_for_result(changelist, result, None)) for result in changelist.result_list]
    assert ours == djangos
    page = response.content.decode()
    assert all(f"<tr>{row}</tr>" in page for row in ours)


def test_applications_country_filter_lists_the_applicants_countries_and_follows_a_change(staff_client):
    from applicants.models import Profile

    path = "/admin/accreditation/levelapplication/"
    expected = set(LevelApplication.objects.exclude(applicant__profile__country="")
                   .values_list("applicant__profile__country", flat=True))
    staff_client.get(path)  # the choices are kept from here on
    profile = Profile.objects.filter(user__level_applications__isnull=False).exclude(country="IS").first()
    profile.country = "IS"
    profile.save()

    response = staff_client.get(path)

    country_filter = next(spec for spec in response.context["cl"].filter_specs if getattr(spec, "parameter_name", "") == "country")
    codes = [code for code, _name in country_filter.lookup_choices]
    assert len(codes) == len(set(codes))
    assert "IS" in codes and set(codes) <= expected | {"IS"}
