"""The step tracker: where a person stands on the way to their next level, and what to do next.

It reads accreditation's eligibility checklist for the target level, the open application, and the
certificates in force; nothing here writes.
"""

import datetime
from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accreditation.eligibility import Outcome, Requirement, evaluate
from accreditation.models import ApplicationDocument, ApplicationStatus, DocumentKind, Level, LevelApplication
from accreditation.selectors import facts_for, levels_in_order
from certificates.models import RENEWAL_OPEN_STATUSES, CertificateKind, Renewal
from certificates.selectors import certificates_active
from fasttrack.selectors import on_the_fast_track

DONE, TODO, WAITING, LATER, SKIPPED = "done", "todo", "waiting", "later", "skipped"
STATE_LABELS = {DONE: gettext_lazy("Done"), TODO: gettext_lazy("To do"), WAITING: gettext_lazy("Waiting"),
                LATER: gettext_lazy("Later"), SKIPPED: gettext_lazy("Not required")}
RENEWAL_SOON_DAYS = 90


@dataclass(frozen=True)
class Step:
    key: str
    label: str
    state: str
    detail: str = ""
    action_label: str = ""
    action_url: str = ""

    @property
    def state_label(self) -> str:
        return str(STATE_LABELS[self.state])


@dataclass(frozen=True)
class Tracker:
    level: Level
    steps: list[Step]

    @property
    def next_step(self) -> Step | None:
        """The first step the person can act on; else the first they are waiting for."""
        for state in (TODO, WAITING):
            for step in self.steps:
                if step.state == state:
                    return step
        return None


def _target(held: list, open_application: LevelApplication | None) -> Level:
    levels = levels_in_order()
    if open_application is not None:
        return next(level for level in levels if level.pk == open_application.level_id)
    top = max((c.level.rank for c in held), default=None)
    above = [level for level in levels if top is None or level.rank > top]
    return above[0] if above else levels[-1]


def _outcome_state(requirement: Requirement | None) -> str:
    if requirement is None:
        return SKIPPED
    return {Outcome.MET: DONE, Outcome.NOT_MET: TODO}.get(requirement.outcome, WAITING)


def _requirement_step(key, label, requirement, action_label, url, *, holds: bool) -> Step:
    if holds:
        return Step(key, label, DONE if requirement else SKIPPED)
    state = _outcome_state(requirement)
    detail = requirement.reason if requirement else _("Not required for this level")
    if state == TODO:
        return Step(key, label, state, detail, action_label, url)
    return Step(key, label, state, detail)


def _worst(*requirements: Requirement | None) -> Requirement | None:
    present = [r for r in requirements if r is not None]
    order = [Outcome.NOT_MET, Outcome.PENDING, Outcome.JUDGEMENT, Outcome.MET]
    return min(present, key=lambda r: order.index(r.outcome)) if present else None


def _date(value: datetime.date) -> str:
    return formats.date_format(value, "DATE_FORMAT")


def _decision(level: Level, application: LevelApplication | None, holds: bool) -> Step:
    label = _("Committee decision")
    if holds or (application and application.status in (ApplicationStatus.ACCEPTED_FOR_EXAM,
                                                          ApplicationStatus.APPROVED)):
        return Step("decision", label, DONE, "" if holds else _("Accepted by the committee"))
    if application is None:
        return Step("decision", label, TODO, _("Apply for the level when the steps above are done"),
                    _("Apply for %(code)s") % {"code": level.code},
                    reverse("accreditation:application_start") + f"?level={level.code}")
    if application.status == ApplicationStatus.DRAFT:
        return Step("decision", label, TODO, _("Your application %(number)s is a draft") % {"number": application.number},
                    _("Finish and submit your application"),
                    reverse("accreditation:application_step", args=[application.pk, "documents"]))
    url = reverse("accreditation:application_detail", args=[application.pk])
    if application.status == ApplicationStatus.INFORMATION_REQUESTED:
        return Step("decision", label, TODO, _("The committee asked you for more information"),
                    _("Answer the committee"), url)
    return Step("decision", label, WAITING, application.get_status_display(), _("Open the application"), url)


def _exam(requirement: Requirement | None, application: LevelApplication | None, holds: bool) -> Step:
    label = _("Exam")
    if holds or (requirement and requirement.outcome == Outcome.MET):
        return Step("exam", label, DONE, requirement.reason if requirement and not holds else "")
    if application and application.status == ApplicationStatus.ACCEPTED_FOR_EXAM:
        return Step("exam", label, TODO, _("You are accepted for the exam: book a seat in a session"),
                    _("Book your exam"), reverse("exams:calendar"))
    return Step("exam", label, LATER, _("You book the exam once the committee accepts your application"))


def _certificate(level: Level, held_here) -> Step:
    label = _("Certificate")
    if held_here is not None:
        return Step("certificate", label, DONE,
                    _("%(number)s, valid until %(date)s") % {"number": held_here.number,
                                                             "date": _date(held_here.expires_on)},
                    _("View the certificate"), reverse("certificates:detail", args=[held_here.number]))
    return Step("certificate", label, LATER, _("Issued when you pass the exam and the committee approves"))


def _renewal(certificate, renewing: bool) -> Step:
    label = _("Renewal")
    if certificate is None:
        return Step("renewal", label, LATER, _("Every certificate is renewed before it expires"))
    url = reverse("certificates:detail", args=[certificate.number])
    if renewing:
        return Step("renewal", label, WAITING, _("Your renewal of %(number)s is under way") % {
            "number": certificate.number}, _("See the renewal"), url)
    if certificate.expires_on <= timezone.localdate() + datetime.timedelta(days=RENEWAL_SOON_DAYS):
        return Step("renewal", label, TODO, _("%(number)s expires on %(date)s") % {
            "number": certificate.number, "date": _date(certificate.expires_on)}, _("Claim PDUs and renew"), url)
    # Renewal opens as soon as the period's PDUs are approved (certificates.services.renewal_apply), not in a window.
    return Step("renewal", label, LATER, _("%(number)s is in force until %(date)s; renew it once its PDUs are "
                                           "approved") % {"number": certificate.number,
                                                          "date": _date(certificate.expires_on)},
                _("Claim PDUs"), url)


def tracker_for(*, user) -> Tracker | None:
    """The person's tracker; None when their way is the Senior Mentor fast track (its own panel shows it: the steps
    of the usual way, from Associate Mentor, do not apply to them)."""
    open_renewal = Renewal.objects.filter(certificate=OuterRef("pk"), status__in=RENEWAL_OPEN_STATUSES)
    held = list(certificates_active().filter(kind=CertificateKind.INDIVIDUAL, holder=user).select_related("level")
                .annotate(renewing=Exists(open_renewal)).order_by("level__rank"))
    # The equivalent-training evidence is read with the application, so a person with one costs no more queries.
    evidence = ApplicationDocument.objects.filter(application=OuterRef("pk"), kind=DocumentKind.EQUIVALENT_TRAINING)
    open_application = (LevelApplication.objects.open().filter(applicant=user).select_related("level")
                        .annotate(equivalent_training_evidence=Exists(evidence)).order_by("level__rank").first())
    # Asked whatever the state (the dashboard's fast-track panel reads the same row, once for both).
    fast_track = on_the_fast_track(user=user)
    if open_application is None and not held and fast_track:
        return None
    level = _target(held, open_application)
    held_here = next((c for c in held if c.level_id == level.pk), None)
    holds = held_here is not None
    # open_application is the person's only open one (or None): the checklist need not look for it again.
    requirements = {r.key: r for r in evaluate(level.rules(), facts_for(user=user, level=level,
                                                                       application=open_application))}
    current = held_here or (held[-1] if held else None)
    renewing = bool(current and current.renewing)
    steps = [
        # Hours the level asks to have confirmed by mentees are part of the same step: both are done in the log.
        _requirement_step("hours", _("Mentoring hours"), _worst(requirements.get("service_hours"),
                                                                requirements.get("confirmed_hours")),
                          _("Log your hours"),
                          reverse("applicants:hours_list"), holds=holds),
        _requirement_step("years", _("Years of mentoring"), requirements.get("years_mentoring"),
                          _("Update your profile"), reverse("applicants:profile"), holds=holds),
        _requirement_step("education", _("Education"), requirements.get("education"), _("Update your profile"),
                          reverse("applicants:profile"), holds=holds),
        _requirement_step("training", _("Training"), _worst(requirements.get("prerequisite"),
                                                            requirements.get("training")),
                          _("Find a training partner"),
                          f"{reverse('partners:training')}?{urlencode({'level': level.code})}", holds=holds),
        _requirement_step("ethics", _("Code of ethics"), requirements.get("ethics"), _("Adopt the code of ethics"),
                          reverse("applicants:ethics"), holds=holds),
        # The journey's order: the committee accepts the application, then the candidate sits the exam.
        _decision(level, open_application, holds),
        _exam(requirements.get("exam"), open_application, holds),
        _certificate(level, held_here),
        _renewal(current, renewing),
    ]
    return Tracker(level, steps)
