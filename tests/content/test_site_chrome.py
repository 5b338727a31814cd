"""The header and footer kept rendered per kind of viewer (content/templatetags/site_chrome.py): each person still gets
their own name, the address of their page and a CSRF token of their own, and a change of the menus shows at once."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from content.models import NavGroup, Page
from tests.factories import ApplicantFactory, ReviewerFactory

pytestmark = pytest.mark.django_db

NEXT = re.compile(r'<input name="next" type="hidden" value="([^"]*)">')
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _header(client, address: str = "/hours/") -> str:
    page = client.get(address).content.decode()
    return page[page.index("<header"):page.index("</header>")]


def test_two_people_with_the_same_roles_each_see_their_own_name(client):
    client.force_login(ApplicantFactory(full_name="Amara Okafor"))
    first = _header(client)
    client.force_login(ApplicantFactory(full_name="Bilal Haddad"))
    second = _header(client)

    assert "Amara</a>" in first and "Bilal</a>" in second and "Amara" not in second


def test_a_name_is_escaped_in_the_header(client):
    client.force_login(ApplicantFactory(full_name='<script>alert("x")</script> Smith'))

    header = _header(client)

    assert "<script>" not in header and "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;</a>" in header


def test_the_language_menu_returns_to_the_page_it_was_used_on(client):
    client.force_login(ApplicantFactory())

    header = _header(client, '/invoices/?page=1&x="y"')

    assert NEXT.search(header).group(1) == "/invoices/?page=1&amp;x=%22y%22"


def test_the_language_menu_carries_the_requests_own_csrf_token():
    client = Client(enforce_csrf_checks=True)
    client.force_login(ApplicantFactory())
    token = TOKEN.search(_header(client)).group(1)

    response = client.post(reverse("set_language"), {"language": "zh-hans", "next": "/hours/",
                                                     "csrfmiddlewaretoken": token})

    assert response.status_code == 302 and response["Location"] == "/hours/"


def test_a_reviewer_and_an_applicant_get_their_own_menus(client):
    client.force_login(ReviewerFactory())
    reviewer = _header(client, "/")
    client.force_login(ApplicantFactory())
    applicant = _header(client, "/")

    committee = f'href="{reverse("admin:index")}"'
    assert committee in reviewer and committee not in applicant


def test_a_page_added_to_the_menus_shows_in_the_header_at_once(client):
    client.force_login(ApplicantFactory())
    _header(client)
    Page.objects.create(slug="new-in-the-menu", title="New in the menu", status=Page.Status.PUBLISHED,
                        nav_group=NavGroup.values[1])

    assert "New in the menu" in _header(client)


def test_the_footer_names_the_viewers_time_zone(client):
    client.force_login(ApplicantFactory(time_zone="Asia/Kolkata"))

    page = client.get("/hours/").content.decode()

    assert "Times are shown in Asia/Kolkata" in page[page.index("<footer"):]


def test_a_page_rendered_without_its_request_gets_the_header_as_it_stands():
    from django.template import engines

    page = engines["django"].from_string("{% load site_chrome %}{% site_header %}").render({})

    assert "<header" in page and "\x00" not in page and 'name="csrfmiddlewaretoken"' not in page


def test_the_forms_of_one_answer_share_one_token_and_the_next_answer_has_another():
    """The token is masked once per request (ipma_portal.public_cache.request_csrf_token), not once per form; each
    answer still masks it anew, and the shared token is accepted."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(ApplicantFactory())

    first = TOKEN.findall(client.get(reverse("account_email")).content.decode())
    second = TOKEN.findall(client.get(reverse("account_email")).content.decode())

    assert len(first) >= 3 and len(set(first)) == 1  # the language menu, sign-out and the page's own forms
    assert set(first) != set(second)
    response = client.post(reverse("set_language"), {"language": "en", "next": "/hours/",
                                                     "csrfmiddlewaretoken": first[-1]})
    assert response.status_code == 302
