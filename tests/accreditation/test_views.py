"""The applicant's pages: the multi-step draft, the detail page, documents; and who may open them."""

import re
import uuid

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accreditation.models import (
    ApplicationDocument,
    ApplicationEvent,
    ApplicationStatus,
    DocumentKind,
    LevelApplication,
)
from accreditation.services import (
    application_reject,
    application_request_information,
    document_add,
)
from tests.accreditation.conftest import draft_for, fee_paid, make_eligible, submitted, trainee_of
from tests.documents.conftest import stored_files
from tests.documents.samples import executable_bytes, pdf_bytes, upload
from tests.factories import ApplicantFactory
from tests.partners.factories import owner_of

pytestmark = pytest.mark.django_db
S = ApplicationStatus


def step_url(application, step):
    return reverse("accreditation:application_step", args=[application.pk, step])


# ---- the journey through the steps ----

def test_applicant_goes_through_every_step_and_submits(client, applicant):
    make_eligible(applicant, "AM")
    client.force_login(applicant)

    response = client.post(reverse("accreditation:application_start"), {"level": "AM"})
    application = LevelApplication.objects.get(applicant=applicant)
    assert response.url == step_url(application, "documents")

    client.post(step_url(application, "documents"), {"kind": "hours_evidence", "file": upload("pdf", "log.pdf")})
    assert client.post(step_url(application, "documents"), {"continue": "1"}).url == step_url(application, "statements")
    response = client.post(step_url(application, "statements"), {"practice_statement": "Two mentees in fintech."})
    assert response.url == step_url(application, "ethics")
    assert client.post(step_url(application, "ethics")).url == step_url(application, "review")
    page = client.get(step_url(application, "review")).content.decode()
    assert "40 of 40 service hours logged" in page

    response = client.post(step_url(application, "review"), {"confirm": "on"})

    assert response.url == reverse("accreditation:application_detail", args=[application.pk])
    application.refresh_from_db()
    assert application.status == S.SUBMITTED  # waits for the accreditation fee
    fee_paid(application)
    assert application.status == S.UNDER_REVIEW
    assert sorted(application.documents.values_list("kind", flat=True)) == ["education", "hours_evidence"]
    detail = client.get(response.url).content.decode()
    assert "Under review" in detail and "log.pdf" in detail


def test_the_draft_is_kept_between_steps(client, applicant):
    client.force_login(applicant)
    application = draft_for(applicant, "PM")

    client.post(step_url(application, "statements"), {"practice_statement": "Saved text",
                                                      "equivalent_training_statement": ""})

    assert "Saved text" in client.get(step_url(application, "statements")).content.decode()


def test_each_step_shows_the_live_checklist(client, applicant):
    make_eligible(applicant, "PM", hours=62)
    client.force_login(applicant)
    application = draft_for(applicant, "PM")

    for step in ("level", "documents", "statements", "ethics", "review"):
        assert "62 of 100 service hours logged" in client.get(step_url(application, step)).content.decode()


def test_review_step_shows_why_submission_is_refused(client, applicant):
    make_eligible(applicant, "AM", hours=10)
    client.force_login(applicant)
    application = draft_for(applicant)

    response = client.post(step_url(application, "review"), {"confirm": "on"})

    assert response.status_code == 400
    assert "10 of 40 service hours logged" in response.content.decode()
    application.refresh_from_db()
    assert application.status == S.DRAFT


def test_ethics_step_adopts_the_code(client, applicant, ethics_code):
    client.force_login(applicant)
    application = draft_for(applicant)

    client.post(step_url(application, "ethics"), {"version": ethics_code.version, "agree": "on"})

    assert applicant.ethics_adoptions.filter(code=ethics_code).exists()


def test_mm_statements_step_requires_the_contribution(client, applicant):
    client.force_login(applicant)
    application = draft_for(applicant, "MM")

    response = client.post(step_url(application, "statements"), {"practice_statement": "x"})

    assert response.status_code == 400
    assert "contribution_statement" in response.context["form"].errors


def test_start_refuses_a_second_open_application_for_the_level(client, applicant):
    draft_for(applicant, "AM")
    client.force_login(applicant)

    response = client.post(reverse("accreditation:application_start"), {"level": "AM"})

    assert "already have an open application" in response.content.decode()
    assert LevelApplication.objects.filter(applicant=applicant).count() == 1


def test_submitted_application_is_no_longer_editable(client, applicant):
    application = submitted(applicant)
    client.force_login(applicant)

    response = client.get(step_url(application, "statements"))

    assert response.url == reverse("accreditation:application_detail", args=[application.pk])


def test_applicant_answers_an_information_request_with_a_document(client, applicant, reviewer):
    application = submitted(applicant)
    application_request_information(application=application, actor=reviewer, message="Which QTSP trained you?")
    client.force_login(applicant)
    detail = client.get(reverse("accreditation:application_detail", args=[application.pk])).content.decode()
    assert "Which QTSP trained you?" in detail

    client.post(reverse("accreditation:application_respond", args=[application.pk]),
                {"answer": "Mentor Academy Lagos", "file": upload("png", "certificate.png")})

    application.refresh_from_db()
    assert application.status == S.UNDER_REVIEW
    assert application.documents.filter(kind="information", original_name="certificate.png").exists()


def test_rejection_reasons_and_appeal_shown_to_the_applicant(client, applicant, reviewer_factory):
    application = submitted(applicant)
    application_reject(application=application, actor=reviewer_factory(), reason="No evidence of hours.")
    client.force_login(applicant)

    page = client.get(reverse("accreditation:application_detail", args=[application.pk])).content.decode()
    assert "No evidence of hours." in page
    response = client.post(reverse("accreditation:application_appeal", args=[application.pk]),
                           {"statement": "The logbook was attached."})

    assert response.status_code == 302
    assert application.appeal.statement == "The logbook was attached."


def test_withdraw_page(client, applicant):
    application = draft_for(applicant)
    client.force_login(applicant)

    client.post(reverse("accreditation:application_withdraw", args=[application.pk]), {"reason": "Later"})

    application.refresh_from_db()
    assert application.status == S.WITHDRAWN


def test_history_hides_committee_internal_events(client, applicant, reviewer):
    application = submitted(applicant)
    client.force_login(applicant)

    history = client.get(reverse("accreditation:application_detail", args=[application.pk])).context["history"]

    assert "reviewer_assigned" not in [event.action for event in history]
    assert "submitted" in [event.action for event in history]


# ---- uploads: refused with a clear message, nothing stored ----

def test_oversized_upload_refused_and_nothing_stored(client, applicant, settings, private_media):
    settings.DOCUMENT_MAX_BYTES = 50 * 1024
    application = draft_for(applicant)
    client.force_login(applicant)

    response = client.post(step_url(application, "documents"), {
        "kind": "hours_evidence", "file": SimpleUploadedFile("log.pdf", pdf_bytes() + b"\0" * 60_000)})

    assert response.status_code == 400
    assert "files may be at most 50.0\u00a0KB" in response.content.decode()
    assert not ApplicationDocument.objects.exists()
    assert stored_files(private_media) == []


def test_executable_renamed_pdf_refused_and_nothing_stored(client, applicant, private_media):
    application = draft_for(applicant)
    client.force_login(applicant)

    response = client.post(step_url(application, "documents"), {
        "kind": "hours_evidence", "file": SimpleUploadedFile("log.pdf", executable_bytes())})

    assert response.status_code == 400
    assert "This file is not a PDF, JPEG, PNG or Word (DOCX) document." in response.content.decode()
    assert not ApplicationDocument.objects.exists()
    assert stored_files(private_media) == []


def test_traversal_name_refused_by_the_service_and_nothing_stored(applicant, private_media):
    from django.core.exceptions import ValidationError

    application = draft_for(applicant)

    with pytest.raises(ValidationError, match="This file name is not allowed"):
        document_add(application=application, actor=applicant, kind="other",
                     file=ContentFile(pdf_bytes(), name="../../evil.pdf"))

    assert not ApplicationDocument.objects.exists()
    assert stored_files(private_media) == []


def test_traversal_name_over_http_is_stripped_and_stored_under_our_name(client, applicant, private_media, tmp_path):
    application = draft_for(applicant)
    client.force_login(applicant)
    boundary = uuid.uuid4().hex
    body = (
        f"--{boundary}\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\nother\r\n"
        f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"../../evil.pdf\"\r\n"
        "Content-Type: application/pdf\r\n\r\n"
    ).encode() + pdf_bytes() + f"\r\n--{boundary}--\r\n".encode()

    client.generic("POST", step_url(application, "documents"), body,
                   content_type=f"multipart/form-data; boundary={boundary}")

    document = ApplicationDocument.objects.get()
    assert document.original_name == "evil.pdf"
    assert re.fullmatch(r"applications/\d{4}/[0-9a-f]{32}\.pdf", document.file.name)
    assert list(tmp_path.rglob("evil.pdf")) == []


def test_document_removed_from_the_draft_with_its_file(client, applicant, private_media,
                                                       django_capture_on_commit_callbacks):
    application = draft_for(applicant)
    document = document_add(application=application, actor=applicant, kind="other", file=upload("pdf"))
    client.force_login(applicant)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accreditation:document_delete", args=[application.pk, document.pk]))

    assert not ApplicationDocument.objects.exists()
    assert stored_files(private_media) == []


def test_documents_of_a_submitted_application_cannot_be_removed(client, applicant):
    application = draft_for(applicant)
    document = document_add(application=application, actor=applicant, kind="other", file=upload("pdf"))
    make_eligible(applicant, "AM")
    from accreditation.services import application_submit

    application_submit(application=application, actor=applicant)
    client.force_login(applicant)

    response = client.post(reverse("accreditation:document_delete", args=[application.pk, document.pk]), follow=True)

    assert "stay with it" in response.content.decode()
    assert ApplicationDocument.objects.filter(pk=document.pk).exists()


# ---- who may open what ----

@pytest.fixture
def case(applicant, reviewer_factory):
    """A submitted application with an uploaded document, and one person of each role."""
    from tests.factories import ApplicantFactory, QTSPStaffFactory

    reviewer = reviewer_factory()
    make_eligible(applicant, "AM")
    application = draft_for(applicant)
    document = document_add(application=application, actor=applicant, kind="hours_evidence",
                            file=upload("pdf", "log.pdf"))
    from accreditation.services import application_submit

    application_submit(application=application, actor=applicant)
    fee_paid(application)
    conflicted = reviewer_factory()
    owner_of(trainee_of(applicant), conflicted)  # the reviewer works for the applicant's QTSP
    return {
        "application": application, "document": document, "owner": applicant, "reviewer": reviewer,
        "other": ApplicantFactory(), "qtsp": QTSPStaffFactory(), "conflicted": conflicted,
    }


APPLICANT_PAGES = {
    "detail": lambda c: reverse("accreditation:application_detail", args=[c["application"].pk]),
    "withdraw": lambda c: reverse("accreditation:application_withdraw", args=[c["application"].pk]),
    "appeal": lambda c: reverse("accreditation:application_appeal", args=[c["application"].pk]),
    **{f"step-{step}": (lambda c, step=step: step_url(c["application"], step))
       for step in ("level", "documents", "statements", "ethics", "review")},
}


@pytest.mark.parametrize("page", APPLICANT_PAGES.values(), ids=APPLICANT_PAGES.keys())
@pytest.mark.parametrize(("who", "status"), [("owner", {200, 302}), ("other", {404}), ("reviewer", {404}),
                                              ("qtsp", {404}), (None, {302})])
def test_applicant_pages_are_for_the_owner_only(client, case, page, who, status):
    if who:
        client.force_login(case[who])

    response = client.get(page(case))

    assert response.status_code in status
    if who is None:
        assert reverse("account_login") in response.url
    if who == "owner" and response.status_code == 302:
        assert response.url == reverse("accreditation:application_detail", args=[case["application"].pk])


@pytest.mark.parametrize(("who", "status"), [("owner", 200), ("reviewer", 200), ("other", 404), ("qtsp", 404),
                                              ("conflicted", 404), (None, 302)])
def test_documents_for_the_owner_and_unconflicted_reviewers_only(client, case, who, status):
    if who:
        client.force_login(case[who])
    url = reverse("accreditation:document_download", args=[case["application"].pk, case["document"].pk])

    response = client.get(url)

    assert response.status_code == status
    if status == 200:
        assert response["Content-Disposition"] == 'attachment; filename="log.pdf"'
        assert response["X-Content-Type-Options"] == "nosniff"
        assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_document_url_must_match_its_application(client, case, applicant_factory):
    other_application = draft_for(applicant_factory())
    client.force_login(case["reviewer"])

    response = client.get(reverse("accreditation:document_download",
                                  args=[other_application.pk, case["document"].pk]))

    assert response.status_code == 404


@pytest.mark.parametrize("who", ["other", "reviewer", "qtsp", None])
def test_nobody_else_answers_withdraws_or_removes_documents(client, case, who):
    application, document = case["application"], case["document"]
    expected = 404
    if who:
        client.force_login(case[who])
    else:
        expected = 302  # to the sign-in page

    assert client.post(reverse("accreditation:application_respond", args=[application.pk]),
                       {"answer": "x"}).status_code == expected
    assert client.post(reverse("accreditation:application_withdraw", args=[application.pk])).status_code == expected
    assert client.post(reverse("accreditation:document_delete", args=[application.pk, document.pk])).status_code == expected
    assert client.post(reverse("accreditation:application_appeal", args=[application.pk]),
                       {"statement": "x"}).status_code == expected
    application.refresh_from_db()
    assert application.status == S.UNDER_REVIEW


def test_application_list_shows_only_ones_own(client, case):
    client.force_login(case["other"])

    assert case["application"].number not in client.get(reverse("accreditation:application_list")).content.decode()
    client.force_login(case["owner"])
    assert case["application"].number in client.get(reverse("accreditation:application_list")).content.decode()


# ---- public levels page and the dashboard ----

def test_levels_page_has_one_row_per_level_from_the_data(client):
    from accreditation.models import Level

    Level.objects.filter(code="AM").update(service_hours=45)

    page = client.get(reverse("accreditation:level_list")).content.decode()

    assert page.count('<tr id="level-') == Level.objects.count() == 4
    am = re.search(r'<tr id="level-AM">(.*?)</tr>', page, re.S).group(1)
    assert "45" in am and "32 h online training" in am
    mm = re.search(r'<tr id="level-MM">(.*?)</tr>', page, re.S).group(1)
    assert "Senior Mentor or equivalent training" in mm and "significant contribution" in mm


def test_levels_page_is_linked_from_the_public_navigation(client):
    assert f'href="{reverse("accreditation:level_list")}"' in client.get("/").content.decode()


def test_dashboard_shows_where_the_applicant_stands_per_level(client, applicant, django_assert_max_num_queries):
    make_eligible(applicant, "AM", hours=62)
    draft_for(applicant, "PM")
    client.force_login(applicant)

    response = client.get(reverse("applicants:dashboard"))

    page = response.content.decode()
    for code in ("AM", "PM", "SM", "MM"):
        assert f'id="standing-{code}"' in page
    assert "62 service hours logged (40 required)" in page and "62 of 100 service hours logged" in page
    assert "Open the application" in page


def test_dashboard_queries_do_not_grow_with_applications_or_hours(client, applicant, django_assert_max_num_queries):
    from tests.applicants.factories import HoursEntryFactory

    make_eligible(applicant, "AM")
    client.force_login(applicant)
    client.get(reverse("applicants:dashboard"))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as before:
        client.get(reverse("applicants:dashboard"))
    HoursEntryFactory.create_batch(30, user=applicant)
    for code in ("PM", "SM", "MM"):
        draft_for(applicant, code)
    with CaptureQueriesContext(connection) as after:
        client.get(reverse("applicants:dashboard"))

    assert len(after) == len(before)



def test_dashboard_counts_held_levels_and_equivalent_training_claims(client, applicant, reviewer):
    from accreditation.services import application_accept_for_exam, application_exam_passed

    pm = submitted(applicant, "PM")
    application_accept_for_exam(application=pm, actor=reviewer)
    application_exam_passed(candidate=applicant, level_code="PM")
    mm = draft_for(applicant, "MM", equivalent_training_statement="ICF master programme")
    document_add(application=mm, actor=applicant, kind="equivalent_training", file=upload("pdf"))
    client.force_login(applicant)

    page = client.get(reverse("applicants:dashboard")).content.decode()

    assert "You hold Professional Mentor" in page  # SM's prerequisite
    assert "Equivalent training to Senior Mentor claimed with evidence; the committee judges it" in page


def test_review_step_without_training_disables_submit_and_links_to_training_partners(client, applicant):
    make_eligible(applicant, "AM", training=False)
    client.force_login(applicant)
    application = draft_for(applicant)

    page = client.get(step_url(application, "review")).content.decode()

    assert re.search(r'<button class="btn btn-primary" type="submit" disabled aria-describedby="submit-blockers">', page)
    assert 'id="submit-blockers"' in page
    assert f'<a href="{reverse("partners:training")}?level=AM" id="find-training">' in page  # the finder, for AM


def test_review_step_says_what_is_missing_once_after_a_refused_submission(client, applicant):
    make_eligible(applicant, "AM", hours=10)
    client.force_login(applicant)
    application = draft_for(applicant)

    page = client.post(step_url(application, "review"), {"confirm": "on"}).content.decode()

    assert 'id="submit-blockers"' not in page  # the form's error says it; no second box repeating it
    assert page.count("alert-danger") == 1


def test_review_step_with_every_requirement_met_keeps_submit_enabled(client, applicant):
    make_eligible(applicant, "AM")
    client.force_login(applicant)
    application = draft_for(applicant)

    page = client.get(step_url(application, "review")).content.decode()

    assert "disabled" not in page.split("Submit the application")[0].rsplit("<button", 1)[-1]
    assert 'id="submit-blockers"' not in page


def application_detail_queries(client, rows: int):
    applicant = ApplicantFactory()
    application = draft_for(applicant, "MM", equivalent_training_statement="ICF master programme")
    ApplicationDocument.objects.bulk_create(
        ApplicationDocument(application=application, kind="equivalent_training", file=f"applications/proof-{index}.pdf",
                            original_name=f"proof {index}.pdf", content_kind="pdf", size=1000, uploaded_by=applicant)
        for index in range(rows)
    )
    ApplicationEvent.objects.bulk_create(
        ApplicationEvent(application=application, actor=applicant, action="created", to_status="draft")
        for _ in range(rows)
    )
    client.force_login(applicant)
    client.get(reverse("accreditation:application_detail", args=[application.pk]))  # reference data in memory
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("accreditation:application_detail", args=[application.pk]))
    assert response.status_code == 200
    return len(queries), response


def test_application_page_runs_the_same_queries_for_5_and_200_documents_and_events(client):
    few, _ = application_detail_queries(client, 5)
    many, response = application_detail_queries(client, 200)

    assert few == many <= 13
    assert response.content.decode().count("proof 199.pdf") == 1


def test_application_page_checklist_counts_the_listed_equivalent_training_evidence(client, applicant):
    application = draft_for(applicant, "MM", equivalent_training_statement="ICF master programme")
    client.force_login(applicant)

    def evidence_met() -> bool:
        response = client.get(reverse("accreditation:application_detail", args=[application.pk]))
        return response.context["application"].equivalent_training_evidence

    assert evidence_met() is False
    document_add(application=application, actor=applicant, kind="equivalent_training", file=upload("pdf"))
    assert evidence_met() is True


def test_my_applications_run_the_same_queries_for_one_and_four_levels(client):
    def list_queries(codes):
        applicant = ApplicantFactory()
        for code in codes:
            draft_for(applicant, code)
        client.force_login(applicant)
        client.get(reverse("accreditation:application_list"))
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("accreditation:application_list"))
        assert response.status_code == 200 and len(response.context["applications"]) == len(codes)
        return len(queries)

    assert list_queries(["AM"]) == list_queries(["AM", "PM", "SM", "MM"])


# ---- the applicant's list and one application: queries that do not grow with rows ----


def _queries_of(client, url) -> tuple[int, str]:
    client.get(url)  # the header's menus and the reference data are then kept in memory
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content.decode()


def application_with(rows: int) -> LevelApplication:
    applicant = ApplicantFactory()
    application = submitted(applicant)
    ApplicationEvent.objects.bulk_create(
        ApplicationEvent(application=application, action="submitted", from_status="draft", to_status="submitted",
                         actor=applicant, note=f"Note {index}") for index in range(rows))
    ApplicationDocument.objects.bulk_create(
        ApplicationDocument(application=application, kind=DocumentKind.HOURS_EVIDENCE,
                            file=f"applications/{index}.pdf", original_name=f"evidence-{index}.pdf",
                            content_kind="pdf", size=1, uploaded_by=applicant) for index in range(rows))
    LevelApplication.objects.bulk_create(
        LevelApplication(applicant=applicant, level=application.level, status=ApplicationStatus.WITHDRAWN,
                         number=f"T-{applicant.pk}-{index}") for index in range(rows))
    return application


def test_application_pages_queries_do_not_grow_with_events_documents_or_applications(client):
    counts = {}
    for rows in (5, 200):
        application = application_with(rows)
        client.force_login(application.applicant)
        detail, detail_page = _queries_of(client, reverse("accreditation:application_detail", args=[application.pk]))
        listed, list_page = _queries_of(client, reverse("accreditation:application_list"))
        assert detail_page.count("evidence-") == rows and list_page.count("T-") == rows
        counts[rows] = (detail, listed)

    assert counts[5] == counts[200]
