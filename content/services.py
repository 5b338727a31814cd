"""Every change to the leadership and every contact message goes through one function here."""

from __future__ import annotations

import datetime
import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import translation
from django.utils.translation import gettext as _

from content.models import ContactMessage, LeadershipTerm
from notifications.services import outbox_enqueue_template

# One advisory lock serializes every change to the leadership, so two staff adding the 20th and 21st
# member at the same moment cannot both pass the count.
_LEADERSHIP_LOCK = int.from_bytes(hashlib.sha256(b"content.leadership").digest()[:8], "big", signed=True)


def _board_size_peak(terms: list[LeadershipTerm], starts_on: datetime.date, ends_on: datetime.date) -> int:
    """The largest number of ``terms`` that share a day within [starts_on, ends_on]."""
    days = {starts_on} | {term.starts_on for term in terms if starts_on <= term.starts_on <= ends_on}
    return max((sum(1 for term in terms if term.starts_on <= day <= term.ends_on) for day in days), default=0)


def leadership_term_check(term: LeadershipTerm) -> None:
    """Raise ValidationError if ``term`` would give an office two holders or the board too many members."""
    if term.ends_on < term.starts_on:
        raise ValidationError(_("A term cannot end before it starts."), code="term_dates")
    others = LeadershipTerm.objects.overlapping(term.starts_on, term.ends_on).exclude(pk=term.pk)
    if term.is_officer and others.filter(role=term.role).exists():
        raise ValidationError(
            _("Someone else holds the office of %(role)s during part of this term.") % {
                "role": term.get_role_display(),
            },
            code="office_taken",
        )
    peak = _board_size_peak(list(others), term.starts_on, term.ends_on)
    if peak + 1 > settings.CONTENT_BOARD_MAX_MEMBERS:
        raise ValidationError(
            _("The board already has %(count)s members during this term; it may have at most %(max)s.") % {
                "count": peak, "max": settings.CONTENT_BOARD_MAX_MEMBERS,
            },
            code="board_full",
        )


def leadership_term_save(*, term: LeadershipTerm, actor) -> LeadershipTerm:
    """Add or change a term; refuses a board beyond its maximum size and two holders of one office at once."""
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LEADERSHIP_LOCK])
        leadership_term_check(term)
        term._history_user = actor
        term.save()
    return term


def contact_message_send(*, topic: str, name: str, email: str, subject: str, message: str, sender=None,
                         copy_to_sender: bool = False) -> ContactMessage:
    """Keep the message and mail it to the topic's committee address (via the outbox); a copy goes to the sender only
    when ``copy_to_sender`` (their own verified address: a copy of any text to any typed address would let anyone
    send mail through the portal)."""
    destinations = settings.CONTENT_CONTACT_ADDRESSES
    destination = destinations.get(topic) or destinations["other"]
    language = translation.get_language() or settings.LANGUAGE_CODE
    with transaction.atomic():
        contact = ContactMessage.objects.create(
            topic=topic, name=name, email=email, subject=subject, message=message, language=language,
            sender=sender if sender is not None and sender.is_authenticated else None,
        )
        context = {"contact": contact}
        outbox_enqueue_template(
            key=f"contact-message:{contact.pk}", to=destination, template="content/email/contact_committee",
            context=context, language=settings.LANGUAGE_CODE,
        )
        if copy_to_sender:
            outbox_enqueue_template(
                key=f"contact-message-copy:{contact.pk}", to=email, template="content/email/contact_copy",
                context=context, language=language,
            )
    return contact
