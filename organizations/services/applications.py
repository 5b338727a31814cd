"""The organization's side of an application: register, draft, mentors, documents, submit, withdraw, renew."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from certificates.selectors import certificate_verify
from notifications.services import outbox_enqueue_template
from organizations import selectors
from organizations.models import (
    AccreditedMentor,
    ApplicationDocument,
    ApplicationKind,
    ApplicationStatus,
    DocumentKind,
    EventAction,
    Organization,
    Programme,
    ProgrammeApplication,
)
from organizations.models.programme import PROGRAMME_FEE_KIND
from organizations.services.access import application_locked, require_owner, require_staff
from organizations.services.mail import mail_committee, mail_staff
from organizations.staff import organization_staff
from payments.selectors import invoice_is_paid
from payments.services import invoice_raise, invoice_void
from workflows.numbers import number_next
from workflows.services import event_record, transition

# The application's own fields an organization fills in (the programme's name and description live on Programme).
CONTENT_FIELDS = (
    "purpose", "audiences", "audience_details", "mentors_count", "mentees_count", "active_pairs", "matching",
    "training_provider", "training_details", "supervision", "monitoring", "ethics_adopted", "ethics_details",
)
# What must be filled in before submitting (the list of what an application states).
REQUIRED_FIELDS = (
    "purpose", "audiences", "mentors_count", "mentees_count", "active_pairs", "matching", "training_provider",
    "training_details", "supervision", "monitoring",
)


def application_number() -> str:
    """The next reference, e.g. "PA2026-000042" (the sequence is migration 0002's)."""
    return f"PA{timezone.now():%Y}-{number_next('organizations_application_number_seq'):06d}"


# ---- organizations ------------------------------------------------------------------------------------


@transaction.atomic
def organization_register(*, actor, legal_name: str, sector: str, country: str, city: str, website: str = "") -> Organization:
    """Register an organization; the person registering it becomes its first owner."""
    organization = Organization.objects.create(
        legal_name=legal_name.strip(), sector=sector, country=country, city=city.strip(), website=website,
        registered_by=actor,
    )
    organization_staff.owner_add(organisation=organization, user=actor, actor=actor)
    return organization


@transaction.atomic
def organization_update(*, organization: Organization, actor, **fields) -> Organization:
    require_owner(actor, organization)
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    for name, value in fields.items():
        setattr(organization, name, value)
    organization.full_clean()
    organization.save(update_fields=list(fields))
    return organization


# ---- drafts -------------------------------------------------------------------------------------------------


@transaction.atomic
def programme_application_start(*, organization: Organization, actor, name: str, description: str = "") -> ProgrammeApplication:
    """A new programme and its first application, as a draft the staff fill in over time."""
    require_staff(actor, organization)
    name = name.strip()
    if Programme.objects.filter(organization=organization, name__iexact=name).exists():
        raise ValidationError(_("This organization already has a programme called “%(name)s”.") % {"name": name})
    programme = Programme.objects.create(organization=organization, name=name, description=description.strip())
    application = ProgrammeApplication.objects.create(
        number=application_number(), programme=programme, created_by=actor
    )
    event_record(application, action=EventAction.CREATED, actor=actor)
    return application


def _require_draft(application: ProgrammeApplication) -> None:
    if not application.is_draft:
        raise ValidationError(_("Only a draft can be changed; this application is “%(status)s”.")
                     % {"status": application.get_status_display()}, "not_draft")


@transaction.atomic
def application_update(
    *, application: ProgrammeApplication, actor, programme_name: str | None = None,
    programme_description: str | None = None, **fields,
) -> ProgrammeApplication:
    """Save the draft (any subset of CONTENT_FIELDS, and the programme's name and description)."""
    application = application_locked(application)
    programme = application.programme
    require_staff(actor, programme.organization)
    _require_draft(application)
    unknown = set(fields) - set(CONTENT_FIELDS)
    if unknown:
        raise ValidationError(f"Not application fields: {', '.join(sorted(unknown))}")
    for name, value in fields.items():
        setattr(application, name, value)
    application.updated_at = timezone.now()
    application.save(update_fields=[*fields, "updated_at"])
    programme_fields = []
    if programme_description is not None:
        programme.description = programme_description.strip()
        programme_fields.append("description")
    if programme_name is not None and programme_name.strip() != programme.name:
        # The name is on the certificate: it is fixed once the programme has been accredited.
        if application.kind == ApplicationKind.RENEWAL:
            raise ValidationError(_("An accredited programme keeps its name; renew it under the name on its certificate."))
        programme.name = programme_name.strip()
        programme_fields.append("name")
    if programme_fields:
        try:
            with transaction.atomic():
                programme.save(update_fields=programme_fields)
        except IntegrityError:
            raise ValidationError(_("This organization already has a programme called “%(name)s”.")
                         % {"name": programme.name}) from None
    return application


def _mentor_check(mentor: AccreditedMentor) -> None:
    """Look the certificate up in the register."""
    facts = certificate_verify(mentor.certificate_number.strip())
    mentor.checked_at = timezone.now()
    if facts is None or facts.is_programme:
        mentor.check_result = AccreditedMentor.Check.NOT_FOUND
        mentor.certificate_holder = mentor.certificate_level = ""
        return
    mentor.check_result = AccreditedMentor.Check.VALID if facts.is_valid else AccreditedMentor.Check.NOT_VALID
    mentor.certificate_holder = facts.name
    mentor.certificate_level = facts.title


@transaction.atomic
def mentor_invite(*, application: ProgrammeApplication, actor, email: str) -> AccreditedMentor:
    """Invite a mentor by address; they count (and their certificate is shown) once they accept."""
    application = application_locked(application)
    require_staff(actor, application.programme.organization)
    _require_draft(application)
    email = email.strip().lower()
    validate_email(email)
    if application.mentors.filter(email__iexact=email).exists():
        raise ValidationError(_("%(email)s is already invited.") % {"email": email}, "already_invited")
    mentor = AccreditedMentor.objects.create(application=application, email=email, invited_by=actor)
    outbox_enqueue_template(
        key=f"organizations:mentor-invited:{mentor.pk}",
        to=email,
        sensitive=True,  # who is invited where is the invitee's business, not the outbox readers'
        template="organizations/email/mentor_invited",
        context={"organization": application.programme.organization, "programme": application.programme,
                 "dashboard_url": reverse("applicants:dashboard")},
    )
    return mentor


@transaction.atomic
def mentor_accept(*, mentor: AccreditedMentor, user, certificate_number: str) -> AccreditedMentor:
    """The invited mentor accepts, naming one of their own individual certificates."""
    mentor = AccreditedMentor.objects.select_for_update().select_related("application").get(pk=mentor.pk)
    if mentor.is_accepted or not mentor.application.is_draft:
        raise ValidationError(_("This invitation is no longer open."))
    if not EmailAddress.objects.filter(user=user, email__iexact=mentor.email, verified=True).exists():
        raise ValidationError(_("This invitation was sent to another address. Sign in with that address (or add "
                                "and confirm it in your account) to accept it."))
    certificate = selectors.mentor_certificates(user=user).filter(number=certificate_number).first()
    if certificate is None:
        raise ValidationError(_("Choose one of your valid certificates."))
    if mentor.application.mentors.filter(certificate_number=certificate.number).exists():
        raise ValidationError(_("Your certificate is already listed for this programme."))
    mentor.user, mentor.accepted_at = user, timezone.now()
    mentor.certificate_number, mentor.full_name = certificate.number, certificate.legal_name
    _mentor_check(mentor)
    mentor.save()
    return mentor


@transaction.atomic
def mentor_remove(*, mentor: AccreditedMentor, actor) -> None:
    application = application_locked(mentor.application)
    require_staff(actor, application.programme.organization)
    _require_draft(application)
    mentor.delete()


@transaction.atomic
def document_add(*, application: ProgrammeApplication, actor, kind: str, file) -> ApplicationDocument:
    """Attach a private document (already checked by ``documents.forms.DocumentField``).

    Drafts take any kind; an accreditation with open conditions takes evidence for them.
    """
    application = application_locked(application)
    require_staff(actor, application.programme.organization)
    if kind == DocumentKind.CONDITION:
        if application.status != ApplicationStatus.CONDITIONAL:
            raise ValidationError(_("Evidence for conditions is added while the accreditation has open conditions."))
    else:
        _require_draft(application)
    return ApplicationDocument.objects.create(
        application=application, kind=kind, file=file, original_name=file.name[:255],
        content_kind=getattr(file, "document_kind", ""), size=file.size, uploaded_by=actor,
    )


@transaction.atomic
def document_remove(*, document: ApplicationDocument, actor) -> None:
    application = application_locked(document.application)
    require_staff(actor, application.programme.organization)
    _require_draft(application)
    document.file.delete(save=False)
    document.delete()


# ---- submission and the fee ------------------------------------------------------------------------------


def application_missing(application: ProgrammeApplication) -> list[str]:
    """What still has to be filled in before the application can be submitted (labels for people)."""
    missing = [
        str(ProgrammeApplication._meta.get_field(name).verbose_name)
        for name in REQUIRED_FIELDS
        if getattr(application, name) in (None, "", [])
    ]
    if not application.ethics_adopted:
        missing.append(_("adoption of the IPMA code of ethics"))
    if not application.programme.description:
        missing.append(str(Programme._meta.get_field("description").verbose_name))
    if not application.documents.exists():
        missing.append(_("at least one supporting document"))
    return missing


@transaction.atomic
def application_submit(*, application: ProgrammeApplication, actor) -> ProgrammeApplication:
    """Send the draft to the committee; the fee invoice is raised and the review starts once it is paid."""
    application = application_locked(application)
    require_owner(actor, application.programme.organization)
    _require_draft(application)
    missing = application_missing(application)
    if missing:
        raise ValidationError(_("Before submitting, fill in: %(missing)s.") % {"missing": "; ".join(missing)}, "incomplete")
    mentors = list(application.mentors.filter(accepted_at__isnull=False))
    for mentor in mentors:
        _mentor_check(mentor)
    AccreditedMentor.objects.bulk_update(
        mentors, ["check_result", "certificate_holder", "certificate_level", "checked_at"]
    )
    application.submitted_at, application.submitted_by = timezone.now(), actor
    transition(application, ApplicationStatus.SUBMITTED, actor=actor, action=EventAction.SUBMITTED,
               update_fields=["submitted_at", "submitted_by"])
    invoice = invoice_raise(payer=actor, kind=PROGRAMME_FEE_KIND, reference=application.payment_reference, actor=actor)
    mail_staff(application, "application_submitted", key=f"organizations:submitted:{application.pk}",
               context={"invoice_number": invoice.number})
    return application


@transaction.atomic
def application_review_start(*, application_id: int, actor=None, note: str = "") -> ProgrammeApplication | None:
    """The fee is paid: the application goes to the committee. Safe to call again for the same payment."""
    application = ProgrammeApplication.objects.filter(pk=application_id).first()
    if application is None:
        return None
    application = application_locked(application)
    if application.status != ApplicationStatus.SUBMITTED:
        return application
    application.review_started_at = timezone.now()
    application.reviews_required = settings.ORGANIZATIONS_REVIEWERS_PER_APPLICATION
    transition(application, ApplicationStatus.UNDER_REVIEW, actor=actor, action=EventAction.REVIEW_STARTED,
               note=note or _("Accreditation fee paid."), update_fields=["review_started_at", "reviews_required"])
    mail_committee(application, "review_needed", key=f"organizations:review-needed:{application.pk}")
    return application


@transaction.atomic
def application_withdraw(*, application: ProgrammeApplication, actor, note: str = "") -> ProgrammeApplication:
    application = application_locked(application)
    require_owner(actor, application.programme.organization)
    application.ended_at = timezone.now()
    transition(application, ApplicationStatus.WITHDRAWN, actor=actor, action=EventAction.WITHDRAWN, note=note,
               update_fields=["ended_at"])
    if application.submitted_at and not invoice_is_paid(kind=PROGRAMME_FEE_KIND,
                                                        reference=application.payment_reference):
        invoice_void(kind=PROGRAMME_FEE_KIND, reference=application.payment_reference, actor=actor,
                     note=_("Application withdrawn before payment."))
    return application


# ---- renewal ----------------------------------------------------------------------------------------------


@transaction.atomic
def renewal_start(*, application: ProgrammeApplication, actor) -> ProgrammeApplication:
    """A renewal draft with the previous application's answers and mentors filled in."""
    previous = application_locked(application)
    require_staff(actor, previous.programme.organization)
    if not selectors.renewal_allowed(previous):
        raise ValidationError(_("This accreditation cannot be renewed now. Renewal opens %(days)s days before it expires.")
                     % {"days": settings.ORGANIZATIONS_RENEWAL_WINDOW_DAYS}, "renewal_not_open")
    if previous.programme.applications.open().exists():
        raise ValidationError(_("This programme already has an application in progress."), "open_application")
    renewal = ProgrammeApplication.objects.create(
        number=application_number(), programme=previous.programme, kind=ApplicationKind.RENEWAL, previous=previous,
        created_by=actor, **{name: getattr(previous, name) for name in CONTENT_FIELDS},
    )
    # Mentors who accepted for the programme stay named on its renewal; open invitations do not carry over.
    mentors = [
        AccreditedMentor(application=renewal, email=m.email, invited_by=m.invited_by, user=m.user,
                         accepted_at=m.accepted_at, full_name=m.full_name, certificate_number=m.certificate_number)
        for m in previous.mentors.filter(accepted_at__isnull=False)
    ]
    for mentor in mentors:
        _mentor_check(mentor)
    AccreditedMentor.objects.bulk_create(mentors)
    event_record(renewal, action=EventAction.CREATED, actor=actor,
           note=_("Renewal of %(number)s, filled in from it.") % {"number": previous.number})
    return renewal

