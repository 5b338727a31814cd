"""Fixtures for accreditation: the other apps' contracts replaced by controllable fakes, and helpers
that bring an applicant to a given point of the journey through the real services."""

import datetime
import importlib
import types
from decimal import Decimal

import pytest
from django.apps import apps as django_apps
from django.utils import timezone

from accreditation.models import Level
from accreditation.services import application_create, application_submit, application_update
from applicants.services import ethics_adopt, profile_update
from tests.applicants.factories import EthicsCodeFactory, HoursEntryFactory
from tests.documents.samples import upload
from tests.factories import ApplicantFactory, ReviewerFactory


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


class OtherApps:
    """What partners, exams, fasttrack and payments would say; tests change the answers.

    ``accreditation.selectors.contract`` imports each app's module by name; here that import returns
    a fake module for the names installed, and fails (as for an app not there) for ``absent(...)``
    ones. Everything else in the process keeps importing the real apps.
    """

    def __init__(self, monkeypatch):
        self.modules: dict[str, object] = {}
        monkeypatch.setattr("accreditation.selectors.import_module", self._import)
        self.training = True
        self.exam = False
        self.fasttrack_accepted = False
        self.fasttrack_ready = False
        self.staff_qtsps: dict[int, set[int]] = {}
        self.trainee_qtsps: dict[int, set[int]] = {}
        self.invoices: dict[tuple[str, str], dict] = {}
        self.install("partners.selectors", training_completed=lambda *, user, level_code: self._value("training"),
                     staff_qtsp_ids=lambda *, user: self.staff_qtsps.get(user.pk, set()),
                     trainee_qtsp_ids=lambda *, user: self.trainee_qtsps.get(user.pk, set()))
        self.install("exams.selectors", exam_passed=lambda *, user, level_code: self._value("exam"))
        self.install("fasttrack.selectors",
                     fasttrack_accepted=lambda *, user: self._value("fasttrack_accepted"),
                     fasttrack_exam_ready=lambda *, user: self._value("fasttrack_ready"))
        self.absent("payments.services", "payments.selectors")

    def _value(self, name):
        return getattr(self, name)

    def _import(self, name: str):
        if name not in self.modules:
            return importlib.import_module(name)
        if self.modules[name] is None:
            raise ModuleNotFoundError(f"No module named {name!r} (absent in this test)")
        return self.modules[name]

    def install(self, module: str, **functions) -> None:
        self.modules[module] = types.SimpleNamespace(**functions)

    def absent(self, *modules: str) -> None:
        for module in modules:
            self.modules[module] = None

    def with_payments(self, *, paid: bool = False) -> None:
        def invoice_raise(*, payer, kind, reference, level_code=None, actor=None):
            invoice = self.invoices.setdefault((kind, reference), {
                "number": f"INV-{len(self.invoices) + 1}", "paid": paid, "void": False, "level_code": level_code,
                "payer": payer})
            return types.SimpleNamespace(**invoice, kind=kind, reference=reference)

        def invoice_void(*, kind, reference, actor, note=""):
            self.invoices[(kind, reference)]["void"] = True

        self.install("payments.services", invoice_raise=invoice_raise, invoice_void=invoice_void)
        self.install("payments.selectors", invoice_is_paid=lambda *, kind, reference: self.invoices.get(
            (kind, reference), {}).get("paid", False))


@pytest.fixture(autouse=True)
def other_apps(monkeypatch):
    return OtherApps(monkeypatch)


@pytest.fixture
def ethics_code(db):
    return EthicsCodeFactory(version=1)


def make_eligible(user, level_code: str = "AM", *, hours: int | None = None, proof: bool = True):
    """Profile, hours, years and the code of ethics as the level needs them (training and exam: other_apps)."""
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
        HoursEntryFactory(user=user, hours=Decimal(needed), started_on=timezone.localdate() - datetime.timedelta(days=90),
                          ended_on=timezone.localdate() - datetime.timedelta(days=1))
    ethics_adopt(user=user)
    return user


def draft_for(user, level_code: str = "AM", **statements):
    application = application_create(applicant=user, level=Level.objects.get(code=level_code))
    return application_update(application=application, actor=user,
                              practice_statement=statements.pop("practice_statement", "I mentor three engineers."),
                              **statements)


def submitted(user=None, level_code: str = "AM", **statements):
    """An application submitted by an eligible applicant (under review at once: no payments app)."""
    user = user or ApplicantFactory()
    make_eligible(user, level_code)
    return application_submit(application=draft_for(user, level_code, **statements), actor=user)


@pytest.fixture
def applicant_factory(db):
    return ApplicantFactory


@pytest.fixture
def reviewer_factory(db):
    return ReviewerFactory
