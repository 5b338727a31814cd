"""The committee's admin: list, filters, search, detail, decisions, bulk actions, permissions."""

import datetime

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accreditation.models import ApplicationStatus, Level, LevelApplication
from accreditation.services import (
    appeal_file,
    application_accept_for_exam,
    application_reject,
    document_add,
)
from applicants.roles import COMMITTEE_REVIEWER
from tests.accreditation.conftest import draft_for, fee_paid, submitted
from tests.applicants.factories import ProfileFactory
from tests.conftest import TOTP_SECRET
from tests.documents.samples import upload
from tests.factories import ApplicantFactory

pytestmark = pytest.mark.django_db
S = ApplicationStatus
CHANGELIST = "admin:accreditation_levelapplication_changelist"


def admin_reviewer(factory):
    user = factory()
    TOTP.activate(user, TOTP_SECRET)
    return user


def change_url(application):
    return reverse("admin:accreditation_levelapplication_change", args=[application.pk])


def decide_url(application, action):
    return reverse("admin:accreditation_levelapplication_decide", args=[application.pk, action])


def rows(count: int, *, reviewer=None):
    """Submitted-looking applications made directly (fast), each with a profile and a snapshot."""
    level = Level.objects.get(code="AM")
    snapshot = {"requirements": [
        {"key": "service_hours", "label": "Mentoring service hours", "outcome": "met", "reason": "40 of 40"},
        {"key": "training", "label": "Training", "outcome": "pending", "reason": "not available yet"},
        {"key": "exam", "label": "Exam", "outcome": "not_met", "reason": "Not passed yet"}]}
    made = []
    for index in range(count):
        profile = ProfileFactory(country=["FR", "NG", "JP"][index % 3])
        made.append(LevelApplication.objects.create(
            applicant=profile.user, level=level, number=f"A2099-{index:02d}{profile.user.pk:06d}", status=S.UNDER_REVIEW,
            submitted_at=timezone.now() - datetime.timedelta(days=index), snapshot=snapshot, reviewer=reviewer,
        ))
    return made


# ---- permissions ----

def test_reviewer_group_has_exactly_the_review_permissions():
    codes = set(Group.objects.get(name=COMMITTEE_REVIEWER).permissions.filter(
        content_type__app_label="accreditation").values_list("codename", flat=True))

    assert codes == {"view_level", "view_levelapplication", "review_levelapplication", "view_appeal"}


def test_reviewers_are_not_superusers_and_cannot_add_change_or_delete(client, reviewer):
    application = submitted()
    client.force_login(reviewer)

    assert not reviewer.is_superuser
    assert client.get(reverse("admin:accreditation_levelapplication_add")).status_code == 403
    assert client.get(reverse("admin:accreditation_levelapplication_delete", args=[application.pk])).status_code == 403
    assert client.get(reverse("admin:accreditation_level_add")).status_code == 403
    change = client.get(reverse("admin:accreditation_level_change", args=[Level.objects.get(code="AM").pk]))
    assert 'name="service_hours"' not in change.content.decode()


@pytest.mark.parametrize("who", ["applicant", "qtsp_staff", None])
def test_admin_pages_refused_to_everyone_but_the_committee(client, request, who):
    application = submitted()
    if who:
        client.force_login(request.getfixturevalue(who))

    for url in (reverse(CHANGELIST), change_url(application), decide_url(application, "reject"),
                reverse("admin:accreditation_appeal_changelist")):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.url


def test_a_reviewer_does_not_see_their_own_application(client, reviewer_factory):
    reviewer = admin_reviewer(reviewer_factory)
    own = submitted(reviewer)
    client.force_login(reviewer)

    assert own.number not in client.get(reverse(CHANGELIST)).content.decode()
    assert client.get(change_url(own)).status_code == 302
    assert client.post(decide_url(own, "approve"), {"note": "self"}).status_code == 404


# ---- the list ----

def test_list_runs_the_same_queries_for_5_and_for_50_rows(client, reviewer):
    client.force_login(reviewer)

    def list_queries(expected_rows: int) -> int:
        client.get(reverse(CHANGELIST))
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse(CHANGELIST))
        assert response.content.decode().count('class="action-select"') == expected_rows
        return len(queries)

    rows(5, reviewer=reviewer)
    with_5 = list_queries(5)
    rows(45, reviewer=reviewer)
    with_50 = list_queries(50)

    print(f"changelist queries: 5 rows {with_5}, 50 rows {with_50}")
    assert with_5 == with_50
    assert with_50 <= 16  # session, user, permissions, MFA, counts, the page, the filters' choices


def test_list_columns_show_the_eligibility_summary_country_and_audit(client, reviewer):
    application = rows(1, reviewer=reviewer)[0]
    LevelApplication.objects.filter(pk=application.pk).update(audit_selected=True)
    client.force_login(reviewer)

    page = client.get(reverse(CHANGELIST)).content.decode()

    assert "1 met · 1 not met · 1 pending" in page
    assert "France" in page
    assert application.number in page
    assert 'alt="True"' in page


@pytest.mark.parametrize(("query", "expected"), [
    ("level__id__exact={am}", 3), ("status__exact=under_review", 3), ("status__exact=approved", 0),
    ("country=NG", 1), ("reviewer={reviewer}", 3), ("reviewer=none", 0), ("audit_selected__exact=1", 0),
    ("submitted_at__gte={yesterday}", 2),
])
def test_list_filters(client, reviewer, query, expected):
    rows(3, reviewer=reviewer)
    client.force_login(reviewer)
    query = query.format(am=Level.objects.get(code="AM").pk, reviewer=reviewer.pk,
                         yesterday=(timezone.now() - datetime.timedelta(days=1, hours=1)).isoformat())

    response = client.get(reverse(CHANGELIST) + "?" + query.replace("+", "%2B"))

    assert response.status_code == 200
    assert response.context["cl"].result_count == expected


@pytest.mark.parametrize("field", ["number", "email", "name"])
def test_search_by_number_email_and_name(client, reviewer, field):
    target, _other = rows(2)
    target.applicant.full_name = "Zanele Dlamini"
    target.applicant.save()
    client.force_login(reviewer)
    term = {"number": target.number, "email": target.applicant.email, "name": "Dlamini"}[field]

    response = client.get(reverse(CHANGELIST), {"q": term})

    assert [a.pk for a in response.context["cl"].result_list] == [target.pk]


def test_search_never_finds_the_reviewers_own_application(client, reviewer):
    target, other = rows(2)
    other.applicant = reviewer
    other.save(update_fields=["applicant"])
    reviewer.full_name = target.applicant.full_name = "Zanele Dlamini"
    reviewer.save(update_fields=["full_name"])
    target.applicant.save(update_fields=["full_name"])
    client.force_login(reviewer)

    for term in ("Dlamini", "zan", reviewer.email, other.number):
        response = client.get(reverse(CHANGELIST), {"q": term})
        assert other.pk not in [a.pk for a in response.context["cl"].result_list], term
    assert [a.pk for a in client.get(reverse(CHANGELIST), {"q": "Dlamini"}).context["cl"].result_list] == [target.pk]


# ---- the detail page ----

def test_detail_shows_the_snapshot_in_words_and_dates_people_read(client, reviewer, applicant):
    from accreditation.services import application_submit
    from tests.accreditation.conftest import make_eligible

    make_eligible(applicant, "AM")
    application = draft_for(applicant)
    application_submit(application=application, actor=applicant)
    application.refresh_from_db()
    client.force_login(reviewer)

    page = client.get(change_url(application)).content.decode()

    entry = application.snapshot["hours_entries"][0]
    assert entry["format"] == "online"
    assert "<td>Online</td>" in page and "<td>online</td>" not in page
    assert application.snapshot["taken_at"] not in page  # not the ISO timestamp
    taken = timezone.localtime(datetime.datetime.fromisoformat(application.snapshot["taken_at"]))
    assert f"Frozen at {taken:%-d %b %Y, %H:%M}." in page
    assert entry["started_on"] not in page


def test_detail_shows_snapshot_documents_history_read_only_and_decisions(client, reviewer, applicant):
    from tests.accreditation.conftest import make_eligible

    make_eligible(applicant, "AM")
    application = draft_for(applicant)
    document_add(application=application, actor=applicant, kind="hours_evidence", file=upload("pdf", "log.pdf"))
    from accreditation.services import application_submit

    application_submit(application=application, actor=applicant)
    fee_paid(application)
    client.force_login(reviewer)

    page = client.get(change_url(application)).content.decode()

    assert "Frozen at" in page and "40 of 40 service hours logged" in page
    assert reverse("accreditation:document_download", args=[application.pk, application.documents.get(
        kind="hours_evidence").pk]) in page
    assert "diploma.pdf" in page
    assert "History (read-only)" in page and "Review started" in page
    assert '<input type="text" name="events' not in page and 'name="events-0-note"' not in page
    for action in ("request_information", "accept_for_exam", "approve", "reject", "assign"):
        assert decide_url(application, action) in page
    assert "_save" not in page  # no save button: nothing is edited here


def test_request_information_from_the_detail_page(client, reviewer):
    application = submitted()
    client.force_login(reviewer)

    response = client.post(decide_url(application, "request_information"), {"note": "Send the mentee log."})

    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == S.INFORMATION_REQUESTED
    assert application.events.last().note == "Send the mentee log."


def test_reject_without_reasons_shows_the_error(client, reviewer):
    application = submitted()
    client.force_login(reviewer)

    response = client.post(decide_url(application, "reject"), {"note": ""})

    assert response.status_code == 200
    assert "Give the reasons for this decision." in response.content.decode()
    application.refresh_from_db()
    assert application.status == S.UNDER_REVIEW


def test_refused_decision_shows_the_reason(client, reviewer):
    application = submitted()
    client.force_login(reviewer)

    response = client.post(decide_url(application, "approve"), {"note": ""})

    assert "cannot be approved yet: Exam: Exam" in response.content.decode()


def test_assign_from_the_detail_page_lists_only_unconflicted_reviewers(client, reviewer, reviewer_factory):
    applying = reviewer_factory()
    other = reviewer_factory()
    application = submitted(applying)
    client.force_login(reviewer)

    form = client.get(decide_url(application, "assign")).context["form"]
    assert applying not in form.fields["reviewer"].queryset
    client.post(decide_url(application, "assign"), {"reviewer": other.pk})

    application.refresh_from_db()
    assert application.reviewer == other


# ---- bulk actions ----

def test_bulk_accept_refuses_invalid_transitions_with_a_clear_message(client, reviewer, applicant_factory):
    ready = submitted(applicant_factory())
    already = submitted(applicant_factory())
    application_accept_for_exam(application=already, actor=reviewer)
    draft = draft_for(applicant_factory())
    client.force_login(reviewer)

    response = client.post(reverse(CHANGELIST), {
        "action": "bulk_accept_for_exam", "_selected_action": [ready.pk, already.pk, draft.pk], "note": ""},
        follow=True)

    page = response.content.decode()
    assert f"Accept for exam: 1 done ({ready})." in page
    assert f"Refused: {already}: Accept for exam does not apply." in page
    assert f"Refused: {draft}: Accept for exam does not apply." in page
    statuses = dict(LevelApplication.objects.values_list("pk", "status"))
    assert (statuses[ready.pk], statuses[already.pk], statuses[draft.pk]) == (
        S.ACCEPTED_FOR_EXAM, S.ACCEPTED_FOR_EXAM, S.DRAFT)


def test_bulk_reject_uses_the_reasons_and_refuses_without_them(client, reviewer, applicant_factory):
    first, second = submitted(applicant_factory()), submitted(applicant_factory())
    client.force_login(reviewer)
    changelist = reverse(CHANGELIST)

    page = client.post(changelist, {"action": "bulk_reject", "_selected_action": [first.pk], "note": ""},
                       follow=True).content.decode()
    assert "Give the reasons for the rejection" in page
    client.post(changelist, {"action": "bulk_reject", "_selected_action": [first.pk, second.pk],
                             "note": "Hours not evidenced."})

    assert set(LevelApplication.objects.values_list("status", "rejection_reason")) == {
        (S.REJECTED, "Hours not evidenced.")}


def test_bulk_request_and_assign(client, reviewer, reviewer_factory, applicant_factory):
    application = submitted(applicant_factory())
    other = reviewer_factory()
    client.force_login(reviewer)
    changelist = reverse(CHANGELIST)

    client.post(changelist, {"action": "bulk_assign", "_selected_action": [application.pk], "reviewer": other.pk})
    client.post(changelist, {"action": "bulk_request_information", "_selected_action": [application.pk],
                             "note": "Which QTSP?"})

    application.refresh_from_db()
    assert (application.reviewer, application.status) == (other, S.INFORMATION_REQUESTED)


# ---- appeals ----

def test_appeal_decided_in_the_admin_by_another_reviewer(client, reviewer_factory, applicant_factory):
    rejecter = admin_reviewer(reviewer_factory)
    deciding = admin_reviewer(reviewer_factory)
    applicant = applicant_factory()
    application = submitted(applicant)
    application_reject(application=application, actor=rejecter, reason="No evidence.")
    appeal = appeal_file(application=application, actor=applicant, statement="It was attached.")
    decide = reverse("admin:accreditation_appeal_decide", args=[appeal.pk, "grant"])

    client.force_login(rejecter)
    assert decide not in client.get(reverse("admin:accreditation_appeal_change", args=[appeal.pk])).content.decode()
    response = client.post(decide, {"note": "Mine"})
    assert "other than the one who rejected" in response.content.decode()

    client.force_login(deciding)
    assert decide in client.get(reverse("admin:accreditation_appeal_change", args=[appeal.pk])).content.decode()
    client.post(decide, {"note": "The evidence is there."})

    application.refresh_from_db()
    assert (application.status, application.reviewer) == (S.UNDER_REVIEW, deciding)


def test_applicant_cannot_reach_the_appeal_admin(client):
    client.force_login(ApplicantFactory())

    assert client.get(reverse("admin:accreditation_appeal_changelist")).status_code == 302



def test_the_decide_page_names_each_requirements_outcome_in_words(client, reviewer, applicant):
    from accreditation.services import application_submit
    from tests.accreditation.conftest import make_eligible

    make_eligible(applicant, "AM")
    application = draft_for(applicant)
    application_submit(application=application, actor=applicant)
    fee_paid(application)
    client.force_login(reviewer)

    page = client.get(decide_url(application, "accept_for_exam")).content.decode()

    assert "Requirements today" in page
    assert "<td>Met</td>" in page
    assert "<td>met</td>" not in page and "<td>not_met</td>" not in page
