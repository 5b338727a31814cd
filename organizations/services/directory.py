"""The mentor's own directory entry, and visitors' messages relayed to mentors through the outbox."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from notifications.services import outbox_enqueue_template
from organizations.models import DirectoryListing, DirectoryMessage

LISTING_FIELDS = (
    "opted_in", "display_name", "headline", "profile", "country", "city", "languages", "sectors", "accepts_contact",
)


@transaction.atomic
def listing_save(*, user, **fields) -> DirectoryListing:
    """Create or change the mentor's own entry. Whether it shows also depends on a valid certificate."""
    unknown = set(fields) - set(LISTING_FIELDS)
    if unknown:
        raise ValidationError(f"Not listing fields: {', '.join(sorted(unknown))}")
    listing, _created = DirectoryListing.objects.select_for_update().get_or_create(
        user=user, defaults={"display_name": user.full_name or user.email.split("@")[0]}
    )
    for name, value in fields.items():
        setattr(listing, name, value)
    if not (listing.display_name or "").strip():
        raise ValidationError(_("Give the name visitors should see."), "name_required")
    listing.updated_at = timezone.now()
    listing.save()
    return listing


@transaction.atomic
def directory_message_send(*, listing: DirectoryListing, sender_name: str, sender_email: str, body: str) -> DirectoryMessage:
    """Relay a visitor's message to the mentor; the visitor never learns the mentor's address."""
    if not (listing.opted_in and listing.accepts_contact):
        raise ValidationError(_("This mentor does not take messages through the directory."), "contact_closed")
    message = DirectoryMessage.objects.create(
        listing=listing, sender_name=sender_name.strip(), sender_email=sender_email.strip(), body=body.strip()
    )
    outbox_enqueue_template(
        key=f"organizations:directory-message:{message.pk}", to=listing.user.email,
        template="organizations/email/directory_message", context={"message": message, "listing": listing},
    )
    return message
