"""The committee's screens: every page opens for a reviewer, nothing is edited past the services."""

import pytest
from django.urls import reverse

from organizations.models import (
    AnnualReport,
    ApplicationStatus,
    ConditionStatus,
    Criterion,
    ProgrammeApplication,
)
from tests.organizations import factories

pytestmark = pytest.mark.django_db

MODELS = ["organization", "programme", "programmeapplication", "review", "condition", "criterion", "annualreport",
          "directorylisting"]


@pytest.fixture
def accredited(org, owner, reviewers):
    return factories.accredited(org, owner, reviewers, conditions=[("Name a supervisor.", factories.soon())])


@pytest.mark.parametrize("model", MODELS)
def test_every_list_and_page_opens_for_a_reviewer(client, reviewer, accredited, model):
    from organizations.services import listing_save

    listing_save(user=reviewer, opted_in=False, display_name="Reviewer")
    AnnualReport.objects.create(application=accredited, year=1, period_start=accredited.valid_from,
                                period_end=accredited.valid_from, due_on=accredited.valid_from)
    client.force_login(reviewer)
    changelist = client.get(reverse(f"admin:organizations_{model}_changelist"))
    row = changelist.context["cl"].result_list[0]

    page = client.get(reverse(f"admin:organizations_{model}_change", args=[row.pk]))

    assert changelist.status_code == 200 and page.status_code == 200


def test_pages_are_read_only_and_edits_are_refused(client, reviewer, accredited):
    client.force_login(reviewer)
    url = reverse("admin:organizations_programmeapplication_change", args=[accredited.pk])

    response = client.post(url, {"status": "draft"})

    assert response.status_code == 403
    assert ProgrammeApplication.objects.get(pk=accredited.pk).status == ApplicationStatus.CONDITIONAL


def test_the_committee_maintains_the_standards(client, reviewer):
    client.force_login(reviewer)

    response = client.post(reverse("admin:organizations_criterion_add"), {
        "code": "inclusion", "name": "Inclusion", "guidance": "Who can join.", "position": 7, "is_active": "on",
    })
    design = Criterion.objects.get(code="design")
    delete = client.get(reverse("admin:organizations_criterion_delete", args=[design.pk]))

    assert response.status_code == 302
    assert Criterion.objects.active().filter(code="inclusion").exists()
    assert delete.status_code == 403


def test_the_take_page_makes_the_reviewer_a_reviewer(client, org, owner, reviewer):
    application = factories.under_review(org, owner)
    client.force_login(reviewer)
    change = client.get(reverse("admin:organizations_programmeapplication_change", args=[application.pk]))

    page = client.get(reverse("admin:organizations_programmeapplication_decide", args=[application.pk, "take"]))
    client.post(reverse("admin:organizations_programmeapplication_decide", args=[application.pk, "take"]))

    assert reverse("admin:organizations_programmeapplication_decide", args=[application.pk, "take"]) in change.content.decode()
    assert page.status_code == 200
    assert application.reviews.get().reviewer == reviewer


def test_the_revoke_page_needs_a_reason_and_revokes(client, reviewer, accredited):
    client.force_login(reviewer)
    url = reverse("admin:organizations_programmeapplication_decide", args=[accredited.pk, "revoke"])

    refused = client.post(url, {"note": ""})
    revoked = client.post(url, {"note": "The programme closed."})

    assert refused.status_code == 200
    assert revoked.status_code == 302
    assert ProgrammeApplication.objects.get(pk=accredited.pk).status == ApplicationStatus.REVOKED


def test_the_committee_accepts_an_answer_from_the_condition_page(client, reviewer, owner, accredited):
    from organizations.services import condition_answer

    condition = condition_answer(condition=accredited.conditions.get(), actor=owner, response="Maria supervises.")
    client.force_login(reviewer)

    listed = client.get(reverse("admin:organizations_condition_changelist"))
    response = client.post(reverse("admin:organizations_condition_decide", args=[condition.pk, "accept"]),
                           {"note": ""})

    condition.refresh_from_db()
    assert reverse("admin:organizations_condition_decide", args=[condition.pk, "accept"]) in listed.content.decode()
    assert response.status_code == 302
    assert condition.status == ConditionStatus.MET
    assert ProgrammeApplication.objects.get(pk=accredited.pk).status == ApplicationStatus.ACCREDITED




def test_the_organization_list_names_each_country_in_the_readers_language(client, reviewer):
    factories.OrganizationFactory(legal_name="Kyoto Mentors", country="JP")
    client.force_login(reviewer)

    listed = client.get(reverse("admin:organizations_organization_changelist"), HTTP_ACCEPT_LANGUAGE="zh-hans")

    row = next(row for row in listed.context["cl"].result_list if row.legal_name == "Kyoto Mentors")
    assert row.country.code == "JP" and "<td class=\"field-country\">日本</td>" in listed.content.decode()


def test_the_organization_list_sorts_by_country(client, reviewer):
    for code in ("NL", "AR", "JP"):
        factories.OrganizationFactory(country=code)
    client.force_login(reviewer)
    changelist = reverse("admin:organizations_organization_changelist")
    column = [getattr(name, "__name__", name) for name in client.get(changelist).context["cl"].list_display].index(
        "country")

    listed = client.get(changelist, {"o": str(column)})

    assert [row.country.code for row in listed.context["cl"].result_list] == ["AR", "JP", "NL"]
