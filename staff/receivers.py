"""Someone invited to a staff by email joins once that address is confirmed by mail (allauth's signal).

Only a confirmation proves the address: nothing links at sign-up itself, so a person who merely holds an
invitation link cannot sign up with the invited address and join.
"""

from staff.schemes import schemes


def link_on_email_confirmed(sender, request, email_address, **kwargs) -> None:
    for scheme in schemes():
        scheme.invitations_link(user=email_address.user, email=email_address.email)
