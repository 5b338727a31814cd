"""The directory's search: every word typed is the start of a word of the entry, all of them required, whatever the
case and the accents; what is not a word never reaches PostgreSQL's query syntax."""

import pytest
from django.db import connection
from django.urls import reverse

from organizations import selectors
from tests.organizations import factories
from tests.organizations.conftest import directory_names, directory_queries
from tests.partners.factories import QTSPFactory

pytestmark = pytest.mark.django_db

ODD_INPUT = ["a:* | !(", "'", "''", "&&", "-", "!", "(", ")", "<->", "\\", ":*", "*", "a & b", "% _", "'; DROP TABLE x",
             "x" * 500, "okafor " * 20, "Ökafor\u0301", "导师", "😀", "\u200b", "\x7f"]


@pytest.fixture
def mentors(listed_mentor):
    listed_mentor(display_name="Kenji Watanabe", headline="Mentor of engineers", city="Manchester")
    listed_mentor(display_name="Amina Okafor", headline="Mentoring nurses", city="Lagos")
    listed_mentor(display_name="Lucía Fernández", headline="Mentora de docentes", city="Sevilla")
    listed_mentor(display_name="Jose Lucia", headline="Teachers' mentor", city="Zürich")


@pytest.fixture
def programmes(owner, reviewers):
    for legal_name, city, name in (("Utrecht Schools Foundation", "Utrecht", "Newly Qualified Teachers"),
                                   ("Lagos Founders Network", "Lagos", "Founder Circles"),
                                   ("Escuela Señorío", "Málaga", "Mentoría Docente")):
        organization = factories.OrganizationFactory(legal_name=legal_name, city=city)
        factories.staff_add(organization, user=owner)
        factories.accredited(organization, owner, reviewers, name=name)


# ---- word starts -------------------------------------------------------------------------------------------


def test_mentors_are_found_by_the_start_of_a_word(client, mentors):
    assert directory_names(client, q="Ken") == ["Kenji Watanabe"]
    assert directory_names(client, q="Okaf") == ["Amina Okafor"]
    assert directory_names(client, q="watanabe") == ["Kenji Watanabe"]
    assert directory_names(client, q="Manch") == ["Kenji Watanabe"]
    assert directory_names(client, q="enji") == []  # the middle of a word is not its start


def test_every_word_typed_is_required(client, mentors):
    assert directory_names(client, q="Amina Oka") == ["Amina Okafor"]
    assert directory_names(client, q="Amina Watanabe") == []
    assert directory_names(client, q="  kenji   ENGIN ") == ["Kenji Watanabe"]


def test_a_whole_word_also_matches_its_other_english_forms(client, mentors):
    assert directory_names(client, q="mentored engineer") == ["Kenji Watanabe"]
    assert directory_names(client, q="nursing") == ["Amina Okafor"]


def test_programmes_are_found_by_word_starts_of_the_programme_or_its_organization(client, programmes):
    assert directory_names(client, show="programmes", q="Qualif") == ["Newly Qualified Teachers"]
    assert directory_names(client, show="programmes", q="Lago") == ["Founder Circles"]
    assert directory_names(client, show="programmes", q="circ lag") == ["Founder Circles"]
    assert directory_names(client, show="programmes", q="teach Utre") == ["Newly Qualified Teachers"]
    assert directory_names(client, show="programmes", q="circ Utrecht") == []


def test_every_programme_is_found_by_a_word_start_of_its_description(client, programmes):
    # Each was described as "Mentoring for new teachers." (tests.organizations.factories.draft).
    assert len(directory_names(client, show="programmes", q="teach")) == 3
    assert len(directory_names(client, show="programmes", q="Teachers")) == 3


def test_qtsps_are_found_by_word_starts(client):
    QTSPFactory(name="Lumen Mentoring Academy", place="London")
    QTSPFactory(name="Académie Lyonnaise du Mentorat", place="Lyon")

    assert directory_names(client, show="qtsps", q="Lum") == ["Lumen Mentoring Academy"]
    assert directory_names(client, show="qtsps", q="acad") == ["Académie Lyonnaise du Mentorat", "Lumen Mentoring Academy"]
    assert directory_names(client, show="qtsps", q="Academie lyon") == ["Académie Lyonnaise du Mentorat"]
    assert directory_names(client, show="qtsps", q="Lum Lyon") == []


# ---- accents and case --------------------------------------------------------------------------------------


def test_mentor_search_ignores_accents_both_ways(client, mentors):
    assert directory_names(client, q="Lucia Fernandez") == ["Lucía Fernández"]
    assert directory_names(client, q="FERNÁNDEZ") == ["Lucía Fernández"]
    assert sorted(directory_names(client, q="lucía")) == ["Jose Lucia", "Lucía Fernández"]
    assert directory_names(client, q="José") == ["Jose Lucia"]
    assert directory_names(client, q="zurich") == ["Jose Lucia"]


def test_an_accent_typed_as_a_combining_mark_is_the_same_letter(client, mentors):
    assert directory_names(client, q="Luci\u0301a Ferna\u0301ndez") == ["Lucía Fernández"]


def test_programme_and_organization_search_ignore_accents(client, programmes):
    assert directory_names(client, show="programmes", q="mentoria") == ["Mentoría Docente"]
    assert directory_names(client, show="programmes", q="senorio malaga") == ["Mentoría Docente"]
    assert directory_names(client, show="programmes", q="Señ") == ["Mentoría Docente"]


# ---- what is not a word ------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ODD_INPUT)
def test_odd_input_never_fails(client, mentors, text):
    QTSPFactory(name="Lumen Mentoring Academy")

    statuses = {section: client.get(reverse("organizations:directory"), {"show": section, "q": text}).status_code
                for section in ("mentors", "programmes", "qtsps")}

    assert statuses == {"mentors": 200, "programmes": 200, "qtsps": 200}


@pytest.mark.parametrize("text", ["'", "&&", "-", "!(", "<->", ":*", "\\", "x" * 500, "okafor " * 20, "😀"])
def test_input_without_a_word_that_can_match_lists_nothing(mentors, programmes, text):
    QTSPFactory(name="Lumen Mentoring Academy")

    found = [list(search(q=text)) for search in (selectors.directory_mentors, selectors.directory_programmes,
                                                  selectors.directory_qtsps)]

    assert found == [[], [], []]


def test_query_syntax_in_the_input_is_taken_as_words(client, mentors):
    assert directory_names(client, q="okafor:* | !kenji") == []  # "okafor", "kenji": both required
    assert directory_names(client, q="'okafor'") == ["Amina Okafor"]
    assert directory_names(client, q="amina & (okaf)") == ["Amina Okafor"]
    assert directory_names(client, q="-okafor") == ["Amina Okafor"]  # no negation


# ---- speed ---------------------------------------------------------------------------------------------------


def _plan(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


def test_prefix_and_accent_searches_use_the_gin_indexes(mentors, programmes):
    assert "organizations_listing_search" in _plan(selectors.directory_mentors(q="Lucía Fern"))
    plan = _plan(selectors.directory_programmes(q="Señ circ"))
    assert "organizations_programme_search" in plan and "organizations_org_search" in plan


@pytest.mark.parametrize("section", ["mentors", "programmes", "qtsps"])
def test_a_searched_page_costs_the_same_queries_with_few_and_many_rows(client, listed_mentor, org, owner, reviewers,
                                                                       section):
    def add(count: int, start: int):
        for n in range(start, start + count):
            if section == "mentors":
                listed_mentor(display_name=f"Mentor Núñez {n:02}")
            elif section == "programmes":
                factories.accredited(org, owner, reviewers, name=f"Programme Núñez {n:02}")
            else:
                QTSPFactory(name=f"Academy Núñez {n:02}")

    add(2, 0)
    few = directory_queries(client, show=section, q="nunez")
    add(23, 2)
    many = directory_queries(client, show=section, q="nunez")

    assert few == many == {"mentors": 2, "programmes": 2, "qtsps": 3}[section]


# ---- the level shown -------------------------------------------------------------------------------------------


def test_the_mentor_card_shows_the_level_name_in_the_pages_language(client, listed_mentor):
    listing, _certificate = listed_mentor(display_name="Mei Chen", level_code="AM", city="Manchester")

    chinese = client.get(reverse("organizations:directory"), headers={"accept-language": "zh-hans"})
    profile = client.get(reverse("organizations:mentor", args=[listing.pk]), headers={"accept-language": "zh-hans"})
    english = client.get(reverse("organizations:directory"), headers={"accept-language": "en"})

    assert chinese.context["page"].object_list[0].level_name == "助理导师"
    assert "助理导师 · Manchester" in chinese.content.decode()
    assert "Associate Mentor" not in chinese.content.decode()
    assert "助理导师" in profile.content.decode() and "Associate Mentor" not in profile.content.decode()
    assert "Associate Mentor · Manchester" in english.content.decode()
