"""Every organization URL, walked with: its owner, its contact, another organization's staff, an applicant,
a committee reviewer and an anonymous visitor.

Outsiders get 404 (the organization's pages do not exist for them), staff who are not owners get 403
on what only owners do, anonymous visitors are sent to sign in. Reviewers work in the admin: of the
portal they may only download an application's documents.
"""

import datetime
from functools import cached_property

import pytest
from django.urls import reverse

from organizations.models import AnnualReport
from organizations.staff import CONTACT, organization_staff
from tests.factories import ApplicantFactory
from tests.organizations import factories
from tests.organizations.conftest import certificate_render

pytestmark = pytest.mark.django_db

PERSONAS = ["owner", "contact", "other_staff", "applicant", "reviewer", "anonymous"]


class World:
    """The objects the URLs name, built on first use so each case pays only for what it needs."""

    def __init__(self, reviewers, mentor_certificate):
        self.reviewers = reviewers
        self.mentor_certificate = mentor_certificate
        self.org, self.owner, self.contact = factories.organization_with_staff()
        other_org, self.other_staff, _ = factories.organization_with_staff()
        self.applicant = ApplicantFactory()
        self.reviewer = reviewers[0]

    def user(self, persona):
        return None if persona == "anonymous" else getattr(self, persona)

    @cached_property
    def draft(self):
        certificate = self.mentor_certificate(level_code="AM")
        return factories.draft(self.org, self.owner, mentors=[certificate])

    @cached_property
    def accredited(self):
        application = factories.accredited(self.org, self.owner, self.reviewers, name="Accredited Programme",
                                           conditions=[("Name a supervisor.", factories.soon(30))])
        start, end = application.valid_from, application.valid_from + datetime.timedelta(days=364)
        AnnualReport.objects.create(application=application, year=1, period_start=start, period_end=end,
                                    due_on=end + datetime.timedelta(days=30))
        certificate_render(application.certificate_number)
        return application

    @cached_property
    def extra_member(self):
        return factories.staff_add(self.org, role=CONTACT) and self.org.staff.order_by("-pk").first()

    @cached_property
    def invitation(self):
        return organization_staff.invite(organisation=self.org, email="new@example.org", role=CONTACT, actor=self.owner)


def _org(w):
    return w.org.pk


# (name, method, url builder, form data, {persona: status}); personas not named: outsiders 404, anonymous 302.
OK_FOR_STAFF = {"owner": 200, "contact": 200}
POST_FOR_STAFF = {"owner": 302, "contact": 302}
# A form posted without what it needs: its page again with the errors, for staff only.
REFUSED_FORM_FOR_STAFF = {"owner": 400, "contact": 400}
OWNER_ONLY_GET = {"owner": 200, "contact": 403}
OWNER_ONLY_POST = {"owner": 302, "contact": 403}
EVERYONE_SIGNED_IN = dict.fromkeys(["owner", "contact", "other_staff", "applicant", "reviewer"], 200)

CASES = [
    ("portal home", "get", lambda w: reverse("organizations:home"), None, EVERYONE_SIGNED_IN),
    ("register form", "get", lambda w: reverse("organizations:register"), None, EVERYONE_SIGNED_IN),
    ("organization page", "get", lambda w: reverse("organizations:detail", args=[_org(w)]), None, OK_FOR_STAFF),
    ("edit details form", "get", lambda w: reverse("organizations:edit", args=[_org(w)]), None, OWNER_ONLY_GET),
    ("edit details", "post", lambda w: reverse("organizations:edit", args=[_org(w)]),
     {"legal_name": "Renamed", "sector": "business", "country": "NL", "city": "Delft"}, OWNER_ONLY_POST),
    ("staff list", "get", lambda w: reverse("organizations:staff", args=[_org(w)]), None, OK_FOR_STAFF),
    ("invite staff", "post", lambda w: reverse("organizations:staff", args=[_org(w)]),
     {"email": "invitee@example.org", "role": "coordinator"}, OWNER_ONLY_POST),
    ("remove staff", "post", lambda w: reverse("organizations:staff_remove", args=[w.extra_member.pk]), {},
     OWNER_ONLY_POST),
    ("withdraw invitation", "post", lambda w: reverse("organizations:invitation_revoke", args=[w.invitation.pk]), {},
     OWNER_ONLY_POST),
    ("new programme form", "get", lambda w: reverse("organizations:programme_start", args=[_org(w)]), None,
     OK_FOR_STAFF),
    ("new programme", "post", lambda w: reverse("organizations:programme_start", args=[_org(w)]),
     {"name": "Another Programme"}, POST_FOR_STAFF),
    ("application page", "get", lambda w: reverse("organizations:application_detail", args=[w.draft.pk]), None,
     OK_FOR_STAFF),
    ("draft form", "get", lambda w: reverse("organizations:application_edit", args=[w.draft.pk]), None,
     OK_FOR_STAFF),
    ("save draft", "post", lambda w: reverse("organizations:application_edit", args=[w.draft.pk]),
     {"programme_name": "Renamed Programme", "purpose": "Changed."}, POST_FOR_STAFF),
    ("add mentor", "post", lambda w: reverse("organizations:mentor_add", args=[w.draft.pk]),
     {"email": "bo@example.org"}, POST_FOR_STAFF),
    ("remove mentor", "post", lambda w: reverse("organizations:mentor_remove", args=[w.draft.mentors.get().pk]), {},
     POST_FOR_STAFF),
    ("upload document", "post", lambda w: reverse("organizations:document_add", args=[w.draft.pk]),
     {"kind": "other"}, REFUSED_FORM_FOR_STAFF),
    ("download document", "get",
     lambda w: reverse("organizations:document_download", args=[w.draft.documents.get().pk]), None,
     {**OK_FOR_STAFF, "reviewer": 200}),
    ("remove document", "post",
     lambda w: reverse("organizations:document_remove", args=[w.draft.documents.get().pk]), {}, POST_FOR_STAFF),
    ("submit", "post", lambda w: reverse("organizations:application_submit", args=[w.draft.pk]), {},
     {"owner": 302, "contact": 403}),
    ("withdraw", "post", lambda w: reverse("organizations:application_withdraw", args=[w.draft.pk]), {},
     {"owner": 302, "contact": 403}),
    ("start renewal", "post", lambda w: reverse("organizations:renewal_start", args=[w.accredited.pk]), {},
     POST_FOR_STAFF),
    ("certificate", "get", lambda w: reverse("organizations:certificate", args=[w.accredited.pk]), None,
     OK_FOR_STAFF),
    ("logo kit page", "get", lambda w: reverse("organizations:logo_kit", args=[w.accredited.pk]), None,
     OK_FOR_STAFF),
    ("logo SVG", "get", lambda w: reverse("organizations:logo_svg", args=[w.accredited.pk]), None, OK_FOR_STAFF),
    ("logo PNG", "get", lambda w: reverse("organizations:logo_png", args=[w.accredited.pk]), None, OK_FOR_STAFF),
    ("logo kit ZIP", "get", lambda w: reverse("organizations:logo_zip", args=[w.accredited.pk]), None, OK_FOR_STAFF),
    ("condition form", "get",
     lambda w: reverse("organizations:condition_answer", args=[w.accredited.conditions.get().pk]), None,
     OK_FOR_STAFF),
    ("answer condition", "post",
     lambda w: reverse("organizations:condition_answer", args=[w.accredited.conditions.get().pk]),
     {"response": "Done."}, POST_FOR_STAFF),
    ("report form", "get", lambda w: reverse("organizations:report_file", args=[w.accredited.reports.get().pk]),
     None, OK_FOR_STAFF),
    ("file report", "post", lambda w: reverse("organizations:report_file", args=[w.accredited.reports.get().pk]),
     {"active_pairs": 3, "pairs_started": 4, "retention_percent": 75, "outcomes": "Good."}, POST_FOR_STAFF),
]


def _expected(statuses: dict, persona: str):
    if persona == "anonymous":
        return 302
    return statuses.get(persona, 404)


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(("name", "method", "url", "data", "statuses"), CASES, ids=[case[0] for case in CASES])
def test_organization_url_permissions(client, reviewers, mentor_certificate, persona, name, method, url, data,
                                      statuses):
    world = World(reviewers, mentor_certificate)
    target = url(world)
    user = world.user(persona)
    if user is not None:
        client.force_login(user)
    expected = _expected(statuses, persona)

    response = client.get(target) if method == "get" else client.post(target, data)

    assert response.status_code == expected, f"{name} as {persona}"
    if persona == "anonymous":
        assert response["Location"].startswith(reverse("account_login"))
