"""Someone invited to a staff by email joins once that address is theirs and verified (allauth signals)."""

from allauth.account.models import EmailAddress

from staff.schemes import schemes


def _link(user, email: str) -> None:
    for scheme in schemes():
        scheme.invitations_link(user=user, email=email)


def link_on_email_confirmed(sender, request, email_address, **kwargs) -> None:
    _link(email_address.user, email_address.email)


def link_on_sign_up(sender, request, user, **kwargs) -> None:
    # Addresses already verified at sign-up (e.g. opened from an invitation link) never see email_confirmed.
    for address in EmailAddress.objects.filter(user=user, verified=True):
        _link(user, address.email)
