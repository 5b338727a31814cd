"""Someone invited by email to a roster is linked once that address is theirs and verified.

(Staff invitations are linked by the ``staff`` app's own receivers.)
"""

from allauth.account.models import EmailAddress
from allauth.account.signals import email_confirmed, user_signed_up
from django.dispatch import receiver

from partners.services import enrolments_link


@receiver(email_confirmed, dispatch_uid="partners.link_on_email_confirmed")
def link_on_email_confirmed(sender, request, email_address, **kwargs) -> None:
    enrolments_link(user=email_address.user, email=email_address.email)


@receiver(user_signed_up, dispatch_uid="partners.link_on_sign_up")
def link_on_sign_up(sender, request, user, **kwargs) -> None:
    # Addresses already verified at sign-up (e.g. opened from an invitation link) never see email_confirmed.
    for address in EmailAddress.objects.filter(user=user, verified=True):
        enrolments_link(user=user, email=address.email)
