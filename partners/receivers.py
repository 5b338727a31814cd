"""Roster entries made before trainees accepted invitations are linked once their address is confirmed.

(Entries invited since then are accepted by the person from their dashboard; staff invitations are linked
by the ``staff`` app's own receivers.)
"""

from allauth.account.signals import email_confirmed
from django.dispatch import receiver

from partners.services import enrolments_link


@receiver(email_confirmed, dispatch_uid="partners.link_on_email_confirmed")
def link_on_email_confirmed(sender, request, email_address, **kwargs) -> None:
    enrolments_link(user=email_address.user, email=email_address.email)
