"""A QTSP applies, the committee approves, rejects or suspends it in the admin, with history."""

from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accreditation.models import Level
from notifications.models import OutboxMessage
from partners.models import QTSP, QTSPEvent, QTSPInvitation
from partners.services import cohort_save, enrolment_add, programme_save, qtsp_transition
from tests.documents.samples import upload
from tests.factories import ApplicantFactory
from tests.partners.factories import CohortFactory, ProgrammeFactory, QTSPFactory

pytestmark = pytest.mark.django_db

Status = QTSP.Status


def application_data(**overrides):
    data = {
        "name": "Lumen Mentoring Academy", "country": "SG", "city": "singapore", "contact_name": "Li Wei",
        "contact_email": "li.wei@lumen.example", "levels": [Level.objects.get(code="AM").pk,
                                                          Level.objects.get(code="SM").pk],
        "formats": ["online", "blended"], "documents": [upload("pdf"), upload("png")],
    }
    return {**data, **overrides}


def test_organization_applies_with_place_levels_formats_and_documents(client, private_media):
    applicant = ApplicantFactory()
    client.force_login(applicant)

    response = client.post(reverse("partners:apply"), application_data())

    assert response.status_code == 302
    qtsp = QTSP.objects.get()
    assert (qtsp.status, qtsp.city, qtsp.applied_by) == (Status.SUBMITTED, "Singapore", applicant)
    assert (float(qtsp.latitude), float(qtsp.longitude)) == pytest.approx((1.28967, 103.85007))
    assert sorted(qtsp.levels.values_list("code", flat=True)) == ["AM", "SM"]
    assert qtsp.documents.count() == 2
    assert all(private_media in Path(d.file.path).parents for d in qtsp.documents.all())
    assert QTSPEvent.objects.get(qtsp=qtsp).to_status == Status.SUBMITTED
    assert OutboxMessage.objects.filter(key=f"qtsp-submitted:{qtsp.pk}").exists()


def test_application_with_an_unknown_city_is_refused_and_nothing_stored(client, private_media):
    client.force_login(ApplicantFactory())

    response = client.post(reverse("partners:apply"), application_data(city="Atlantis"))

    assert response.status_code == 200
    assert "could not find this city" in response.content.decode()
    assert not QTSP.objects.exists()
    assert not private_media.exists() or not any(private_media.rglob("*.*"))


def test_application_with_a_disguised_document_is_refused(client):
    client.force_login(ApplicantFactory())
    fake = upload("pdf")
    fake.name = "certificate.png"

    response = client.post(reverse("partners:apply"), application_data(documents=[fake]))

    assert response.status_code == 200
    assert not QTSP.objects.exists()


ALLOWED = {
    (Status.SUBMITTED, Status.APPROVED), (Status.SUBMITTED, Status.REJECTED),
    (Status.APPROVED, Status.SUSPENDED), (Status.SUSPENDED, Status.APPROVED), (Status.APPROVED, Status.LAPSED),
}
# A lapsed QTSP comes back only through a re-approval the committee grants (tests/partners/test_terms.py).
REFUSED_WITH = {(Status.LAPSED, Status.APPROVED): "re-approval"}


@pytest.mark.parametrize("from_status", Status.values)
@pytest.mark.parametrize("to_status", Status.values)
def test_transition_table(from_status, to_status, reviewer):
    qtsp = QTSPFactory(status=from_status)

    if (from_status, to_status) in ALLOWED:
        qtsp_transition(qtsp=qtsp, to_status=to_status, actor=reviewer, note="reasons")
        qtsp.refresh_from_db()
        assert qtsp.status == to_status
        event = QTSPEvent.objects.get(qtsp=qtsp)
        assert (event.from_status, event.to_status, event.actor) == (from_status, to_status, reviewer)
    else:
        with pytest.raises(ValidationError, match=REFUSED_WITH.get((from_status, to_status), "cannot become")):
            qtsp_transition(qtsp=qtsp, to_status=to_status, actor=reviewer, note="reasons")
        assert not QTSPEvent.objects.filter(qtsp=qtsp).exists()


@pytest.mark.parametrize("to_status", [Status.REJECTED, Status.SUSPENDED])
def test_rejection_and_suspension_need_reasons(to_status, reviewer):
    qtsp = QTSPFactory(status=Status.SUBMITTED if to_status == Status.REJECTED else Status.APPROVED)

    with pytest.raises(ValidationError, match="reasons"):
        qtsp_transition(qtsp=qtsp, to_status=to_status, actor=reviewer, note="  ")


def test_approval_invites_the_contact_as_first_owner(reviewer):
    qtsp = QTSPFactory(status=Status.SUBMITTED, contact_email="Boss@Academy.example")

    qtsp_transition(qtsp=qtsp, to_status=Status.APPROVED, actor=reviewer)

    invitation = QTSPInvitation.objects.get(organisation=qtsp)
    assert (invitation.email, invitation.role) == ("boss@academy.example", "owner")
    assert OutboxMessage.objects.filter(to=["boss@academy.example"], key__startswith="staff-invitation:").exists()
    assert OutboxMessage.objects.filter(key__startswith=f"qtsp-status:{qtsp.pk}:").count() == 1


def test_reinstatement_sends_no_second_invitation(reviewer):
    qtsp = QTSPFactory(status=Status.SUBMITTED)
    qtsp_transition(qtsp=qtsp, to_status=Status.APPROVED, actor=reviewer)
    qtsp_transition(qtsp=qtsp, to_status=Status.SUSPENDED, actor=reviewer, note="Complaints under review")
    qtsp_transition(qtsp=qtsp, to_status=Status.APPROVED, actor=reviewer)

    assert QTSPInvitation.objects.filter(organisation=qtsp).count() == 1
    assert list(qtsp.events.values_list("to_status", flat=True)) == ["approved", "suspended", "approved"]


def test_suspended_qtsp_cannot_change_programmes_cohorts_or_rosters(reviewer, owner, qtsp):
    programme = ProgrammeFactory(qtsp=qtsp)
    cohort = CohortFactory(programme=programme)
    qtsp_transition(qtsp=qtsp, to_status=Status.SUSPENDED, actor=reviewer, note="Audit")

    with pytest.raises(ValidationError, match="suspended"):
        programme_save(qtsp=qtsp, actor=owner, title="New")
    with pytest.raises(ValidationError, match="suspended"):
        cohort_save(programme=programme, actor=owner, cohort=cohort, capacity=30)
    with pytest.raises(ValidationError, match="suspended"):
        enrolment_add(cohort=cohort, email="t@example.org", actor=owner)


def test_reviewer_decides_in_the_admin_with_history(client, reviewer):
    qtsp = QTSPFactory(status=Status.SUBMITTED)
    client.force_login(reviewer)

    page = client.get(reverse("admin:partners_qtsp_change", args=[qtsp.pk]))
    assert page.status_code == 200
    assert reverse("admin:partners_qtsp_decide", args=[qtsp.pk, "approved"]) in page.content.decode()

    refused = client.post(reverse("admin:partners_qtsp_decide", args=[qtsp.pk, "rejected"]), {"note": ""})
    assert refused.status_code == 200 and "reasons" in refused.content.decode()
    client.post(reverse("admin:partners_qtsp_decide", args=[qtsp.pk, "rejected"]), {"note": "No trainers listed"})

    qtsp.refresh_from_db()
    assert qtsp.status == Status.REJECTED
    assert qtsp.events.get().note == "No trainers listed"
    assert "No trainers listed" in client.get(reverse("admin:partners_qtsp_change", args=[qtsp.pk])).content.decode()


def test_reviewer_downloads_supporting_documents_others_cannot(client, reviewer, private_media):
    applicant = ApplicantFactory()
    client.force_login(applicant)
    client.post(reverse("partners:apply"), application_data())
    document = QTSP.objects.get().documents.first()
    url = reverse("partners:document_download", args=[document.pk])

    assert client.get(url).status_code == 200  # the person who applied
    client.force_login(reviewer)
    response = client.get(url)
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    client.force_login(ApplicantFactory())
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302


@pytest.mark.parametrize("rows", [3, 30])
def test_admin_list_queries_do_not_grow_with_rows(rows, client, reviewer, django_assert_max_num_queries):
    QTSPFactory.create_batch(rows)
    client.force_login(reviewer)
    client.get(reverse("admin:partners_qtsp_changelist"))

    with django_assert_max_num_queries(14):
        assert client.get(reverse("admin:partners_qtsp_changelist")).status_code == 200
