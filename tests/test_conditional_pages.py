"""Public reference pages answer 304 to a browser that holds the current version; private pages never do."""

import pytest

from accreditation.models import Level
from content.models import NavGroup, Page
from payments.models import Fee

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = ["/levels/", "/fees/", "/curriculum/"]


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_page_answers_not_modified_to_its_etag(client, path):
    first = client.get(path)

    again = client.get(path, headers={"if-none-match": first["ETag"]})

    assert first.status_code == 200 and first["ETag"]
    assert again.status_code == 304
    assert again.content == b""


def test_levels_page_changes_its_etag_when_a_level_changes(client):
    before = client.get("/levels/")["ETag"]
    level = Level.objects.get(code="AM")
    level.name = "Associate Mentor (new)"
    level.save()

    response = client.get("/levels/", headers={"if-none-match": before})

    assert response.status_code == 200
    assert response["ETag"] != before
    assert "Associate Mentor (new)" in response.content.decode()


def test_fees_page_changes_its_etag_when_a_fee_changes(client):
    before = client.get("/fees/")["ETag"]
    fee = Fee.objects.filter(level__code="AM").first()
    fee.amount += 1
    fee.save()

    response = client.get("/fees/", headers={"if-none-match": before})

    assert response.status_code == 200 and response["ETag"] != before


def test_every_public_etag_changes_when_the_header_menus_change(client):
    before = client.get("/curriculum/")["ETag"]
    Page.objects.create(slug="ethics-board", title="Ethics board", body="The board.", nav_group=NavGroup.ABOUT,
                        status=Page.Status.PUBLISHED)

    response = client.get("/curriculum/", headers={"if-none-match": before})

    assert response.status_code == 200 and "Ethics board" in response.content.decode()


def test_etag_differs_by_language(client):
    english = client.get("/levels/")["ETag"]

    chinese = client.get("/levels/", headers={"accept-language": "zh-hans"})["ETag"]

    assert english != chinese


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_signed_in_visitor_gets_no_etag_and_a_private_page(client, applicant, path):
    client.force_login(applicant)

    response = client.get(path)

    assert response.status_code == 200
    assert "ETag" not in response
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
