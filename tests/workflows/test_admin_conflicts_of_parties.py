"""The committee's admin as a reviewer who is also a party to the case: each decision page refuses them
through the one conflict-of-interest policy, with a message, never a server error."""

import pytest
from django.urls import reverse

from certificates.models import CertificateStatus
from fasttrack.models import FastTrackApplication, Referral
from fasttrack.services import application_submit
from tests.certificates.factories import programme_certificate
from tests.fasttrack.factories import ALL_GROUPS_MET, AcceptedApplicationFactory, ApplicationFactory
from tests.fasttrack.test_review import change_form_data
from tests.organizations.factories import OrganizationFactory, staff_add
from tests.partners.factories import FasttrackProgrammeFactory, QTSPFactory, coordinator_of

pytestmark = pytest.mark.django_db


def test_fasttrack_screening_by_the_applicant_is_read_only_not_a_server_error(client, reviewer):
    application = ApplicationFactory(applicant=reviewer, claims=ALL_GROUPS_MET)
    application_submit(application=application, actor=reviewer)
    client.force_login(reviewer)
    change_url = reverse("admin:fasttrack_fasttrackapplication_change", args=[application.pk])

    response = client.post(change_url, change_form_data(
        client.get(change_url), screening_hard="met", screening_experience="met", screening_professional="met"))

    assert response.status_code == 302
    application.refresh_from_db()
    assert application.screening() == {"hard": "pending", "experience": "pending", "professional": "pending"}


def test_fasttrack_candidate_not_assigned_to_a_qtsp_by_its_own_staff(client, reviewer):
    qtsp = QTSPFactory(name="Paris Mentoring", place="Paris")
    FasttrackProgrammeFactory(qtsp=qtsp)
    coordinator_of(qtsp, user=reviewer)
    application = AcceptedApplicationFactory(place="Lyon")
    client.force_login(reviewer)

    response = client.post(reverse("admin:fasttrack_fasttrackapplication_decide", args=[application.pk, "assign"]),
                           {"qtsp": qtsp.pk})

    assert response.status_code == 200
    assert "Conflict of interest" in response.content.decode()
    assert not Referral.objects.filter(application=application).exists()
    assert application.status == FastTrackApplication.Status.ACCEPTED


def test_programme_certificate_not_revoked_from_the_certificates_admin_by_its_organizations_staff(client, reviewer):
    organization = OrganizationFactory()
    staff_add(organization, user=reviewer)
    certificate = programme_certificate(organization_id=organization.pk, organization_name=organization.legal_name,
                                        legal_name=organization.legal_name)
    client.force_login(reviewer)

    response = client.post(reverse("admin:certificates_certificate_decide", args=[certificate.pk, "revoke"]),
                           {"note": "Our own programme"})

    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.ACTIVE
    assert "no longer applies" in response.content.decode()
