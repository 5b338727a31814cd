"""Who reaches whose data: every URL pattern of the project, walked as seven kinds of visitor (issue 13).

An applicant (the owner) has a record in every part of the portal: hours, a level application with a
document, a booking with a result sheet, a fast-track application with a CV, a training record with
QTSP A, an invoice, a certificate with PDU evidence. Each pattern is filled with the owner's objects
(``FILL`` maps a URL name to its kwargs; admin patterns take a row of their model) and fetched by
each visitor. None of them may see the owner's name or e-mail address, answer 5xx, or (a reviewer
without two-factor) open the admin. What a visitor may legitimately see is said in ``MAY_SEE``.
GET only: writes are refused by the same permission functions (tests per app cover them).
"""

import re

import pytest
from django.contrib.admin.sites import site
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import URLResolver, get_resolver
from django.utils import timezone

from accreditation.models import ApplicationDocument, Level
from applicants.models import EthicsCode, User
from content.models import Page
from events.models import Registration
from events.services.registrations import registration_create
from exams.models import Booking
from organizations.services.applications import mentor_invite
from partners.models import PlaceRequest
from payments.services import invoice_raise
from publications.models import Article, Issue, Publication, Subscriber
from publications.tokens import confirm_token, manage_token
from tests.accreditation.conftest import draft_for
from tests.applicants.factories import HoursEntryFactory
from tests.certificates.factories import CertificateFactory, PDUClaimFactory
from tests.conftest import force_login_without_two_factor
from tests.documents.samples import pdf_bytes
from tests.events.factories import EventFactory
from tests.exams.factories import ExamSessionFactory
from tests.factories import ApplicantFactory, ReviewerFactory
from tests.fasttrack.factories import ApplicationFactory as FastTrackApplicationFactory
from tests.organizations.factories import draft, organization_with_staff
from tests.partners.factories import (
    CohortFactory,
    EnrolmentFactory,
    ProgrammeFactory,
    QTSPFactory,
    coordinator_of,
    owner_of,
)

pytestmark = pytest.mark.django_db

OWNER_NAME = "Zephyrine Ownerly"
OWNER_EMAIL = "zephyrine.ownerly@example.org"
GENERIC = re.compile(r"<(?:\w+:)?(\w+)>")

# URL name -> kwargs from the world. Where a pattern is about the owner's own records the visitors
# must not reach it; QTSP A and organization A are the owner's trainer and another organization.
FILL = {
    "applicants:hours_update": lambda w: {"pk": w.hours.pk},
    "applicants:hours_delete": lambda w: {"pk": w.hours.pk},
    "accreditation:application_detail": lambda w: {"pk": w.application.pk},
    "accreditation:application_step": lambda w: {"pk": w.application.pk, "step": "documents"},
    "accreditation:application_respond": lambda w: {"pk": w.application.pk},
    "accreditation:application_withdraw": lambda w: {"pk": w.application.pk},
    "accreditation:application_appeal": lambda w: {"pk": w.application.pk},
    "accreditation:document_download": lambda w: {"pk": w.application.pk, "document_pk": w.document.pk},
    "accreditation:document_delete": lambda w: {"pk": w.application.pk, "document_pk": w.document.pk},
    "exams:session_book": lambda w: {"pk": w.booking.session_id},
    "exams:session_waitlist_join": lambda w: {"pk": w.booking.session_id},
    "exams:booking_detail": lambda w: {"pk": w.booking.pk},
    "exams:booking_cancel": lambda w: {"pk": w.booking.pk},
    "exams:booking_reschedule": lambda w: {"pk": w.booking.pk},
    "exams:booking_arrangements": lambda w: {"pk": w.booking.pk},
    "exams:booking_calendar_file": lambda w: {"pk": w.booking.pk},
    "exams:result_detail": lambda w: {"pk": w.booking.pk},
    "fasttrack:cv_download": lambda w: {"pk": w.fasttrack.pk},
    "partners:qtsp_public": lambda w: {"pk": w.qtsp.pk},
    "partners:document_download": lambda w: {"pk": w.qtsp.pk},
    "partners:portal_home": lambda w: {"qtsp_id": w.qtsp.pk},
    "partners:staff": lambda w: {"pk": w.qtsp.pk},
    "partners:programme_create": lambda w: {"qtsp_id": w.qtsp.pk},
    "partners:programme_detail": lambda w: {"pk": w.cohort.programme_id},
    "partners:programme_edit": lambda w: {"pk": w.cohort.programme_id},
    "partners:cohort_create": lambda w: {"pk": w.cohort.programme_id},
    "partners:cohort_detail": lambda w: {"pk": w.cohort.pk},
    "partners:cohort_edit": lambda w: {"pk": w.cohort.pk},
    "partners:trainee_add": lambda w: {"pk": w.cohort.pk},
    "partners:roster_import": lambda w: {"pk": w.cohort.pk},
    "partners:roster_export": lambda w: {"pk": w.cohort.pk},
    "partners:enrolment_record": lambda w: {"pk": w.enrolment.pk},
    "partners:enrolment_withdraw": lambda w: {"pk": w.enrolment.pk},
    "organizations:detail": lambda w: {"pk": w.organization.pk},
    "organizations:edit": lambda w: {"pk": w.organization.pk},
    "organizations:staff": lambda w: {"pk": w.organization.pk},
    "organizations:sponsorships": lambda w: {"pk": w.organization.pk},
    "organizations:programme_start": lambda w: {"pk": w.organization.pk},
    "organizations:application_detail": lambda w: {"pk": w.programme_application.pk},
    "organizations:application_edit": lambda w: {"pk": w.programme_application.pk},
    "organizations:mentor_add": lambda w: {"pk": w.programme_application.pk},
    "organizations:document_add": lambda w: {"pk": w.programme_application.pk},
    "organizations:application_submit": lambda w: {"pk": w.programme_application.pk},
    "organizations:application_withdraw": lambda w: {"pk": w.programme_application.pk},
    "organizations:renewal_start": lambda w: {"pk": w.programme_application.pk},
    "organizations:certificate": lambda w: {"pk": w.programme_application.pk},
    "organizations:logo_kit": lambda w: {"pk": w.programme_application.pk},
    "organizations:logo_svg": lambda w: {"pk": w.programme_application.pk},
    "organizations:logo_png": lambda w: {"pk": w.programme_application.pk},
    "organizations:logo_zip": lambda w: {"pk": w.programme_application.pk},
    "organizations:mentor": lambda w: {"pk": w.owner.pk},
    "organizations:badge": lambda w: {"number": w.certificate.number},
    "payments:invoice_detail": lambda w: {"number": w.invoice.number},
    "payments:invoice_pay": lambda w: {"number": w.invoice.number},
    "payments:invoice_pdf": lambda w: {"number": w.invoice.number},
    "payments:invoice_paid": lambda w: {"number": w.invoice.number},
    "payments:invoice_cancelled": lambda w: {"number": w.invoice.number},
    "payments:demo_checkout": lambda w: {"number": w.invoice.number},
    "certificates:verify_detail": lambda w: {"number": w.certificate.number},
    "certificates:badge_class": lambda w: {"code": "AM"},
    "certificates:badge_image": lambda w: {"code": "AM"},
    "certificates:badge_assertion": lambda w: {"number": w.certificate.number},
    "certificates:detail": lambda w: {"number": w.certificate.number},
    "certificates:download": lambda w: {"number": w.certificate.number},
    "certificates:pdu_claim_create": lambda w: {"number": w.certificate.number},
    "certificates:renewal_apply": lambda w: {"number": w.certificate.number},
    "certificates:pdu_evidence": lambda w: {"pk": w.pdu_claim.pk},
    "certificates:pdu_claim_withdraw": lambda w: {"pk": w.pdu_claim.pk},
    # The training finder and QTSP A's answers to place requests (the owner asked for a place on its cohort).
    "partners:enrolment_accept": lambda w: {"pk": w.enrolment.pk},
    "partners:training_cohort": lambda w: {"pk": w.place_request.cohort_id},
    "partners:my_place_request_withdraw": lambda w: {"pk": w.place_request.pk},
    "partners:qtsp_status": lambda w: {"pk": w.qtsp.pk},
    "partners:place_requests": lambda w: {"qtsp_id": w.qtsp.pk},
    "partners:place_request_accept": lambda w: {"pk": w.place_request.pk},
    "partners:place_request_decline": lambda w: {"pk": w.place_request.pk},
    "partners:programme_syllabus": lambda w: {"pk": w.cohort.programme_id},
    "partners:programme_submit": lambda w: {"pk": w.cohort.programme_id},
    "partners:reapproval": lambda w: {"qtsp_id": w.qtsp.pk},
    "partners:qtsp_mark": lambda w: {"qtsp_id": w.qtsp.pk},
    # Organization A invited the owner as a named mentor of its draft.
    "organizations:mentor_accept": lambda w: {"pk": w.mentor.pk},
    "organizations:mentor_remove": lambda w: {"pk": w.mentor.pk},
    # The owner registered for a webinar and attended it.
    "events:detail": lambda w: {"slug": w.registration.event.slug},
    "events:programme": lambda w: {"slug": w.registration.event.slug},
    "events:register": lambda w: {"slug": w.registration.event.slug},
    "events:join": lambda w: {"slug": w.registration.event.slug},
    "events:slides": lambda w: {"slug": w.registration.event.slug},
    "events:registration_cancel": lambda w: {"pk": w.registration.pk},
    "events:offer_accept": lambda w: {"pk": w.registration.pk},
    "events:attendance_certificate": lambda w: {"pk": w.registration.pk},
    "events:attendance_verify": lambda w: {"code": w.registration.certificate_code},
    # Public pages, an issue with a members-only article, and the owner's newsletter subscription. Its links
    # carry a signed token mailed to the owner: the visitors hold a forged one (the owner's, re-signed wrongly).
    "content:page": lambda w: {"slug": w.page.slug},
    "content:ethics_version": lambda w: {"version": w.ethics.version},
    "publications:publication": lambda w: {"slug": w.article.issue.publication.slug},
    "publications:feed": lambda w: {"slug": w.article.issue.publication.slug},
    "publications:issue": lambda w: {"slug": w.article.issue.publication.slug, "number": w.article.issue.number},
    "publications:issue_pdf": lambda w: {"slug": w.article.issue.publication.slug, "number": w.article.issue.number},
    "publications:article": lambda w: {"slug": w.article.slug},
    "publications:newsletter_confirm": lambda w: {"token": _forged(confirm_token(w.subscriber.pk))},
    "publications:newsletter_manage": lambda w: {"token": _forged(manage_token(w.subscriber.pk))},
    "publications:newsletter_export": lambda w: {"token": _forged(manage_token(w.subscriber.pk))},
    "publications:newsletter_unsubscribe": lambda w: {"token": _forged(manage_token(w.subscriber.pk))},
    # Committee figures: aggregates, staff only.
    "insights:committee_csv": lambda w: {"key": "funnel_by_level"},
}


def _forged(token: str) -> str:
    """The token with its signature changed: what a visitor who guesses at the owner's link holds."""
    value, _sep, signature = token.rpartition(":")
    return f"{value}:{signature[::-1] if signature[::-1] != signature else signature + 'x'}"


# Patterns the sweep cannot fill, and why.
UNFILLED = {
    "account_confirm_email": "its key is a secret mailed to the address (allauth; tests/test_accounts.py)",
    "account_reset_password_from_key": "its key is a secret mailed to the address (allauth; tests/test_accounts.py)",
    "applicants:hours_confirm": "its token is a secret mailed to the mentee; tests/applicants/test_hours_confirmation.py",
    "staff:invitation_accept": "its token is a secret sent to the invitee; tests/test_outbox_secrets.py covers it",
    "exams:waitlist_accept": "the owner has no waiting-list entry in this world (tests/exams/test_waitlist.py)",
    "exams:waitlist_leave": "the owner has no waiting-list entry in this world (tests/exams/test_waitlist.py)",
    "fasttrack:proof_delete": "proofs are claimed per criterion; tests/fasttrack cover their owners",
    "fasttrack:proof_download": "proofs are claimed per criterion; tests/fasttrack cover their owners",
    "fasttrack:referral_detail": "a referral needs an accepted application (tests/fasttrack cover QTSP isolation)",
    "fasttrack:referral_accept": "a referral needs an accepted application (tests/fasttrack cover QTSP isolation)",
    "fasttrack:referral_decline": "a referral needs an accepted application (tests/fasttrack cover QTSP isolation)",
    "fasttrack:referral_enrol": "a referral needs an accepted application (tests/fasttrack cover QTSP isolation)",
    "partners:staff_remove": "a membership of QTSP A; tests/partners/test_staff.py",
    "partners:invitation_revoke": "no open invitation in this world; tests/partners/test_staff.py",
    "organizations:staff_remove": "a membership of organization A; tests/organizations",
    "organizations:sponsorship_accept": "only the invited, verified address; tests/organizations/test_sponsorship.py",
    "organizations:my_sponsorship": "only the sponsored person; tests/organizations/test_sponsorship.py",
    "organizations:my_sponsorship_end": "only the sponsored person; tests/organizations/test_sponsorship.py",
    "organizations:sponsorship_end": "only the organization's staff; tests/organizations/test_sponsorship.py",
    "organizations:invitation_revoke": "no open invitation in this world; tests/organizations",
    "organizations:document_download": "no organization document in this world; tests/organizations",
    "organizations:document_remove": "no organization document in this world; tests/organizations",
    "organizations:condition_answer": "conditions come with an accreditation decision; tests/organizations",
    "organizations:report_file": "reports come a year after accreditation; tests/organizations",
    "certificates:renewal_withdraw": "no renewal in this world; tests/certificates",
}

# Public by design: the register states the holder's name (DESIGN.md, "Files and privacy").
PUBLIC = {"certificates:verify_detail", "certificates:badge_assertion", "organizations:badge",
          # The code printed on an attendance certificate verifies it, with the attendee's name.
          "events:attendance_verify"}


class World:
    def __init__(self):
        self.owner = ApplicantFactory(full_name=OWNER_NAME, email=OWNER_EMAIL)
        self.hours = HoursEntryFactory(user=self.owner, mentee=OWNER_NAME)
        self.application = draft_for(self.owner, "AM")
        self.document = ApplicationDocument.objects.create(
            application=self.application, kind="other", file=ContentFile(pdf_bytes(), name="p.pdf"),
            original_name="p.pdf", content_kind="pdf", size=len(pdf_bytes()), uploaded_by=self.owner)
        session = ExamSessionFactory(levels=["AM"])
        self.booking = Booking.objects.create(candidate=self.owner, session=session, window=session.window,
                                              level=Level.objects.get(code="AM"))
        self.fasttrack = FastTrackApplicationFactory(applicant=self.owner)
        self.qtsp = QTSPFactory()
        self.qtsp_owner = owner_of(self.qtsp)
        self.cohort = CohortFactory(programme=ProgrammeFactory(qtsp=self.qtsp))
        self.enrolment = EnrolmentFactory(cohort=self.cohort, trainee=self.owner, full_name=OWNER_NAME)
        self.organization, self.organization_owner, _contact = organization_with_staff()
        self.programme_application = draft(self.organization, self.organization_owner)
        self.invoice = invoice_raise(payer=self.owner, kind="exam", reference="booking:sweep", level_code="AM")
        self.certificate = CertificateFactory(holder=self.owner, legal_name=OWNER_NAME)
        self.pdu_claim = PDUClaimFactory(certificate=self.certificate, activity=OWNER_NAME)
        self.place_request = PlaceRequest.objects.create(
            cohort=CohortFactory(programme=self.cohort.programme), person=self.owner, message=OWNER_NAME,
            consented_at=timezone.now())
        self.mentor = mentor_invite(application=self.programme_application, actor=self.organization_owner,
                                    email=OWNER_EMAIL)
        self.registration = registration_create(event=EventFactory(), person=self.owner)
        Registration.objects.filter(pk=self.registration.pk).update(attended=True)
        self.page = Page.objects.create(slug="sweep", title="About", body="The body.", status=Page.Status.PUBLISHED)
        self.ethics = EthicsCode.objects.order_by("-version").first() or EthicsCode.objects.create(
            version=1, text="Be honest.")
        publication, _created = Publication.objects.get_or_create(slug="the-link", defaults={"name": "The Link"})
        issue = Issue.objects.create(publication=publication, number=99, is_published=True)
        self.article = Article.objects.create(issue=issue, slug="sweep-article", title="Mentoring", abstract="A.",
                                              body=f"Interview with {OWNER_NAME}.", is_published=True)
        self.subscriber = Subscriber.objects.create(email=OWNER_EMAIL, status=Subscriber.Status.CONFIRMED,
                                                    consent_at=timezone.now(), consent_source="sweep")


def _walk(patterns=None, prefix="", namespace=""):
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            inner = namespace + (f"{entry.namespace}:" if entry.namespace else "")
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), inner)
        else:
            yield prefix + str(entry.pattern), (namespace + entry.name) if entry.name else None


def _admin_kwargs(route: str, world) -> dict | None:
    """An admin pattern's object: a row of its model, the owner's account for the user model."""
    match = re.match(r"admin/(\w+)/(\w+)/<path:object_id>/", route)
    if not match:
        return None
    for model in site._registry:
        if (model._meta.app_label, model._meta.model_name) == match.group(1, 2):
            if model is User:
                return {"object_id": str(world.owner.pk)}
            row = model._default_manager.order_by("pk").first()
            return {"object_id": str(row.pk)} if row else None
    return None


def _addresses(world) -> tuple[list[tuple[str, str]], list[str]]:
    """(name, address) for every pattern the sweep can fill; the names of those it cannot."""
    addresses, unfilled = [], []
    for route, url_name in _walk():
        name = url_name or route
        if route.startswith("^"):  # regex patterns (media, i18n) carry no object of anyone's
            continue
        params = GENERIC.findall(route)
        if not params:
            addresses.append((name, "/" + route))
            continue
        kwargs = FILL[name](world) if name in FILL else _admin_kwargs(route, world)
        if kwargs is None or name in UNFILLED or set(params) - set(kwargs):
            unfilled.append(name)
            continue
        addresses.append((name, "/" + GENERIC.sub(lambda m, k=kwargs: str(k[m.group(1)]), route)))
    return addresses, unfilled


def _visitors(world) -> dict[str, tuple[Client, set[str]]]:
    """Each visitor's client and the URL-name prefixes where the owner's data is theirs to see."""
    def signed_in(user, *, two_factor=True):
        client = Client(raise_request_exception=False)
        if two_factor:
            client.force_login(user)  # the test suite's force_login marks two-factor for staff
        else:
            force_login_without_two_factor(client, user)
        return client

    conflicted = ReviewerFactory()
    coordinator_of(world.qtsp, conflicted)  # the owner's trainer: a conflict for any decision about them
    return {
        "anonymous": (Client(raise_request_exception=False), set()),
        "another applicant": (signed_in(ApplicantFactory()), set()),
        "staff of another QTSP": (signed_in(owner_of(QTSPFactory())), set()),
        "staff of another organization": (signed_in(organization_with_staff()[1]), set()),
        "reviewer without two-factor": (signed_in(ReviewerFactory(), two_factor=False), set()),
        # Reviewing is their work: the admin, and the invoice and certificate pages a staff permission
        # opens (payments.view_invoice, certificates.view_certificate), show the owner; being QTSP A's
        # staff shows its roster. Deciding about the owner is what the conflict-of-interest policy
        # refuses (tests/workflows), not reading.
        "conflicted reviewer": (signed_in(conflicted), {"admin:", "admin/", "partners:", "fasttrack:referral",
                                                        "payments:invoice_", "certificates:detail",
                                                        "certificates:download", "certificates:pdu_evidence"}),
    }


def _leaks(client: Client, addresses, allowed: set[str]) -> list[str]:
    found = []
    for name, address in addresses:
        response = client.get(address)
        if response.status_code >= 500:
            found.append(f"{response.status_code} {name} {address}")
            continue
        if name in PUBLIC or any(name.startswith(prefix) for prefix in allowed) or response.status_code != 200:
            continue
        body = b"".join(response.streaming_content) if response.streaming else response.content
        if OWNER_NAME.encode() in body or OWNER_EMAIL.encode() in body:
            found.append(f"200 with the owner's data: {name} {address}")
    return found


def test_unfilled_patterns_are_only_those_listed():
    world = World()

    _filled, unfilled = _addresses(world)

    unexplained = {name for name in unfilled if name not in UNFILLED and not name.startswith(("admin:", "admin/"))}
    assert unexplained == set()


def test_the_owner_reaches_their_own_records():
    world = World()
    client = Client()
    client.force_login(world.owner)

    for name in ("accreditation:application_detail", "exams:booking_detail", "payments:invoice_detail",
                 "certificates:detail", "applicants:hours_update",
                 "organizations:mentor_accept", "partners:training_cohort", "events:detail", "publications:article"):
        address = dict(_addresses(world)[0])[name]
        assert client.get(address).status_code == 200, name


@pytest.mark.parametrize("visitor", ["anonymous", "another applicant", "staff of another QTSP",
                                     "staff of another organization", "reviewer without two-factor",
                                     "conflicted reviewer"])
def test_no_visitor_reaches_the_owners_data(visitor):
    world = World()
    addresses, _unfilled = _addresses(world)
    client, allowed = _visitors(world)[visitor]

    assert _leaks(client, addresses, allowed) == []


def test_a_reviewer_without_two_factor_opens_no_admin_page():
    world = World()
    addresses, _unfilled = _addresses(world)
    client, _allowed = _visitors(world)["reviewer without two-factor"]

    opened = [address for name, address in addresses
              if address.startswith("/admin/") and name not in {"admin:login", "admin:logout"}
              and client.get(address).status_code == 200]

    assert opened == []
