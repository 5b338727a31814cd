"""Signed links in newsletter mails: nothing secret is stored, so staff cannot read a subscriber's link."""

from django.conf import settings
from django.core import signing

CONFIRM_SALT = "publications.newsletter.confirm"
MANAGE_SALT = "publications.newsletter.manage"


def confirm_token(subscriber_id: int) -> str:
    return signing.dumps(subscriber_id, salt=CONFIRM_SALT)


def confirm_token_read(token: str) -> int | None:
    """The subscriber id of a confirmation link, or None when it is forged or older than allowed."""
    try:
        return int(signing.loads(token, salt=CONFIRM_SALT,
                                 max_age=settings.PUBLICATIONS_NEWSLETTER_CONFIRM_DAYS * 86400))
    except (signing.BadSignature, TypeError, ValueError):
        return None


def manage_signer() -> signing.TimestampSigner:
    """One signer for many tokens (a mailing batch signs a thousand)."""
    return signing.TimestampSigner(salt=MANAGE_SALT)


def manage_token(subscriber_id: int, signer: signing.TimestampSigner | None = None) -> str:
    """The link to see, export, change or end a subscription (in every mail); it does not expire."""
    return (signer or manage_signer()).sign_object(subscriber_id)


def manage_token_read(token: str) -> int | None:
    try:
        return int(signing.loads(token, salt=MANAGE_SALT))
    except (signing.BadSignature, TypeError, ValueError):
        return None
