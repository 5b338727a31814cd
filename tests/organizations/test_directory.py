"""The public directory: opted-in mentors with a certificate in force, accredited programmes, approved QTSPs."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.urls import reverse

from notifications.models import OutboxMessage
from organizations import selectors, services
from organizations.models import DirectoryListing, DirectoryMessage
from tests.factories import UserFactory
from tests.organizations import factories
from tests.organizations.conftest import directory_names, directory_queries
from tests.partners.factories import QTSPFactory

pytestmark = pytest.mark.django_db


# ---- who is listed ------------------------------------------------------------------------------------------


def test_only_mentors_who_opted_in_and_hold_a_certificate_are_listed(client, listed_mentor):
    listed_mentor(display_name="Ana Listed")
    listed_mentor(display_name="Ben Private", opted_in=False)
    services.listing_save(user=UserFactory(), opted_in=True, display_name="Cy Uncertified")

    assert directory_names(client) == ["Ana Listed"]


def test_a_mentor_appears_with_their_highest_level(client, listed_mentor, mentor_certificate):
    listing, _certificate = listed_mentor(display_name="Dee", level_code="AM")
    mentor_certificate(listing.user, level_code="SM")

    entry = client.get(reverse("organizations:directory")).context["page"].object_list[0]

    assert (entry.level_code, entry.level_name) == ("SM", "Senior Mentor")


def test_opting_out_removes_the_entry_at_once(client, listed_mentor):
    listing, _certificate = listed_mentor(display_name="Eve")

    services.listing_save(user=listing.user, opted_in=False)

    assert directory_names(client) == []
    assert client.get(reverse("organizations:mentor", args=[listing.pk])).status_code == 404


def test_a_revoked_certificate_removes_the_entry_at_once(client, listed_mentor, reviewer):
    from certificates.services import certificate_revoke

    listing, certificate = listed_mentor(display_name="Fay")

    certificate_revoke(certificate=certificate, actor=reviewer, reason="Code of ethics breached.")

    assert directory_names(client) == []
    assert client.get(reverse("organizations:mentor", args=[listing.pk])).status_code == 404
    assert DirectoryListing.objects.get(pk=listing.pk).opted_in  # nothing copied: the register decides


def test_an_expired_certificate_removes_the_entry_on_its_expiry_day(client, listed_mentor):
    listing, certificate = listed_mentor(display_name="Gus")

    with time_machine.travel(datetime.datetime.combine(certificate.expires_on, datetime.time(8),
                                                       tzinfo=datetime.UTC)):
        assert directory_names(client) == []
        assert client.get(reverse("organizations:mentor", args=[listing.pk])).status_code == 404


def test_the_mentors_email_address_is_never_on_the_public_pages(client, listed_mentor):
    listing, _certificate = listed_mentor(display_name="Hal", email="hal.private@example.org")

    directory = client.get(reverse("organizations:directory")).content.decode()
    profile = client.get(reverse("organizations:mentor", args=[listing.pk])).content.decode()

    assert "Hal" in directory and "Hal" in profile
    assert "hal.private@example.org" not in directory and "hal.private@example.org" not in profile


# ---- filters and search ------------------------------------------------------------------------------------


def test_filters_by_level_country_language_and_sector(client, listed_mentor):
    listed_mentor(display_name="Ivy", level_code="AM", country="NL", languages=["nl"], sectors=["education"])
    listed_mentor(display_name="Jon", level_code="MM", country="FR", languages=["fr", "en"], sectors=["business"])

    assert directory_names(client, level="MM") == ["Jon"]
    assert directory_names(client, country="NL") == ["Ivy"]
    assert directory_names(client, language="fr") == ["Jon"]
    assert directory_names(client, sector="education") == ["Ivy"]
    assert directory_names(client, level="AM", country="FR") == []


def test_full_text_search_matches_words_in_any_form(client, listed_mentor):
    listed_mentor(display_name="Kim", headline="Coaching nurses", profile="I mentored hospital teams for years.")
    listed_mentor(display_name="Lou", headline="Start-ups", profile="Founders and their first hires.")

    assert directory_names(client, q="mentoring hospitals") == ["Kim"]
    assert directory_names(client, q="founder") == ["Lou"]
    assert directory_names(client, q="Kim") == ["Kim"]
    assert directory_names(client, q="astronaut") == []


def test_the_search_uses_the_gin_index(listed_mentor):
    listed_mentor(display_name="Max")
    queryset = selectors.directory_mentors(q="managers")
    sql, params = queryset.query.sql_with_params()

    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())

    assert "organizations_listing_search" in plan


def test_the_directory_is_paginated(client, listed_mentor, settings):
    settings.ORGANIZATIONS_DIRECTORY_PAGE_SIZE = 2
    for name in ("Ann", "Bob", "Cat", "Dan", "Eli"):
        listed_mentor(display_name=name)

    first = client.get(reverse("organizations:directory"), {"country": "NL"})
    third = client.get(reverse("organizations:directory"), {"country": "NL", "page": 3})

    assert [e.display_name for e in first.context["page"].object_list] == ["Ann", "Bob"]
    assert [e.display_name for e in third.context["page"].object_list] == ["Eli"]
    assert "country=NL&amp;page=2" in first.content.decode()


@pytest.mark.parametrize("section", ["mentors", "programmes", "qtsps"])
def test_a_page_costs_the_same_queries_with_few_and_many_rows(client, listed_mentor, org, owner, reviewers,
                                                              section):
    def add(count: int, start: int):
        for n in range(start, start + count):
            if section == "mentors":
                listed_mentor(display_name=f"Mentor {n:02}")
            elif section == "programmes":
                factories.accredited(org, owner, reviewers[:], name=f"Programme {n:02}")
            else:
                QTSPFactory(name=f"Academy {n:02}")

    add(2, 0)
    few = directory_queries(client, show=section)
    add(23, 2)
    many = directory_queries(client, show=section)

    assert few == many
    # the count, the page (and the QTSPs' levels, prefetched); the filter's levels and the menus are in memory
    assert few == {"mentors": 2, "programmes": 2, "qtsps": 3}[section]


# ---- programmes and QTSPs ----------------------------------------------------------------------------------


def test_accredited_programmes_are_listed_until_revoked(client, org, owner, reviewers, reviewer):
    application = factories.accredited(org, owner, reviewers, name="Rural Teachers Mentoring")
    factories.draft(org, owner, name="Still A Draft")

    page = client.get(reverse("organizations:directory"), {"show": "programmes"}).content.decode()
    assert directory_names(client, show="programmes") == ["Rural Teachers Mentoring"]
    assert f"/verify/{application.certificate_number}/" in page
    assert org.legal_name in page

    services.accreditation_revoke(application=application, actor=reviewer, reason="Closed down.")
    assert directory_names(client, show="programmes") == []


def test_programmes_are_searched_and_filtered_by_organization(client, owner, reviewers):
    utrecht = factories.OrganizationFactory(legal_name="Utrecht Schools Foundation", country="NL", sector="education")
    lagos = factories.OrganizationFactory(legal_name="Lagos Founders Network", country="NG", sector="business")
    for organization, name in ((utrecht, "Newly Qualified Teachers"), (lagos, "Founder Circles")):
        factories.staff_add(organization, user=owner)
        factories.accredited(organization, owner, reviewers, name=name)

    assert directory_names(client, show="programmes", q="qualified") == ["Newly Qualified Teachers"]
    assert directory_names(client, show="programmes", q="Lagos") == ["Founder Circles"]
    assert directory_names(client, show="programmes", country="NL") == ["Newly Qualified Teachers"]
    assert directory_names(client, show="programmes", sector="business") == ["Founder Circles"]


def test_approved_qtsps_come_from_partners(client):
    QTSPFactory(name="London Mentoring Academy", place="London", levels=["AM", "PM"])
    QTSPFactory(name="Paris Mentoring School", place="Paris", levels=["SM"])
    QTSPFactory(name="Pending Academy", status="submitted")

    assert directory_names(client, show="qtsps") == ["Paris Mentoring School", "London Mentoring Academy"]
    assert directory_names(client, show="qtsps", level="SM") == ["Paris Mentoring School"]
    assert directory_names(client, show="qtsps", country="GB") == ["London Mentoring Academy"]
    assert directory_names(client, show="qtsps", q="school") == ["Paris Mentoring School"]


# ---- contacting a mentor -------------------------------------------------------------------------------------


def test_a_visitors_message_is_relayed_through_the_outbox(client, listed_mentor):
    listing, _certificate = listed_mentor(display_name="Nia", email="nia@example.org")

    response = client.post(reverse("organizations:mentor", args=[listing.pk]), {
        "sender_name": "Omar", "sender_email": "omar@example.org", "body": "Would you mentor our team lead?",
    }, follow=True)

    message = DirectoryMessage.objects.get()
    mail = OutboxMessage.objects.get(key=f"organizations:directory-message:{message.pk}")
    assert mail.to == ["nia@example.org"]
    assert "omar@example.org" in mail.body_text and "Would you mentor our team lead?" in mail.body_text
    assert "nia@example.org" not in response.content.decode()
    assert "was sent to Nia" in response.content.decode()


def test_messages_are_rate_limited_per_visitor(client, listed_mentor, settings):
    settings.ORGANIZATIONS_DIRECTORY_CONTACT_RATE = "2/h"
    listing, _certificate = listed_mentor(display_name="Pat")
    data = {"sender_name": "Spam", "sender_email": "spam@example.org", "body": "Buy now."}

    statuses = [client.post(reverse("organizations:mentor", args=[listing.pk]), data).status_code for _ in range(3)]

    assert statuses == [302, 302, 429]
    assert DirectoryMessage.objects.count() == 2


def test_a_mentor_who_takes_no_messages_gets_none(client, listed_mentor):
    listing, _certificate = listed_mentor(display_name="Quinn", accepts_contact=False)

    page = client.get(reverse("organizations:mentor", args=[listing.pk]))
    client.post(reverse("organizations:mentor", args=[listing.pk]),
                {"sender_name": "A", "sender_email": "a@example.org", "body": "Hello"})

    assert "does not take messages" in page.content.decode()
    assert not DirectoryMessage.objects.exists()


# ---- the mentor's own entry ----------------------------------------------------------------------------------


def test_a_mentor_opts_in_from_their_entry_page(client, mentor_certificate):
    user = UserFactory(full_name="Rosa Diaz")
    mentor_certificate(user, level_code="PM")
    client.force_login(user)

    form = client.get(reverse("organizations:listing_edit"))
    response = client.post(reverse("organizations:listing_edit"), {
        "opted_in": "on", "display_name": "Rosa Diaz", "headline": "Mentor for engineers", "profile": "",
        "country": "ES", "city": "Madrid", "languages": ["es", "en"], "sectors": ["business"],
        "accepts_contact": "on",
    })

    assert form.status_code == 200 and 'value="Rosa Diaz"' in form.content.decode()
    assert response.status_code == 302
    assert directory_names(client) == ["Rosa Diaz"]
    assert "You are listed" in client.get(reverse("organizations:listing_edit")).content.decode()


def test_the_directory_is_in_the_public_navigation(client):
    assert f'href="{reverse("organizations:directory")}"' in client.get("/").content.decode()
