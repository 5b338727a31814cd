"""Employers sponsoring their people: acceptance, who pays, the monthly invoice, and what the employer sees."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accreditation.models import ApplicationStatus, Level, LevelApplication
from certificates.models import RenewalStatus
from certificates.services import renewal_apply
from exams.services.bookings import booking_create
from organizations import services
from organizations.models import SponsorshipStatus
from payments.models import Invoice, InvoiceKind, InvoiceStatus, Provider, SponsoredCharge
from payments.services import invoice_charge, invoice_refund, sponsor_invoices_close
from tests.certificates.factories import CertificateFactory, PDUClaimFactory
from tests.exams.factories import ExamSessionFactory
from tests.factories import ApplicantFactory, UserFactory
from tests.organizations.factories import organization_with_staff

ALL_COVERED = {"covers_accreditation": True, "covers_exams": True, "covers_events": False}


def sponsor(organization, owner, person, *, covers=ALL_COVERED, shares=None):
    sponsorship = services.sponsorship_invite(organization=organization, actor=owner, email=person.email,
                                              covers=covers)
    return services.sponsorship_accept(sponsorship=sponsorship, user=person,
                                       shares=shares or {"shares_stage": True})


def charge_accreditation(person, reference="application:1"):
    return invoice_charge(payer=person, kind=InvoiceKind.ACCREDITATION, reference=reference, level_code="AM")


@pytest.fixture
def employee(db):
    return ApplicantFactory()


def test_invitation_accepted_only_by_the_invited_verified_address(org, owner, employee):
    sponsorship = services.sponsorship_invite(organization=org, actor=owner, email=employee.email, covers=ALL_COVERED)

    with pytest.raises(ValidationError, match="another address"):
        services.sponsorship_accept(sponsorship=sponsorship, user=UserFactory(), shares={})

    sponsorship.refresh_from_db()
    assert sponsorship.status == SponsorshipStatus.INVITED


def test_invitation_refused_from_someone_outside_the_organization(org, employee):
    with pytest.raises(Exception, match="staff"):
        services.sponsorship_invite(organization=org, actor=UserFactory(), email=employee.email, covers=ALL_COVERED)


def test_covered_accreditation_fee_is_settled_by_the_sponsor(org, owner, employee):
    sponsor(org, owner, employee)

    invoice = charge_accreditation(employee)

    assert invoice.status == InvoiceStatus.PAID
    assert invoice.provider == Provider.SPONSOR
    assert not Invoice.objects.filter(payer=employee, status=InvoiceStatus.OPEN).exists()
    charge = SponsoredCharge.objects.get(fee_invoice=invoice)
    assert (charge.sponsor_key, charge.amount, charge.billing_user) == (f"organization:{org.pk}", invoice.amount, owner)


def test_covered_exam_seat_is_held_without_the_candidate_paying(org, owner, employee):
    LevelApplication.objects.create(number="T-1", applicant=employee, level=Level.objects.get(code="AM"),
                                    status=ApplicationStatus.ACCEPTED_FOR_EXAM,
                                    accepted_at=datetime.datetime.now(datetime.UTC))
    sponsor(org, owner, employee)

    booking = booking_create(candidate=employee, session=ExamSessionFactory(), level=Level.objects.get(code="AM"))

    invoice = Invoice.objects.get(kind=booking.fee_kind, reference=booking.invoice_reference)
    assert invoice.status == InvoiceStatus.PAID
    assert invoice.provider == Provider.SPONSOR
    assert not Invoice.objects.filter(payer=employee, status=InvoiceStatus.OPEN).exists()


def _renewal_ready(person, settings):
    """A certificate of ``person`` 60 days before expiry with the PDUs its renewal needs."""
    settings.CERTIFICATES_PDU_REQUIRED = {**settings.CERTIFICATES_PDU_REQUIRED, "AM": 30}
    certificate = CertificateFactory.expiring_in(60, level_code="AM", holder=person)
    PDUClaimFactory(certificate=certificate, hours=Decimal("30"))
    return certificate


def test_covered_renewal_goes_to_the_committee_without_the_holder_paying(
        org, owner, employee, settings, django_capture_on_commit_callbacks):
    sponsor(org, owner, employee, covers={**ALL_COVERED, "covers_renewals": True})
    certificate = _renewal_ready(employee, settings)

    with django_capture_on_commit_callbacks(execute=True):
        renewal = renewal_apply(certificate=certificate, actor=employee)

    invoice = Invoice.objects.get(kind=InvoiceKind.RENEWAL, reference=renewal.payment_reference)
    assert (invoice.status, invoice.provider, invoice.payer) == (InvoiceStatus.PAID, Provider.SPONSOR, employee)
    assert SponsoredCharge.objects.get(fee_invoice=invoice).sponsor_key == f"organization:{org.pk}"
    renewal.refresh_from_db()
    assert renewal.status == RenewalStatus.UNDER_REVIEW


def test_renewal_not_covered_is_charged_to_the_holder(org, owner, employee, settings):
    sponsor(org, owner, employee)  # accreditation and exams only
    certificate = _renewal_ready(employee, settings)

    renewal = renewal_apply(certificate=certificate, actor=employee)

    invoice = Invoice.objects.get(kind=InvoiceKind.RENEWAL, reference=renewal.payment_reference)
    assert invoice.status == InvoiceStatus.OPEN and not SponsoredCharge.objects.exists()


def test_fee_kind_not_covered_is_charged_to_the_person(org, owner, employee):
    sponsor(org, owner, employee, covers={"covers_exams": True})

    invoice = charge_accreditation(employee)

    assert invoice.status == InvoiceStatus.OPEN
    assert invoice.payer == employee
    assert not SponsoredCharge.objects.exists()


def test_ending_the_sponsorship_stops_coverage(org, owner, employee):
    sponsorship = sponsor(org, owner, employee)
    services.sponsorship_end(sponsorship=sponsorship, actor=employee)

    invoice = charge_accreditation(employee)

    assert invoice.status == InvoiceStatus.OPEN
    assert invoice.payer == employee


def test_cancelled_fee_leaves_the_running_month(org, owner, employee):
    sponsor(org, owner, employee)
    invoice = charge_accreditation(employee)

    invoice_refund(kind=invoice.kind, reference=invoice.reference, actor=None, reason="Booking cancelled")

    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.REFUNDED
    assert SponsoredCharge.objects.get(fee_invoice=invoice).released_at is not None


def _close_next_month():
    return sponsor_invoices_close(on=datetime.date.today().replace(day=1) + datetime.timedelta(days=32))


def test_one_invoice_per_organization_per_month_idempotent(org, owner, employee):
    sponsor(org, owner, employee)
    other = ApplicantFactory()
    sponsor(org, owner, other)
    first = charge_accreditation(employee, "application:1")
    second = charge_accreditation(other, "application:2")

    assert _close_next_month() == 1
    assert _close_next_month() == 0

    monthly = Invoice.objects.get(kind=InvoiceKind.SPONSORSHIP)
    assert monthly.payer == owner
    assert monthly.billed_to == org.legal_name
    assert monthly.amount == first.amount + second.amount
    assert monthly.lines.count() == 2
    assert monthly.status == InvoiceStatus.OPEN


def test_charges_of_the_running_month_are_not_invoiced_yet(org, owner, employee):
    sponsor(org, owner, employee)
    charge_accreditation(employee)

    assert sponsor_invoices_close() == 0
    assert not Invoice.objects.filter(kind=InvoiceKind.SPONSORSHIP).exists()


def test_second_organization_cannot_sponsor_a_sponsored_person(org, owner, employee):
    sponsor(org, owner, employee)
    other_org, other_owner, _contact = organization_with_staff()
    sponsorship = services.sponsorship_invite(organization=other_org, actor=other_owner, email=employee.email,
                                              covers=ALL_COVERED)

    with pytest.raises(ValidationError, match="Another organization"):
        services.sponsorship_accept(sponsorship=sponsorship, user=employee, shares={})


# ---- pages ---------------------------------------------------------------------------------------------


def test_employer_page_shows_stage_but_never_documents(client, org, owner, employee):
    sponsor(org, owner, employee, shares={"shares_stage": True})
    charge_accreditation(employee)
    client.force_login(owner)

    response = client.get(reverse("organizations:sponsorships", args=[org.pk]))

    assert response.status_code == 200
    assert employee.email in response.text or employee.get_full_name() in response.text
    assert "document" not in response.text.lower().replace("documents, evidence", "")


def test_employer_page_hides_what_the_person_did_not_share(client, org, owner, employee):
    LevelApplication.objects.create(number="T-9", applicant=employee, level=Level.objects.get(code="AM"),
                                    status=ApplicationStatus.UNDER_REVIEW)
    sponsor(org, owner, employee, shares={"shares_stage": False})
    client.force_login(owner)

    response = client.get(reverse("organizations:sponsorships", args=[org.pk]))

    assert "under review" not in response.text.lower()


@pytest.mark.parametrize("who", ["other_org_staff", "employee", "staff"])
def test_employer_page_refused_to_others(client, org, owner, employee, who):
    sponsor(org, owner, employee)
    viewer = {"other_org_staff": lambda: organization_with_staff()[1], "employee": lambda: employee,
              "staff": lambda: UserFactory(is_staff=True, is_superuser=True)}[who]()
    client.force_login(viewer)

    response = client.get(reverse("organizations:sponsorships", args=[org.pk]))

    assert response.status_code == 404


def test_employer_page_sends_anonymous_to_login(client, org):
    response = client.get(reverse("organizations:sponsorships", args=[org.pk]))

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_employee_pages_refused_to_the_employer(client, org, owner, employee):
    sponsorship = sponsor(org, owner, employee)
    client.force_login(owner)

    assert client.get(reverse("organizations:my_sponsorship", args=[sponsorship.pk])).status_code == 404
    assert client.post(reverse("organizations:my_sponsorship_end", args=[sponsorship.pk])).status_code == 404


def test_employee_ends_the_sponsorship_from_their_page(client, org, owner, employee):
    sponsorship = sponsor(org, owner, employee)
    client.force_login(employee)

    client.post(reverse("organizations:my_sponsorship_end", args=[sponsorship.pk]))

    sponsorship.refresh_from_db()
    assert sponsorship.status == SponsorshipStatus.ENDED


def test_employee_accepts_from_the_invitation_page(client, org, owner, employee):
    sponsorship = services.sponsorship_invite(organization=org, actor=owner, email=employee.email, covers=ALL_COVERED)
    client.force_login(employee)

    response = client.post(reverse("organizations:sponsorship_accept", args=[sponsorship.pk]),
                           {"shares_stage": "on", "shares_exams": "on"})

    assert response.status_code == 302
    sponsorship.refresh_from_db()
    assert (sponsorship.status, sponsorship.shares_exams, sponsorship.shares_certificates) == (
        SponsorshipStatus.ACTIVE, True, False)


def test_invitation_page_refused_to_another_user(client, org, owner, employee):
    sponsorship = services.sponsorship_invite(organization=org, actor=owner, email=employee.email, covers=ALL_COVERED)
    client.force_login(UserFactory())

    assert client.get(reverse("organizations:sponsorship_accept", args=[sponsorship.pk])).status_code == 404


def _page_queries(client, count):
    organization, owner, _contact = organization_with_staff()
    for n in range(count):
        person = ApplicantFactory()
        LevelApplication.objects.create(number=f"Q-{organization.pk}-{n}", applicant=person,
                                        level=Level.objects.get(code="AM"), status=ApplicationStatus.UNDER_REVIEW)
        sponsor(organization, owner, person, shares={"shares_stage": True, "shares_applications": True,
                                                     "shares_exams": True, "shares_certificates": True})
        charge_accreditation(person, f"application:{organization.pk}-{n}")
    client.force_login(owner)
    url = reverse("organizations:sponsorships", args=[organization.pk])
    client.get(url)  # the reference data the new rows invalidated is read again once
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_employer_page_queries_constant_in_the_number_of_people(client, db):
    assert _page_queries(client, 2) == _page_queries(client, 7)


def test_release_after_billing_credits_the_next_invoice(org, owner, employee):
    sponsor(org, owner, employee)
    invoice = charge_accreditation(employee)
    _close_next_month()

    invoice_refund(kind=invoice.kind, reference=invoice.reference, actor=None, reason="Withdrawn")

    credit = SponsoredCharge.objects.get(fee_invoice=invoice, is_credit=True)
    assert credit.amount == -invoice.amount
    assert credit.monthly_invoice is None


def test_contact_sees_own_organization_charges_only(client, org, owner, contact, employee):
    sponsor(org, owner, employee)
    charge_accreditation(employee)
    other_org, other_owner, _other_contact = organization_with_staff()
    other_person = ApplicantFactory(full_name="Zed Elsewhere")
    sponsor(other_org, other_owner, other_person)
    charge_accreditation(other_person, "application:elsewhere")
    client.force_login(contact)

    response = client.get(reverse("organizations:sponsorships", args=[org.pk]))

    assert response.status_code == 200
    assert employee.get_full_name() in response.text
    assert "Zed Elsewhere" not in response.text
    assert other_person.email not in response.text
