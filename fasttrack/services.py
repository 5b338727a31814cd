"""Every change on the fast track: one function per business action, each in one transaction."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from fasttrack import selectors
from fasttrack.assignment import business_days_after
from fasttrack.models import (
    CriterionClaim,
    FastTrackApplication,
    FastTrackEvent,
    ProofDocument,
    Referral,
    Screening,
)
from fasttrack.requirements import RULES, Criterion, Group
from notifications.services import outbox_enqueue_template
from partners import selectors as partners_selectors
from partners import services as partners_services
from partners.conflicts import qtsp_people
from workflows.conflicts import decision_conflict_check
from workflows.services import event_record, transition

logger = logging.getLogger(__name__)
Status = FastTrackApplication.Status


def _locked(application: FastTrackApplication) -> FastTrackApplication:
    return FastTrackApplication.objects.select_for_update(of=("self",)).select_related("applicant").get(pk=application.pk)


def _committee_locked(application: FastTrackApplication, actor) -> FastTrackApplication:
    """The application under lock, for a committee decision: refused when the decider is conflicted."""
    application = _locked(application)
    decision_conflict_check(decider=actor, person=application.applicant)
    return application


def _mail_applicant(application: FastTrackApplication, event: FastTrackEvent, template: str, **context) -> None:
    outbox_enqueue_template(
        key=f"fasttrack:{template}:{application.pk}:{event.pk}",
        to=application.applicant.email,
        template=f"fasttrack/email/{template}",
        context={"application": application, "applicant": application.applicant,
                 "application_url": reverse("fasttrack:application"), **context},
    )


# ---- the applicant's side ------------------------------------------------------------------------------


@transaction.atomic
def application_start(*, applicant) -> FastTrackApplication:
    """The applicant's open application, or a new draft with one (unclaimed) row per criterion."""
    current = (
        FastTrackApplication.objects.select_for_update()
        .filter(applicant=applicant).exclude(status__in=FastTrackApplication.CLOSED).first()
    )
    if current is not None:
        return current
    try:
        with transaction.atomic():
            application = FastTrackApplication.objects.create(applicant=applicant)
    except IntegrityError:  # started twice at once (two tabs): the other request's draft is the one
        return FastTrackApplication.objects.exclude(status__in=FastTrackApplication.CLOSED).get(applicant=applicant)
    CriterionClaim.objects.bulk_create(
        CriterionClaim(application=application, criterion=criterion) for criterion in Criterion.values
    )
    event_record(application, actor=applicant, from_status="")
    return application


def _require_editable(application: FastTrackApplication, actor) -> None:
    if application.applicant_id != actor.pk:
        raise ValidationError(_("Only the applicant can change the application."))
    if not application.is_editable:
        raise ValidationError(_("The application was submitted and can no longer be changed."))


@transaction.atomic
def application_update(
    *, application: FastTrackApplication, actor, country: str, city: str, latitude, longitude,
    cv=None, claims: Mapping[str, Mapping], proofs: Mapping[str, Iterable] = (),
) -> FastTrackApplication:
    """Save the draft: place, CV, each criterion's claim and new proofs (existing proofs stay)."""
    application = _locked(application)
    _require_editable(application, actor)
    application.country, application.city = country, city
    application.latitude, application.longitude = latitude, longitude
    fields = ["country", "city", "latitude", "longitude"]
    if cv is not None:
        if application.cv:
            _delete_on_commit(application.cv)
        application.cv, application.cv_name = cv, cv.name
        fields += ["cv", "cv_name"]
    application.save(update_fields=fields)
    existing = {claim.criterion: claim for claim in application.claims.select_for_update()}
    for criterion, values in claims.items():
        rule = RULES[criterion]
        claim = existing.get(criterion) or CriterionClaim(application=application, criterion=criterion)
        claim.claimed = bool(values.get("claimed"))
        claim.years = values.get("years") if rule.min_years is not None else None
        claim.details = values.get("details", "")
        claim.save()
        existing[criterion] = claim
    for criterion, uploads in dict(proofs).items():
        for upload in uploads:
            ProofDocument.objects.create(claim=existing[criterion], file=upload, original_name=upload.name)
    return application


@transaction.atomic
def proof_remove(*, proof: ProofDocument, actor) -> None:
    application = _locked(proof.claim.application)
    _require_editable(application, actor)
    _delete_on_commit(proof.file)
    proof.delete()


def _delete_on_commit(field_file) -> None:
    """Remove a replaced or removed file only once the change is committed (a rollback keeps it)."""
    storage, name = field_file.storage, field_file.name
    transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def application_submit(*, application: FastTrackApplication, actor) -> FastTrackApplication:
    """Send the application to the committee, keeping the pre-screen the applicant saw."""
    application = _locked(application)
    _require_editable(application, actor)
    missing = []
    if not application.cv:
        missing.append(_("your CV"))
    if application.latitude is None:
        missing.append(_("your country and city"))
    if missing:
        raise ValidationError(_("Add %(missing)s before submitting.") % {"missing": _(" and ").join(missing)})
    application.prescreen = selectors.application_prescreen(application)
    application.submitted_at = timezone.now()
    resubmission = application.status == Status.INFORMATION_REQUESTED
    event = transition(application, Status.SUBMITTED, actor=actor, update_fields=["prescreen", "submitted_at"])
    _mail_applicant(application, event, "submitted", resubmission=resubmission)
    return application


@transaction.atomic
def application_withdraw(*, application: FastTrackApplication, actor) -> FastTrackApplication:
    application = _locked(application)
    if application.applicant_id != actor.pk:
        raise ValidationError(_("Only the applicant can withdraw the application."))
    transition(application, Status.WITHDRAWN, actor=actor)
    return application


# ---- the committee's review ----------------------------------------------------------------------------


@transaction.atomic
def application_screen(*, application: FastTrackApplication, actor, decisions: Mapping[str, str]) -> FastTrackApplication:
    """Record the committee's screening of each requirement group (met / not met)."""
    application = _committee_locked(application, actor)
    if application.status != Status.SUBMITTED:
        raise ValidationError(_("Only a submitted application is screened."))
    changed = []
    for group, decision in decisions.items():
        if decision not in Screening.values:
            raise ValidationError(_("Choose met, not met or not screened yet."))
        field = FastTrackApplication.SCREENING_FIELDS[Group(group)]
        if getattr(application, field) != decision:
            setattr(application, field, decision)
            changed.append((group, decision, field))
    if changed:
        application.save(update_fields=[field for _group, _decision, field in changed])
        note = "; ".join(f"{Group(group).label}: {Screening(decision).label}" for group, decision, _f in changed)
        event_record(application, actor=actor, note=_("Screening — %(note)s") % {"note": note})
    return application


@transaction.atomic
def application_accept(*, application: FastTrackApplication, actor, note: str = "") -> FastTrackApplication:
    """Accept the candidate; every group must have been screened as met. A QTSP is assigned next."""
    application = _committee_locked(application, actor)
    unmet = [str(Group(group).label) for group, value in application.screening().items() if value != Screening.MET]
    if unmet and application.status == Status.SUBMITTED:
        raise ValidationError(
            _("Screen every group as met before accepting; not yet: %(groups)s.") % {"groups": "; ".join(unmet)}
        )
    application.decided_at, application.decision_reasons = timezone.now(), note
    event = transition(application, Status.ACCEPTED, actor=actor, note=note, update_fields=["decided_at", "decision_reasons"])
    _mail_applicant(application, event, "accepted")
    return application


@transaction.atomic
def application_reject(*, application: FastTrackApplication, actor, reasons: str) -> FastTrackApplication:
    application = _committee_locked(application, actor)
    if not reasons.strip():
        raise ValidationError(_("Give the reasons; they are sent to the applicant."))
    application.decided_at, application.decision_reasons = timezone.now(), reasons
    event = transition(application, Status.REJECTED, actor=actor, note=reasons,
                        update_fields=["decided_at", "decision_reasons"])
    _mail_applicant(application, event, "rejected", reasons=reasons)
    return application


@transaction.atomic
def application_request_information(*, application: FastTrackApplication, actor, message: str) -> FastTrackApplication:
    application = _committee_locked(application, actor)
    if not message.strip():
        raise ValidationError(_("Say what the applicant should add or explain."))
    application.information_request = message
    event = transition(application, Status.INFORMATION_REQUESTED, actor=actor, note=message,
                        update_fields=["information_request"])
    _mail_applicant(application, event, "information_requested", message=message)
    return application


# ---- referral to a QTSP ---------------------------------------------------------------------------------


def _qtsp_emails(qtsp) -> list[str]:
    staff_emails = {email.lower() for email in qtsp.staff.values_list("user__email", flat=True)}
    return sorted(staff_emails | {qtsp.contact_email.lower()})


@transaction.atomic
def referral_assign(*, application: FastTrackApplication, qtsp, actor) -> Referral:
    """Refer an accepted candidate to ``qtsp`` (the proposed nearest, or another the reviewer picked).

    A referral still waiting for its QTSP is withdrawn first; one the QTSP accepted stays.
    """
    application = _committee_locked(application, actor)
    # A referral is a decision about the QTSP receiving the candidate too: its own people may not make it.
    decision_conflict_check(decider=actor, person=application.applicant, people=qtsp_people(qtsp))
    if application.status != Status.ACCEPTED:
        raise ValidationError(_("Only an accepted candidate is referred to a QTSP."))
    candidates = selectors.qtsp_candidates(application, limit=10_000)
    chosen = next((candidate for candidate in candidates if candidate.qtsp.pk == qtsp.pk), None)
    if chosen is None:
        raise ValidationError(_("%(qtsp)s does not run the fast track for this candidate (not approved, no fast-track "
                                "programme, or it declined already).") % {"qtsp": qtsp})
    current = application.referrals.select_for_update().filter(status__in=Referral.LIVE).first()
    if current is not None:
        if current.status == Referral.Status.ACCEPTED:
            raise ValidationError(_("%(qtsp)s has already accepted this candidate.") % {"qtsp": current.qtsp})
        transition(current, Referral.Status.WITHDRAWN, actor=actor, note=_("Reassigned to %(qtsp)s") % {"qtsp": qtsp})
    now = timezone.now()
    referral = Referral.objects.create(
        application=application, qtsp=qtsp, offered_by=actor, offered_at=now,
        respond_by=business_days_after(now, settings.FASTTRACK_REFERRAL_RESPONSE_BUSINESS_DAYS),
        distance_km=round(chosen.distance_km), was_nearest=candidates[0].qtsp.pk == qtsp.pk,
    )
    event_record(referral, actor=actor, from_status="",
                 note=_("%(km)s km from the candidate's city") % {"km": referral.distance_km})
    outbox_enqueue_template(
        key=f"fasttrack:referral-offered:{referral.pk}",
        to=_qtsp_emails(qtsp),
        template="fasttrack/email/referral_offered",
        context={"referral": referral, "qtsp": qtsp, "application": application,
                 "referral_url": reverse("fasttrack:referral_detail", args=[referral.pk])},
    )
    return referral


def _locked_referral(referral: Referral, actor) -> Referral:
    referral = Referral.objects.select_for_update(of=("self",)).select_related("qtsp", "application__applicant").get(pk=referral.pk)
    if not partners_selectors.qtsp_is_staffed_by(qtsp_id=referral.qtsp_id, user=actor):
        raise ValidationError(_("Only the staff of %(qtsp)s can answer this referral.") % {"qtsp": referral.qtsp})
    if referral.qtsp.status != referral.qtsp.Status.APPROVED:
        raise ValidationError(_("A suspended QTSP cannot take fast-track candidates."))
    if not referral.can_transition(Referral.Status.ACCEPTED):
        raise ValidationError(_("This referral was already answered or withdrawn."))
    return referral


@transaction.atomic
def referral_accept(*, referral: Referral, actor, note: str = "") -> Referral:
    """The QTSP takes the candidate; the candidate is told who will contact them."""
    referral = _locked_referral(referral, actor)
    referral.responded_at, referral.responded_by, referral.response_note = timezone.now(), actor, note
    transition(referral, Referral.Status.ACCEPTED, actor=actor, note=note,
               update_fields=["responded_at", "responded_by", "response_note"])
    application = referral.application
    outbox_enqueue_template(
        key=f"fasttrack:referral-accepted:{referral.pk}",
        to=application.applicant.email,
        template="fasttrack/email/referral_accepted",
        context={"referral": referral, "qtsp": referral.qtsp, "application": application,
                 "application_url": reverse("fasttrack:application")},
    )
    return referral


@transaction.atomic
def referral_decline(*, referral: Referral, actor, note: str) -> Referral:
    """The QTSP cannot take the candidate; the committee is asked to pick another."""
    if not note.strip():
        raise ValidationError(_("Tell the committee why, so it can pick another provider."))
    referral = _locked_referral(referral, actor)
    referral.responded_at, referral.responded_by, referral.response_note = timezone.now(), actor, note
    transition(referral, Referral.Status.DECLINED, actor=actor, note=note,
               update_fields=["responded_at", "responded_by", "response_note"])
    _mail_committee(referral, "referral_declined", key=f"fasttrack:referral-declined:{referral.pk}")
    return referral


def _mail_committee(referral: Referral, template: str, *, key: str) -> None:
    recipients = selectors.committee_emails()
    if not recipients:
        logger.warning("No committee reviewer to tell about referral %s (%s)", referral.pk, template)
        return
    outbox_enqueue_template(
        key=key, to=recipients, template=f"fasttrack/email/{template}",
        context={"referral": referral, "qtsp": referral.qtsp, "application": referral.application,
                 "admin_url": reverse("admin:fasttrack_fasttrackapplication_change", args=[referral.application_id])},
    )


def referrals_escalate(*, now=None) -> int:
    """Tell the committee about referrals no QTSP answered in time; each one once, however often this runs."""
    now = now or timezone.now()
    due = list(
        Referral.objects.filter(status=Referral.Status.OFFERED, escalated_at__isnull=True, respond_by__lte=now)
        .order_by("pk").values_list("pk", flat=True)
    )
    escalated = 0
    for referral_id in due:
        with transaction.atomic():
            # The conditional UPDATE is the guard: of two runs at once, only one sees a row change.
            if not Referral.objects.filter(
                pk=referral_id, status=Referral.Status.OFFERED, escalated_at__isnull=True
            ).update(escalated_at=now):
                continue
            referral = Referral.objects.select_related("qtsp", "application__applicant").get(pk=referral_id)
            event_record(referral, actor=None, note=_("No answer by %(deadline)s: escalated to the committee")
                         % {"deadline": referral.respond_by.strftime("%Y-%m-%d %H:%M UTC")})
            _mail_committee(referral, "referral_escalated", key=f"fasttrack:referral-escalated:{referral.pk}")
            escalated += 1
    return escalated


@transaction.atomic
def candidate_enrol(*, referral: Referral, cohort, actor):
    """Put an accepted referral's candidate on one of the QTSP's fast-track cohorts."""
    referral = Referral.objects.select_related("application__applicant", "qtsp").get(pk=referral.pk)
    if referral.status != Referral.Status.ACCEPTED:
        raise ValidationError(_("Accept the referral before enrolling the candidate."))
    if cohort.programme.qtsp_id != referral.qtsp_id or not cohort.programme.is_fasttrack:
        raise ValidationError(_("Choose one of your fast-track cohorts."))
    applicant = referral.application.applicant
    return partners_services.enrolment_add(
        cohort=cohort, email=applicant.email, full_name=applicant.full_name, actor=actor
    )

