"""Someone invited by email (to a staff or to a roster) is linked once that address is theirs and verified."""

from allauth.account.models import EmailAddress
from allauth.account.signals import email_confirmed, user_signed_up
from django.dispatch import receiver

from partners import membership
from partners.services import enrolments_link


def _link(user, email: str) -> None:
    for scheme in membership.schemes():
        scheme.invitations_link(user=user, email=email)
    enrolments_link(user=user, email=email)


@receiver(email_confirmed, dispatch_uid="partners.link_on_email_confirmed")
def link_on_email_confirmed(sender, request, email_address, **kwargs) -> None:
    _link(email_address.user, email_address.email)


@receiver(user_signed_up, dispatch_uid="partners.link_on_sign_up")
def link_on_sign_up(sender, request, user, **kwargs) -> None:
    # Addresses already verified at sign-up (e.g. opened from an invitation link) never see email_confirmed.
    for address in EmailAddress.objects.filter(user=user, verified=True):
        _link(user, address.email)
