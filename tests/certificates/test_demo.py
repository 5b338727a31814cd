import io

from applicants import demo as applicants_demo
from certificates import demo
from certificates.models import Certificate, RenewalStatus
from certificates.selectors import certificate_verify


def test_demo_certificates_are_seeded_once_and_printed(db):
    applicants_demo.seed(io.StringIO())
    first, second = io.StringIO(), io.StringIO()

    demo.seed(first)
    demo.seed(second)

    assert Certificate.objects.count() == 4
    assert first.getvalue() == second.getvalue()
    statuses = {}
    for certificate in Certificate.objects.all():
        assert certificate.number in first.getvalue()
        statuses[certificate.legal_name] = certificate_verify(certificate.number).status
    assert statuses == {"Amara Applicant": "active", "Jonas Eriksson": "renewal_in_progress",
                        "Oliver Grant": "revoked", "李娜": "active"}
    applicant_certificate = Certificate.objects.get(holder__email="applicant@ipma.example")
    assert applicant_certificate.pdu_claims.count() == 1
    assert Certificate.objects.get(legal_name="Jonas Eriksson").renewals.get().status == RenewalStatus.AWAITING_PAYMENT
