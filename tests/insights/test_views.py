"""Who may see the committee insights and their CSVs; the public numbers page and its small-count rule."""

import pytest
from django.urls import reverse

from insights.exports import csv_cell
from tests.certificates.factories import CertificateFactory
from tests.factories import ApplicantFactory, UserFactory
from tests.insights.conftest import application, in_country

pytestmark = pytest.mark.django_db
PAGE = reverse("insights:committee")
CSV = reverse("insights:committee_csv", args=["funnel_by_level"])


@pytest.mark.parametrize("url", [PAGE, CSV])
def test_anonymous_is_sent_to_the_login(client, url):
    response = client.get(url)
    assert response.status_code == 302 and "login" in response["Location"]


@pytest.mark.parametrize("url", [PAGE, CSV])
def test_an_applicant_gets_no_figures(client, applicant, url):
    client.force_login(applicant)
    response = client.get(url)
    assert response.status_code == 302 and "login" in response["Location"]


@pytest.mark.parametrize("url", [PAGE, CSV])
def test_staff_without_the_reviewer_permission_are_refused(client, url):
    from allauth.mfa.totp.internal.auth import TOTP

    staff = UserFactory(is_staff=True)
    TOTP.activate(staff, "JBSWY3DPEHPK3PXP")
    client.force_login(staff)
    assert client.get(url).status_code == 403


def test_a_reviewer_sees_every_section_with_charts_and_tables(client, reviewer):
    application(ApplicantFactory(), "AM")
    client.force_login(reviewer)
    response = client.get(PAGE, {"level": "AM"})
    body = response.content.decode()
    assert response.status_code == 200
    assert body.count("<svg") >= 1 and "<title id=\"chart-funnel_by_level-title\">" in body
    assert 'href="/admin/insights/funnel_by_level.csv?level=AM"' in body


def test_a_reviewer_downloads_a_table_as_csv(client, reviewer):
    application(ApplicantFactory(), "PM")
    client.force_login(reviewer)
    response = client.get(CSV)
    lines = response.content.decode("utf-8-sig").splitlines()
    assert response["Content-Type"].startswith("text/csv")
    assert lines == ["Level,Started (draft),Submitted,Decided,Approved", "PM,1,0,0,0"]


def test_an_unknown_table_is_not_found(client, reviewer):
    client.force_login(reviewer)
    assert client.get(reverse("insights:committee_csv", args=["nothing"])).status_code == 404


@pytest.mark.parametrize("text", ["=HYPERLINK(\"x\")", "+1", "-2+3", "@SUM(A1)", "\tcmd"])
def test_csv_cells_that_start_a_formula_are_escaped(text):
    assert csv_cell(text) == "'" + text


def test_csv_numbers_stay_numbers():
    assert (csv_cell(-3), csv_cell(None), csv_cell("North")) == ("-3", "", "North")


def test_public_numbers_suppress_counts_below_five(client):
    for _n in range(5):
        CertificateFactory(level_code="AM", holder=in_country(ApplicantFactory(), "FR"))
    for _n in range(2):
        CertificateFactory(level_code="PM", holder=in_country(ApplicantFactory(), "DE"))
    response = client.get(reverse("insights:numbers"))
    rows = {level.code: count for level, count in response.context["levels"]}
    countries = {row.code: row.mentors for row in response.context["countries"]}
    assert rows == {"AM": "5", "PM": "fewer than 5", "SM": "0", "MM": "0"}
    assert countries == {"FR": "5", "DE": "fewer than 5"}
    assert ">2<" not in response.content.decode()


def test_public_numbers_count_a_holder_once_per_country(client):
    person = in_country(ApplicantFactory(), "FR")
    CertificateFactory(level_code="AM", holder=person)
    CertificateFactory(level_code="PM", holder=person)
    for _n in range(4):
        CertificateFactory(level_code="AM", holder=in_country(ApplicantFactory(), "FR"))
    response = client.get(reverse("insights:numbers"))
    assert {row.code: row.mentors for row in response.context["countries"]} == {"FR": "5"}


def test_public_numbers_are_kept_and_a_new_certificate_shows_at_once(client, django_assert_num_queries):
    for _n in range(5):
        CertificateFactory(level_code="AM", holder=in_country(ApplicantFactory(), "FR"))
    client.get(reverse("insights:numbers"))
    with django_assert_num_queries(0):
        kept = client.get(reverse("insights:numbers")).content.decode()

    CertificateFactory(level_code="AM", holder=in_country(ApplicantFactory(), "FR"))
    fresh = client.get(reverse("insights:numbers"))

    assert '<th scope="row">France</th><td>5</td>' in kept
    assert {row.code: row.mentors for row in fresh.context["countries"]} == {"FR": "6"}
    assert '<th scope="row">France</th><td>6</td>' in fresh.content.decode()


def test_public_numbers_fragment_is_kept_per_language(client):
    for _n in range(5):
        CertificateFactory(level_code="AM", holder=in_country(ApplicantFactory(), "FR"))
    english = client.get(reverse("insights:numbers"), headers={"accept-language": "en"}).content.decode()
    chinese = client.get(reverse("insights:numbers"), headers={"accept-language": "zh-hans"}).content.decode()
    assert "France" in english and "France" not in chinese and "法国" in chinese


@pytest.mark.parametrize("certificates", [5, 200])
def test_public_numbers_cost_the_same_queries_with_few_and_many_rows(client, certificates, django_assert_num_queries,
                                                                    settings):
    settings.INSIGHTS_PUBLIC_CACHE_SECONDS = 0
    countries = ["FR", "DE", "CN", "BR", "NG"]
    for n in range(certificates):
        CertificateFactory(level_code="AM", holder=in_country(ApplicantFactory(), countries[n % 5]))
    client.get(reverse("insights:numbers"))  # the header's menus and the levels, kept in memory
    with django_assert_num_queries(4):  # the four counts, computed (nothing kept)
        assert client.get(reverse("insights:numbers")).status_code == 200
