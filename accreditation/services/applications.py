"""What the applicant does: start a draft, fill it in, attach documents, submit, answer, withdraw."""

import logging
import random

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accreditation.eligibility import Outcome, evaluate, submission_blockers
from accreditation.models import (
    ApplicationDocument,
    ApplicationStatus,
    DocumentKind,
    EventAction,
    Level,
    LevelApplication,
)
from accreditation.selectors import facts_for, held_level_codes
from accreditation.services.review import application_review_start, reviewer_auto_assign
from accreditation.services.workflow import (
    application_transition,
    blockers_error,
    locked,
    notify,
    require_owner,
    require_text,
)
from applicants.models import User
from applicants.selectors import ethics_adoption_current, hours_entries_of, profile_of
from documents.validators import detect_kind, validate_upload
from payments.selectors import invoice_is_paid
from payments.services import invoice_charge, invoice_void
from workflows.numbers import number_next
from workflows.services import event_record

logger = logging.getLogger(__name__)
S = ApplicationStatus

DRAFT_FIELDS = ("practice_statement", "equivalent_training_statement", "contribution_statement")


def _next_number() -> str:
    return f"A{timezone.now():%Y}-{number_next('accreditation_application_number_seq'):06d}"


def _open_elsewhere_error(level: Level) -> ValidationError:
    return ValidationError(
        _("You already have an open application for %(level)s; continue that one or withdraw it first.")
        % {"level": level.name},
        code="one_open_per_level",
    )


def _refuse_held(applicant: User, level: Level) -> None:
    if level.code in held_level_codes(applicant):
        raise ValidationError(_("You already hold %(level)s.") % {"level": level.name}, code="held")


@transaction.atomic
def application_create(*, applicant: User, level: Level) -> LevelApplication:
    """Start a draft application for a level (one open application per level)."""
    _refuse_held(applicant, level)
    try:
        with transaction.atomic():
            application = LevelApplication.objects.create(applicant=applicant, level=level, number=_next_number())
    except IntegrityError as error:
        raise _open_elsewhere_error(level) from error
    event_record(application, action=EventAction.CREATED, actor=applicant, from_status="")
    return application


@transaction.atomic
def application_update(*, application: LevelApplication, actor: User, level: Level | None = None,
                       **statements) -> LevelApplication:
    """Save a step of the draft: the level and the statements (only while it is a draft)."""
    unknown = set(statements) - set(DRAFT_FIELDS)
    if unknown:
        raise TypeError(f"not draft fields: {sorted(unknown)}")
    application = locked(application)
    require_owner(application, actor)
    if not application.is_draft:
        raise ValidationError(_("A submitted application can no longer be changed."), code="not_draft")
    changed = []
    for name, value in statements.items():
        setattr(application, name, (value or "").strip())
        changed.append(name)
    if level is not None and level.pk != application.level_id:
        _refuse_held(actor, level)
        application.level = level
        changed.append("level")
    try:
        with transaction.atomic():
            application.save(update_fields=changed or None)
    except IntegrityError as error:
        raise _open_elsewhere_error(level) from error
    return application


@transaction.atomic
def document_add(*, application: LevelApplication, actor: User, kind: str, file) -> ApplicationDocument:
    """Attach a checked file: any evidence while a draft, answers while information is requested."""
    application = locked(application)
    require_owner(application, actor)
    if application.status == S.INFORMATION_REQUESTED:
        kind = DocumentKind.INFORMATION
    elif not application.is_draft:
        raise ValidationError(_("Documents can be added to a draft, or when the committee asks for information."))
    if kind in (DocumentKind.EDUCATION, DocumentKind.INFORMATION) and application.is_draft:
        raise ValidationError(_("Choose what this document shows."))
    if application.documents.count() >= settings.ACCREDITATION_MAX_DOCUMENTS:
        raise ValidationError(
            _("An application holds at most %(count)s documents.") % {"count": settings.ACCREDITATION_MAX_DOCUMENTS}
        )
    content_kind = validate_upload(file)
    document = ApplicationDocument(
        application=application, kind=kind, original_name=file.name, content_kind=content_kind, size=file.size,
        uploaded_by=actor,
    )
    document.file.save(file.name, file, save=False)
    document.save()
    return document


@transaction.atomic
def document_remove(*, document: ApplicationDocument, actor: User) -> None:
    """Remove a document from a draft; the file goes once the removal has committed."""
    application = locked(document.application_id)
    require_owner(application, actor)
    if not application.is_draft:
        raise ValidationError(_("Documents of a submitted application stay with it."))
    name, storage = document.file.name, document.file.storage
    document.delete()
    transaction.on_commit(lambda: storage.delete(name))


def _education_copy(application: LevelApplication, actor: User) -> None:
    """Freeze the profile's proof of education into the application: later profile edits do not change it."""
    profile = profile_of(actor)
    if not profile.education_proof:
        return
    with profile.education_proof.open("rb") as source:
        content = source.read()
    document = ApplicationDocument(
        application=application, kind=DocumentKind.EDUCATION, original_name=profile.education_proof_name,
        content_kind=detect_kind(ContentFile(content)) or "", size=len(content), uploaded_by=actor,
    )
    document.file.save(profile.education_proof_name, ContentFile(content), save=False)
    document.save()


def snapshot_build(application: LevelApplication, facts, requirements) -> dict:
    """What the submission was judged on, frozen: facts, checklist, profile, hours entries, documents."""
    profile = profile_of(application.applicant)
    entries = list(hours_entries_of(application.applicant).values(
        "id", "mentee", "started_on", "ended_on", "hours", "format", "status"))
    return {
        "taken_at": timezone.now().isoformat(),
        "level": application.level.code,
        "requirements": [requirement.as_dict() for requirement in requirements],
        "facts": {
            "hours_logged": str(facts.hours_logged),
            "hours_confirmed": str(facts.hours_confirmed),
            "mentoring_since": facts.mentoring_since.isoformat() if facts.mentoring_since else None,
            "education": facts.education,
            "held_levels": sorted(facts.held_levels),
            "training_completed": facts.training_completed,
            "exam_passed": facts.exam_passed,
            "fasttrack_accepted": facts.fasttrack_accepted,
            "ethics_version": facts.ethics_current_version,
        },
        "profile": {
            "legal_name": profile.legal_name,
            "country": str(profile.country.code or ""),
            "city": profile.city,
            "languages": list(profile.languages),
            "highest_education": profile.highest_education,
            "mentoring_since": profile.mentoring_since.isoformat() if profile.mentoring_since else None,
            "background": profile.background,
        },
        "hours_entries": [
            {**entry, "started_on": entry["started_on"].isoformat(), "ended_on": entry["ended_on"].isoformat(),
             "hours": str(entry["hours"])}
            for entry in entries
        ],
        "documents": [
            {"id": d.pk, "kind": d.kind, "name": d.original_name}
            for d in application.documents.order_by("uploaded_at", "pk")
        ],
        "statements": {name: getattr(application, name) for name in DRAFT_FIELDS},
    }


def _invoice_raise(application: LevelApplication):
    """Raise the accreditation fee invoice, or bill the applicant's sponsor (idempotent per application)."""
    return invoice_charge(
        payer=application.applicant, kind="accreditation", reference=application.payment_reference,
        level_code=application.level.code, actor=application.applicant,
    )


def fee_paid(application: LevelApplication) -> bool:
    return invoice_is_paid(kind="accreditation", reference=application.payment_reference)


@transaction.atomic
def application_submit(*, application: LevelApplication, actor: User) -> LevelApplication:
    """Submit a draft: judge it, freeze the snapshot, raise the fee, pick the audit, assign a reviewer.

    The review starts when the fee is paid.
    """
    application = locked(application)
    require_owner(application, actor)
    application.check_transition(S.SUBMITTED)
    require_text(application.practice_statement, _("Describe your mentoring practice before you submit."))
    facts = facts_for(user=actor, level=application.level, application=application)
    requirements = evaluate(application.level.rules(), facts)
    if blockers := submission_blockers(requirements):
        raise blockers_error(_("Not yet: every requirement but the exam must be met or left to the committee."),
                             blockers)
    _code, adoption = ethics_adoption_current(actor)
    _education_copy(application, actor)
    application.snapshot = snapshot_build(application, facts, requirements)
    application.ethics_adoption = adoption
    application.audit_selected = random.random() < settings.ACCREDITATION_AUDIT_SHARE
    event = application_transition(application, S.SUBMITTED, actor=actor, action=EventAction.SUBMITTED,
                 fields=("snapshot", "ethics_adoption", "audit_selected"))
    if application.audit_selected:
        event_record(application, action=EventAction.AUDIT_SELECTED, actor=None,
               note=_("Picked at random (%(share)s of submissions) for an evidence audit.")
               % {"share": f"{settings.ACCREDITATION_AUDIT_SHARE:.0%}"})
    reviewer_auto_assign(application)
    invoice = _invoice_raise(application)
    pending = [r for r in requirements if r.outcome == Outcome.PENDING]
    notify(application, event, "application_submitted", invoice=invoice, pending=pending)
    if fee_paid(application):
        return application_review_start(application=application, actor=None, note=_("The fee was already paid."))
    return application


@transaction.atomic
def application_respond(*, application: LevelApplication, actor: User, answer: str, file=None) -> LevelApplication:
    """The applicant answers the committee's request, with a document if asked, and resubmits."""
    application = locked(application)
    require_owner(application, actor)
    answer = require_text(answer, _("Write your answer to the committee."))
    if application.status != S.INFORMATION_REQUESTED:
        raise ValidationError(_("The committee has not asked for information."), code="not_requested")
    if file is not None:
        document_add(application=application, actor=actor, kind=DocumentKind.INFORMATION, file=file)
    event = application_transition(application, S.UNDER_REVIEW, actor=actor, action=EventAction.INFORMATION_PROVIDED, note=answer)
    if application.reviewer_id:
        notify(application, event, "application_information_provided", to=application.reviewer)
    return application


@transaction.atomic
def application_withdraw(*, application: LevelApplication, actor: User, reason: str = "") -> LevelApplication:
    """The applicant withdraws an open application; an unpaid fee invoice is voided."""
    application = locked(application)
    require_owner(application, actor)
    was = application.status
    event = application_transition(application, S.WITHDRAWN, actor=actor, action=EventAction.WITHDRAWN, note=(reason or "").strip())
    if was == S.SUBMITTED:
        try:
            invoice_void(kind="accreditation", reference=application.payment_reference, actor=actor)
        except ValidationError:
            logger.info("The fee of %s was paid before the withdrawal; refunds are the committee's call",
                        application.number)
    if was != S.DRAFT:
        notify(application, event, "application_withdrawn")
    return application
