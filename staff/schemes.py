"""One kind of organisation's staff (a :class:`StaffScheme`), its services, and the registry of schemes.

Each kind declares its scheme once (which models, which group, which mail, what it calls each role, which
pages show it) and calls its services: ``invite``, ``invitation_accept``, ``invitation_revoke``,
``member_remove``, ``owner_add``, ``invitations_link`` (the last runs by itself when someone signs up or
confirms an address, see ``staff.receivers``).

Invitations go out through the outbox with a signed token naming the invitation and its nonce; revoking or
accepting makes the token useless. An invitation for an address without an account becomes a membership as
soon as that address is verified on a new account.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from notifications.services import outbox_enqueue_template
from staff.models import StaffInvitation, StaffMembership, StaffRole, nonce_new


@dataclass(frozen=True)
class StaffScheme:
    """One kind of organisation's staff: its two models, the role group, the invitation mail and its pages.

    ``membership_model`` / ``invitation_model`` are "app_label.ModelName" strings so a scheme can be declared
    before the app registry is ready. ``url_namespace`` routes the staff views (``staff``, ``staff_remove``,
    ``invitation_revoke``, each taking one pk); the page shows ``header_template`` and has the organisation
    in its context as ``context_name`` too.
    """

    label: str
    membership_model: str
    invitation_model: str
    group: str
    invitation_template: str
    home_url_name: str
    url_namespace: str
    context_name: str
    header_template: str
    # What this kind of organisation calls each role (an organization's coordinator is its "contact").
    role_labels: dict = field(default_factory=dict)
    role_help: str = ""
    # Which of the user's organisations the staff pages show (e.g. only approved QTSPs).
    portal_filter: dict = field(default_factory=dict)

    @property
    def page_url_name(self) -> str:
        return f"{self.url_namespace}:staff"

    @property
    def remove_url_name(self) -> str:
        return f"{self.url_namespace}:staff_remove"

    @property
    def revoke_url_name(self) -> str:
        return f"{self.url_namespace}:invitation_revoke"

    def role_label(self, role: str) -> str:
        return str(self.role_labels.get(role) or StaffRole(role).label)

    def role_choices(self) -> list[tuple[str, str]]:
        return [(role, self.role_label(role)) for role in StaffRole.values]

    # ---- models and reads -------------------------------------------------------------------

    @property
    def Membership(self) -> type[StaffMembership]:
        return apps.get_model(self.membership_model)

    @property
    def Invitation(self) -> type[StaffInvitation]:
        return apps.get_model(self.invitation_model)

    def role_of(self, *, user, organisation) -> str | None:
        if not user.is_authenticated:
            return None
        return (
            self.Membership.objects.filter(user=user, organisation=organisation).values_list("role", flat=True).first()
        )

    def is_owner(self, *, user, organisation) -> bool:
        return self.role_of(user=user, organisation=organisation) == StaffRole.OWNER

    def organisations_of(self, user) -> models.QuerySet:
        """The organisations this user is staff of (an empty queryset for anonymous users)."""
        organisation_model = self.Membership._meta.get_field("organisation").related_model
        if not user.is_authenticated:
            return organisation_model.objects.none()
        return organisation_model.objects.filter(staff__user=user)

    def portal_organisations(self, user) -> models.QuerySet:
        """The organisations whose staff pages this user may open."""
        return self.organisations_of(user).filter(**self.portal_filter)

    def members(self, organisation) -> models.QuerySet:
        return organisation.staff.select_related("user").order_by("role", "user__full_name", "user__email")

    def invitations_open(self, organisation) -> models.QuerySet:
        return organisation.staff_invitations.filter(accepted_at__isnull=True, revoked_at__isnull=True).order_by("email")

    def token_for(self, invitation: StaffInvitation) -> str:
        return signing.dumps({"i": invitation.pk, "n": invitation.nonce}, salt=self._salt, compress=True)

    def accept_url(self, invitation: StaffInvitation) -> str:
        return reverse("staff:invitation_accept", kwargs={"scheme": self.label, "token": self.token_for(invitation)})

    def invitation_from_token(self, token: str) -> StaffInvitation | None:
        """The invitation a token names, if the token is genuine and the invitation still open and fresh."""
        max_age = timedelta(days=settings.STAFF_INVITATION_MAX_AGE_DAYS)
        try:
            payload = signing.loads(token, salt=self._salt, max_age=max_age)
        except signing.BadSignature:
            return None
        invitation = (
            self.Invitation.objects.select_related("organisation")
            .filter(pk=payload.get("i"), nonce=payload.get("n"))
            .first()
        )
        if invitation is None or not invitation.is_open or invitation.is_expired:
            return None
        return invitation

    @property
    def _salt(self) -> str:
        return f"staff-invitation:{self.label}"

    # ---- services ------------------------------------------------------------------------------

    @transaction.atomic
    def invite(self, *, organisation, email: str, role: str, actor) -> StaffInvitation:
        """Invite ``email`` to the staff in ``role``; an open invitation for the address is re-sent."""
        self._require_owner(actor, organisation)
        email = email.strip().lower()
        if role not in StaffRole.values:
            raise ValidationError(_("Choose a role."))
        if self.Membership.objects.filter(organisation=organisation, user__email__iexact=email).exists():
            raise ValidationError(_("%(email)s is already on the staff.") % {"email": email})
        invitation = (
            self.Invitation.objects.select_for_update()
            .filter(organisation=organisation, email__iexact=email, accepted_at__isnull=True, revoked_at__isnull=True)
            .first()
        )
        if invitation is None:
            try:
                with transaction.atomic():
                    invitation = self.Invitation.objects.create(
                        organisation=organisation, email=email, role=role, invited_by=actor
                    )
            except IntegrityError:  # invited at the same moment by someone else: use theirs
                invitation = self.Invitation.objects.get(
                    organisation=organisation, email__iexact=email, accepted_at__isnull=True, revoked_at__isnull=True
                )
        elif invitation.role != role or invitation.is_expired:
            # Re-inviting refreshes the role and the validity, and gives the old link no further use.
            invitation.role, invitation.nonce, invitation.created_at = role, nonce_new(), timezone.now()
            invitation.invited_by = actor
            invitation.save(update_fields=["role", "nonce", "created_at", "invited_by"])
        outbox_enqueue_template(
            key=f"staff-invitation:{self.label}:{invitation.pk}:{invitation.nonce}",
            to=invitation.email,
            sensitive=True,  # the link is the invitation: no staff role may read it in the outbox
            template=self.invitation_template,
            context={
                "organisation": organisation,
                "invitation": invitation,
                "role": self.role_label(invitation.role),
                "accept_url": settings.SITE_URL + self.accept_url(invitation),
                "expires_at": invitation.expires_at(),
            },
        )
        return invitation

    @transaction.atomic
    def invitation_accept(self, *, invitation: StaffInvitation, user) -> StaffMembership:
        """Make ``user`` a member as the invitation says; only for a verified address it was sent to."""
        invitation = self.Invitation.objects.select_for_update().get(pk=invitation.pk)
        if not invitation.is_open:
            raise ValidationError(_("This invitation has already been used or was withdrawn."))
        if not EmailAddress.objects.filter(user=user, email__iexact=invitation.email, verified=True).exists():
            raise ValidationError(
                _("This invitation was sent to %(email)s. Sign in with that address (or add and confirm it "
                  "in your account) to accept it.") % {"email": invitation.email}
            )
        membership = self._membership_add(
            organisation=invitation.organisation, user=user, role=invitation.role, actor=invitation.invited_by
        )
        invitation.accepted_at, invitation.accepted_by = timezone.now(), user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
        return membership

    @transaction.atomic
    def invitation_revoke(self, *, invitation: StaffInvitation, actor) -> None:
        self._require_owner(actor, invitation.organisation)
        invitation = self.Invitation.objects.select_for_update().get(pk=invitation.pk)
        if not invitation.is_open:
            raise ValidationError(_("This invitation is no longer open."))
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])

    @transaction.atomic
    def member_remove(self, *, membership: StaffMembership, actor) -> None:
        """Remove someone from the staff; the last owner cannot be removed."""
        organisation = membership.organisation
        self._require_owner(actor, organisation)
        # Lock the organisation's memberships in one order so two owners removing each other cannot both succeed.
        members = list(self.Membership.objects.select_for_update().filter(organisation=organisation).order_by("pk"))
        membership = next((m for m in members if m.pk == membership.pk), None)
        if membership is None:
            raise ValidationError(_("This person is no longer on the staff."))
        owners = [m for m in members if m.role == StaffRole.OWNER]
        if membership.role == StaffRole.OWNER and len(owners) == 1:
            raise ValidationError(_("The last owner cannot be removed. Make someone else an owner first."))
        user = membership.user
        membership.delete()
        if not self.Membership.objects.filter(user=user).exists():
            user.groups.remove(*Group.objects.filter(name=self.group))

    @transaction.atomic
    def invitations_link(self, *, user, email: str) -> list[StaffMembership]:
        """Turn the open invitations for a just-verified ``email`` into memberships of ``user``."""
        invitations = self.Invitation.objects.select_for_update().filter(
            email__iexact=email, accepted_at__isnull=True, revoked_at__isnull=True
        )
        return [
            self.invitation_accept(invitation=invitation, user=user)
            for invitation in invitations
            if not invitation.is_expired
        ]

    @transaction.atomic
    def owner_add(self, *, organisation, user, actor) -> StaffMembership:
        """Make an existing account an owner at once (used by registration, demo data and the committee)."""
        return self._membership_add(organisation=organisation, user=user, role=StaffRole.OWNER, actor=actor)

    def _require_owner(self, actor, organisation) -> None:
        """Staff changes are the owners' (and the committee's, e.g. the first invitation on approval)."""
        if actor is not None and actor.is_staff:
            return
        if actor is None or self.role_of(user=actor, organisation=organisation) != StaffRole.OWNER:
            raise ValidationError(_("Only an owner can change the staff."))

    def _membership_add(self, *, organisation, user, role: str, actor) -> StaffMembership:
        membership, created = self.Membership.objects.get_or_create(
            organisation=organisation, user=user, defaults={"role": role, "added_by": actor}
        )
        if not created and role == StaffRole.OWNER and membership.role != StaffRole.OWNER:
            membership.role = StaffRole.OWNER
            membership.save(update_fields=["role"])
        user.groups.add(Group.objects.get_or_create(name=self.group)[0])
        return membership


_SCHEMES: dict[str, StaffScheme] = {}


def register(scheme: StaffScheme) -> StaffScheme:
    _SCHEMES[scheme.label] = scheme
    return scheme


def scheme_for(label: str) -> StaffScheme | None:
    return _SCHEMES.get(label)


def scheme_of_model(model_label: str) -> StaffScheme | None:
    """The scheme whose membership or invitation model is ``model_label`` ("app_label.ModelName")."""
    return next((s for s in _SCHEMES.values() if model_label in (s.membership_model, s.invitation_model)), None)


def schemes() -> list[StaffScheme]:
    return list(_SCHEMES.values())
