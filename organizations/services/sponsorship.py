"""Employers sponsoring their people: invite, accept (choosing what is shared), change, end; and who pays."""

from allauth.account.models import EmailAddress
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from notifications.services import outbox_enqueue_template
from organizations import selectors
from organizations.models import COVERS, SHARES, Organization, Sponsorship, SponsorshipStatus
from organizations.services.access import require_staff
from payments.services import Sponsor
from workflows.services import event_record, transition


def _locked(sponsorship: Sponsorship) -> Sponsorship:
    return Sponsorship.objects.select_for_update().select_related("organization").get(pk=sponsorship.pk)


@transaction.atomic
def sponsorship_invite(*, organization: Organization, actor, email: str, covers: dict[str, bool]) -> Sponsorship:
    """Invite an employee by address; the organization pays the chosen fees once they accept."""
    require_staff(actor, organization)
    email = email.strip().lower()
    validate_email(email)
    if not any(covers.get(field) for field in COVERS):
        raise ValidationError(_("Choose at least one kind of fee the organization pays."))
    try:
        with transaction.atomic():
            sponsorship = Sponsorship.objects.create(
                organization=organization, email=email, invited_by=actor,
                **{field: bool(covers.get(field)) for field in COVERS},
            )
    except IntegrityError:
        raise ValidationError(_("%(email)s is already invited or sponsored.") % {"email": email}) from None
    event_record(sponsorship, actor=actor, from_status="", note=_("Invited."))
    outbox_enqueue_template(
        key=f"organizations:sponsorship-invited:{sponsorship.pk}",
        to=email,
        sensitive=True,  # who an employer sponsors is the employee's business, not the outbox readers'
        template="organizations/email/sponsorship_invited",
        context={"organization": organization, "accept_url": reverse("organizations:sponsorship_accept",
                                                                    args=[sponsorship.pk])},
    )
    return sponsorship


def _shares(shares: dict[str, bool]) -> dict[str, bool]:
    return {field: bool(shares.get(field)) for field in SHARES}


@transaction.atomic
def sponsorship_accept(*, sponsorship: Sponsorship, user, shares: dict[str, bool]) -> Sponsorship:
    """The invited person, signed in with the verified invited address, accepts and chooses what is shared."""
    sponsorship = _locked(sponsorship)
    if sponsorship.status != SponsorshipStatus.INVITED:
        raise ValidationError(_("This invitation is no longer open."))
    if not EmailAddress.objects.filter(user=user, email__iexact=sponsorship.email, verified=True).exists():
        raise ValidationError(_("This invitation was sent to another address. Sign in with that address (or add "
                                "and confirm it in your account) to accept it."))
    if Sponsorship.objects.filter(person=user, status=SponsorshipStatus.ACTIVE).exists():
        raise ValidationError(_("Another organization sponsors you already; end that sponsorship first."))
    sponsorship.person, sponsorship.accepted_at = user, timezone.now()
    for field, value in _shares(shares).items():
        setattr(sponsorship, field, value)
    transition(sponsorship, SponsorshipStatus.ACTIVE, actor=user,
               update_fields=["person", "accepted_at", *SHARES])
    return sponsorship


@transaction.atomic
def sponsorship_shares_update(*, sponsorship: Sponsorship, user, shares: dict[str, bool]) -> Sponsorship:
    """The sponsored person changes what their employer may see."""
    sponsorship = _locked(sponsorship)
    if sponsorship.person_id != user.pk or sponsorship.status != SponsorshipStatus.ACTIVE:
        raise PermissionDenied
    for field, value in _shares(shares).items():
        setattr(sponsorship, field, value)
    sponsorship.save(update_fields=list(SHARES))
    event_record(sponsorship, actor=user, note=_("Changed what the organization may see."))
    return sponsorship


@transaction.atomic
def sponsorship_end(*, sponsorship: Sponsorship, actor) -> Sponsorship:
    """End a sponsorship (the person, any time; or the organization's staff), or withdraw an invitation.

    From then on the person's new fees are charged to them; fees already billed stay on the sponsor's invoice.
    """
    sponsorship = _locked(sponsorship)
    is_person = actor is not None and sponsorship.person_id == actor.pk
    if not is_person:
        require_staff(actor, sponsorship.organization)
    if sponsorship.status == SponsorshipStatus.INVITED:
        sponsorship.ended_at = timezone.now()
        transition(sponsorship, SponsorshipStatus.WITHDRAWN, actor=actor, update_fields=["ended_at"])
        return sponsorship
    sponsorship.ended_at = timezone.now()
    transition(sponsorship, SponsorshipStatus.ENDED, actor=actor, update_fields=["ended_at"],
               note=_("Ended by the sponsored person.") if is_person else _("Ended by the organization."))
    return sponsorship


def fee_sponsor_answer(sender, *, person, kind: str, **kwargs) -> Sponsor | None:
    """payments.signals.fee_sponsor_requested: the organization paying this kind of fee for ``person``, if any."""
    sponsorship = selectors.sponsorship_active(person=person)
    if sponsorship is None or kind not in sponsorship.covered_kinds():
        return None
    billing_user = selectors.sponsor_billing_user(organization=sponsorship.organization)
    if billing_user is None:
        return None  # an organization with no owner left cannot be invoiced; the person is asked instead
    return Sponsor(key=sponsor_key(sponsorship.organization), name=sponsorship.organization.legal_name,
                   billing_user=billing_user)


def sponsor_key(organization: Organization) -> str:
    return f"organization:{organization.pk}"
