"""Fixtures for accreditation: helpers that bring an applicant to a given point of the journey through the
real services of accreditation and of its neighbours (partners' rosters, payments' invoices)."""

import datetime
import importlib
from decimal import Decimal

import pytest
from django.apps import apps as django_apps
from django.test import TestCase
from django.utils import timezone

from accreditation.models import Level
from accreditation.services import application_create, application_submit, application_update
from applicants.models import ConfirmationStatus
from applicants.services import ethics_adopt, profile_update
from partners.models import Enrolment
from payments.selectors import invoice_for
from payments.services import bank_transfer_confirm
from tests.applicants.factories import EthicsCodeFactory, HoursEntryFactory
from tests.documents.samples import upload
from tests.factories import ApplicantFactory, ReviewerFactory
from tests.partners.factories import CohortFactory, EnrolmentFactory, ProgrammeFactory, QTSPFactory


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private_media"
    return settings.PRIVATE_MEDIA_ROOT


@pytest.fixture(autouse=True)
def levels(request):
    """The four levels of migration 0002 (a transactional test's flush removes data migrations' rows)."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None:
        return
    request.getfixturevalue("transactional_db" if marker.kwargs.get("transaction") else "db")
    importlib.import_module("accreditation.migrations.0002_levels").add_levels(django_apps, None)


def training_done(user, level_code: str = "AM"):
    """A QTSP recorded the level's training as completed and passed on its roster (the partners app)."""
    programme = ProgrammeFactory(level=Level.objects.get(code=level_code))
    return EnrolmentFactory(cohort=CohortFactory(programme=programme), trainee=user,
                            status=Enrolment.Status.COMPLETED, passed=True,
                            completed_on=timezone.localdate() - datetime.timedelta(days=30))


def trainee_of(user, qtsp=None):
    """Put ``user`` on a roster of ``qtsp`` (a new QTSP if none): they are its trainee."""
    programme = ProgrammeFactory(qtsp=qtsp or QTSPFactory())
    EnrolmentFactory(cohort=CohortFactory(programme=programme), trainee=user)
    return programme.qtsp


def fee_paid(application):
    """The applicant's bank transfer of the accreditation fee is confirmed (payments); its signal runs on commit."""
    invoice = invoice_for(kind="accreditation", reference=application.payment_reference)
    with TestCase.captureOnCommitCallbacks(execute=True):
        bank_transfer_confirm(invoice=invoice, actor=None, bank_reference=f"TEST-{application.number}")
    application.refresh_from_db()
    return invoice


@pytest.fixture
def ethics_code(db):
    return EthicsCodeFactory(version=1)


def make_eligible(user, level_code: str = "AM", *, hours: int | None = None, proof: bool = True,
                  training: bool = True):
    """Profile, hours, years, the code of ethics and (unless ``training=False``) the QTSP training the level needs."""
    level = Level.objects.get(code=level_code)
    EthicsCodeFactory(version=1)
    profile_update(
        user=user, time_zone="Europe/Paris", legal_name=user.full_name or "Test Person", country="FR", city="Lyon",
        languages=["fr", "en"], highest_education="master", background="Teacher",
        mentoring_since=timezone.localdate() - datetime.timedelta(days=366 * (level.years_mentoring + 1)),
        education_proof=upload("pdf", "diploma.pdf") if proof else None,
    )
    needed = level.service_hours if hours is None else hours
    if needed:
        # Confirmed by the mentee: Senior and Master Mentors need a share of their hours confirmed.
        HoursEntryFactory(user=user, hours=Decimal(needed), started_on=timezone.localdate() - datetime.timedelta(days=90),
                          ended_on=timezone.localdate() - datetime.timedelta(days=1), status=ConfirmationStatus.CONFIRMED)
    ethics_adopt(user=user)
    if training:
        training_done(user, level_code)
    return user


def draft_for(user, level_code: str = "AM", **statements):
    application = application_create(applicant=user, level=Level.objects.get(code=level_code))
    return application_update(application=application, actor=user,
                              practice_statement=statements.pop("practice_statement", "I mentor three engineers."),
                              **statements)


def submitted(user=None, level_code: str = "AM", *, paid: bool = True, **statements):
    """An application submitted by an eligible applicant; with its fee paid (``paid``) it is under review."""
    user = user or ApplicantFactory()
    make_eligible(user, level_code)
    application = application_submit(application=draft_for(user, level_code, **statements), actor=user)
    if paid:
        fee_paid(application)
    return application


@pytest.fixture
def applicant_factory(db):
    return ApplicantFactory


@pytest.fixture
def reviewer_factory(db):
    return ReviewerFactory
