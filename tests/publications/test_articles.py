import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from content.models import Expert
from tests.documents.samples import pdf_bytes

pytestmark = pytest.mark.django_db

SECRET = "Confidential mentoring insight for members"


def test_members_only_body_is_not_in_the_page_for_anonymous_visitors(client, article_factory):
    article = article_factory(body=SECRET, abstract="Everyone reads this abstract.")

    html = client.get(article.get_absolute_url()).content.decode()

    assert "Everyone reads this abstract." in html and 'id="members-only"' in html
    assert SECRET not in html


def test_members_only_body_is_hidden_from_a_signed_in_non_member_and_a_lapsed_member(
        client, article_factory, applicant, lapsed_member):
    article = article_factory(body=SECRET)

    for user in (applicant, lapsed_member):
        client.force_login(user)
        assert SECRET not in client.get(article.get_absolute_url()).content.decode()


def test_members_only_body_is_shown_to_a_member(client, article_factory, member):
    article = article_factory(body=SECRET)
    client.force_login(member)

    html = client.get(article.get_absolute_url()).content.decode()

    assert SECRET in html and 'id="members-only"' not in html


def test_public_body_is_shown_to_everyone(client, article_factory):
    article = article_factory(body="Open knowledge for all", members_only=False)

    assert "Open knowledge for all" in client.get(article.get_absolute_url()).content.decode()


def test_unpublished_article_and_issue_are_not_found(client, article_factory, issue):
    draft = article_factory(is_published=False)
    assert client.get(draft.get_absolute_url()).status_code == 404
    live = article_factory()
    issue.is_published = False
    issue.save()

    assert client.get(live.get_absolute_url()).status_code == 404
    assert client.get(issue.get_absolute_url()).status_code == 404


def test_atom_feed_carries_abstracts_but_never_a_members_only_body(client, article_factory):
    author = Expert.objects.create(name="Dr. Mei Lin", slug="mei-lin")
    article = article_factory(title="Mentoring across cultures", abstract="Public abstract text", body=SECRET)
    article.authors.add(author)

    response = client.get(reverse("publications:feed", args=["the-link"]))

    body = response.content.decode()
    assert response["Content-Type"].startswith("application/atom+xml")
    assert "Mentoring across cultures" in body and "Public abstract text" in body and "Dr. Mei Lin" in body
    assert SECRET not in body


def test_issue_page_query_count_does_not_grow_with_articles(client, article_factory, issue):
    def count_queries():
        client.get(issue.get_absolute_url())  # the reference data the new rows invalidated is read again once
        with CaptureQueriesContext(connection) as queries:
            assert client.get(issue.get_absolute_url()).status_code == 200
        return len(queries.captured_queries)

    for i in range(2):
        article_factory().authors.add(Expert.objects.create(name=f"A{i}", slug=f"a{i}"))
    few = count_queries()
    for i in range(2, 12):
        article_factory().authors.add(Expert.objects.create(name=f"A{i}", slug=f"a{i}"))

    assert count_queries() == few


@pytest.fixture
def issue_with_pdf(issue):
    issue.pdf.save("issue.pdf", ContentFile(pdf_bytes()), save=True)
    return issue


def _pdf_url(issue):
    return reverse("publications:issue_pdf", args=[issue.publication.slug, issue.number])


def test_issue_pdf_anonymous_is_sent_to_sign_in(client, issue_with_pdf):
    response = client.get(_pdf_url(issue_with_pdf))

    assert response.status_code == 302 and reverse("account_login") in response["Location"]


def test_issue_pdf_is_refused_to_a_non_member(client, issue_with_pdf, applicant):
    client.force_login(applicant)

    assert client.get(_pdf_url(issue_with_pdf)).status_code == 403


def test_issue_pdf_is_served_privately_to_a_member(client, issue_with_pdf, member):
    client.force_login(member)

    response = client.get(_pdf_url(issue_with_pdf))

    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_issue_pdf_is_served_to_staff_who_may_view_issues(client, issue_with_pdf, reviewer):
    from django.contrib.auth.models import Permission

    reviewer.user_permissions.add(Permission.objects.get(codename="view_issue"))
    client.force_login(reviewer)

    assert client.get(_pdf_url(issue_with_pdf)).status_code == 200


def test_issue_pdf_has_no_public_url(issue_with_pdf):
    with pytest.raises(ValueError):
        issue_with_pdf.pdf.storage.url(issue_with_pdf.pdf.name)
