"""The mentee's confirmation of logged hours: asked once by mail, answered through a link, disputes decided.

Every change of an entry's ``status`` goes through these services (``workflows.services.transition``).
The link carries a random token; the entry keeps only its SHA-256 (nobody reading the database or
the outbox can use it), and the link answers only while the entry awaits an answer, so it works once.
"""

from __future__ import annotations

import enum
import hashlib
import hmac
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from applicants.models import ConfirmationStatus, HoursEntry, HoursEntryEvent, User
from notifications.services import outbox_enqueue_template
from workflows.conflicts import decision_conflict_check
from workflows.services import transition

S = ConfirmationStatus
# A change to any of these means the mentee would confirm other hours (or another person would): ask again.
CONFIRMED_FIELDS = ("started_on", "ended_on", "hours", "format", "confirmer_email")


class LinkProblem(enum.StrEnum):
    INVALID = "invalid"  # forged, mistyped, or the token of another entry
    USED = "used"  # answered already, or replaced by a newer request after an edit
    EXPIRED = "expired"


class ConfirmationLinkError(ValidationError):
    def __init__(self, problem: LinkProblem):
        self.problem = problem
        super().__init__(str(LINK_MESSAGES[problem]()), code=str(problem))


LINK_MESSAGES = {
    LinkProblem.INVALID: lambda: _("This confirmation link is not valid. Check that you opened the whole link from the e-mail."),
    LinkProblem.USED: lambda: _("This confirmation link has already been used. Thank you: nothing more is needed."),
    LinkProblem.EXPIRED: lambda: _("This confirmation link has expired. The mentor may ask you again."),
}


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _link_lifetime() -> timedelta:
    return timedelta(days=settings.APPLICANTS_HOURS_CONFIRMATION_DAYS)


def confirmation_expires_at(entry: HoursEntry):
    return entry.confirmation_requested_at + _link_lifetime() if entry.confirmation_requested_at else None


def confirmation_requests_today(user: User) -> int:
    """How many confirmations ``user`` asked in the last 24 hours (deleted entries still count)."""
    return HoursEntryEvent.objects.filter(
        actor=user, to_status=S.REQUESTED, created_at__gte=timezone.now() - timedelta(days=1)
    ).count()


def confirmation_quota_check(*, user: User, wanted: int) -> None:
    """Refuse asking ``wanted`` more confirmations when the mentor's daily limit would be passed."""
    limit = settings.APPLICANTS_HOURS_CONFIRMATION_DAILY_LIMIT
    if wanted and confirmation_requests_today(user) + wanted > limit:
        raise ValidationError(
            {"confirmer_email": _("You can ask for at most %(limit)s confirmations in 24 hours. Leave the e-mail "
                                  "empty for now and add it tomorrow.") % {"limit": limit}},
            code="confirmation_rate_limited",
        )


def hours_confirmation_request(*, entry: HoursEntry, actor: User) -> str:
    """Ask the entry's mentee (or supervisor) once, by mail, to confirm it. Call inside the entry's transaction.

    Returns the link's token, which exists nowhere else but in the (sealed) mail.
    """
    if not entry.confirmer_email:
        raise ValidationError({"confirmer_email": _("Give the e-mail address of the person who confirms.")})
    if entry.confirmer_email.lower() == actor.email.lower():
        raise ValidationError({"confirmer_email": _("Someone else than you must confirm your hours.")})
    # One request at a time per mentor, so two tabs cannot both pass the daily limit.
    User.objects.select_for_update().filter(pk=actor.pk).first()
    confirmation_quota_check(user=actor, wanted=1)
    token = secrets.token_urlsafe(32)
    entry.confirmation_token_hash = _token_hash(token)
    entry.confirmation_requested_at = timezone.now()
    entry.confirmation_answered_at = None
    entry.confirmation_comment = ""
    transition(entry, S.REQUESTED, actor=actor, update_fields=[
        "confirmation_token_hash", "confirmation_requested_at", "confirmation_answered_at", "confirmation_comment",
    ])
    link = settings.SITE_URL.rstrip("/") + reverse("applicants:hours_confirm", args=[entry.pk, token])
    outbox_enqueue_template(
        key=f"hours-confirmation:{entry.pk}:{entry.confirmation_token_hash[:20]}",
        to=entry.confirmer_email,
        template="applicants/email/hours_confirmation_request",
        context={"entry": entry, "mentor": actor.get_full_name(), "link": link,
                 "expires_on": timezone.localdate(confirmation_expires_at(entry))},
        language=actor.preferred_language or None,
        sensitive=True,  # the link answers for the mentee: no staff may read it in the outbox
    )
    return token


def hours_confirmation_reset(*, entry: HoursEntry, actor: User) -> HoursEntry:
    """Forget the confirmation (or the open request) after the mentor changed what was confirmed."""
    entry.confirmation_token_hash = ""
    entry.confirmation_requested_at = entry.confirmation_answered_at = None
    entry.confirmation_comment = ""
    transition(entry, S.UNCONFIRMED, actor=actor,
               note=_("The mentor changed the entry; an earlier confirmation no longer applies."),
               update_fields=["confirmation_token_hash", "confirmation_requested_at", "confirmation_answered_at",
                              "confirmation_comment"])
    return entry


def _check_link(entry: HoursEntry | None, token: str) -> None:
    # The hash stays after the answer, so a reused link is told apart from a forged one.
    if entry is None or not entry.confirmation_token_hash or not hmac.compare_digest(
        entry.confirmation_token_hash, _token_hash(token)
    ):
        raise ConfirmationLinkError(LinkProblem.INVALID)
    if entry.status == S.EXPIRED:
        raise ConfirmationLinkError(LinkProblem.EXPIRED)
    if entry.status != S.REQUESTED:
        raise ConfirmationLinkError(LinkProblem.USED)
    if timezone.now() >= confirmation_expires_at(entry):
        raise ConfirmationLinkError(LinkProblem.EXPIRED)


def hours_confirmation_for_link(*, entry_id: int, token: str) -> HoursEntry:
    """The entry a confirmation link opens, or ``ConfirmationLinkError`` saying why it cannot be used."""
    entry = HoursEntry.objects.select_related("user").filter(pk=entry_id).first()
    _check_link(entry, token)
    return entry


def _expire(entry: HoursEntry) -> None:
    transition(entry, S.EXPIRED, actor=None, note=_("Not answered in time."))


def hours_confirmation_answer(*, entry_id: int, token: str, confirmed: bool, comment: str = "") -> HoursEntry:
    """The mentee confirms or disputes (a comment is then required); the link stops working."""
    comment = comment.strip()
    with transaction.atomic():
        entry = HoursEntry.objects.select_for_update().select_related("user").filter(pk=entry_id).first()
        try:
            _check_link(entry, token)
        except ConfirmationLinkError as error:
            refused = error
            if error.problem == LinkProblem.EXPIRED and entry.status == S.REQUESTED:
                _expire(entry)  # recorded now rather than at the next sweep; the answer is refused all the same
        else:
            refused = None
            if not confirmed and not comment:
                raise ValidationError(
                    {"comment": _("Say what is wrong with these hours, so the committee can look into it.")})
            entry.confirmation_answered_at = timezone.now()
            entry.confirmation_comment = comment
            transition(entry, S.CONFIRMED if confirmed else S.DISPUTED, actor=None,
                       note=_("Confirmed by the mentee.") if confirmed
                       else _("Disputed by the mentee; the committee decides."),
                       update_fields=["confirmation_answered_at", "confirmation_comment"])
            outbox_enqueue_template(
                key=f"hours-confirmation-answer:{entry.pk}:{entry.confirmation_answered_at.timestamp()}",
                to=entry.user.email, template="applicants/email/hours_confirmation_answered",
                context={"entry": entry, "mentor": entry.user.get_full_name(), "confirmed": confirmed},
                language=entry.user.preferred_language or None,
            )
    if refused is not None:
        raise refused
    return entry


def hours_confirmations_expire() -> int:
    """Close the requests whose link has expired (safe to run twice, or twice at once)."""
    done = 0
    cutoff = timezone.now() - _link_lifetime()
    for pk in HoursEntry.objects.filter(status=S.REQUESTED, confirmation_requested_at__lte=cutoff).values_list("pk", flat=True):
        with transaction.atomic():
            entry = HoursEntry.objects.select_for_update(skip_locked=True).filter(
                pk=pk, status=S.REQUESTED, confirmation_requested_at__lte=cutoff).first()
            if entry is not None:
                _expire(entry)
                done += 1
    return done


def _dispute_decide(*, entry: HoursEntry, actor: User, to: str, note: str) -> HoursEntry:
    entry = HoursEntry.objects.select_for_update().select_related("user").get(pk=entry.pk)
    decision_conflict_check(decider=actor, person=entry.user)
    transition(entry, to, actor=actor, note=note)
    outbox_enqueue_template(
        key=f"hours-dispute-decided:{entry.pk}", to=entry.user.email,
        template="applicants/email/hours_dispute_decided",
        context={"entry": entry, "mentor": entry.user.get_full_name(), "accepted": to == S.ACCEPTED, "note": note},
        language=entry.user.preferred_language or None,
    )
    return entry


@transaction.atomic
def hours_dispute_accept(*, entry: HoursEntry, actor: User, note: str = "") -> HoursEntry:
    """The committee upholds a disputed entry: it counts, and as confirmed hours."""
    return _dispute_decide(entry=entry, actor=actor, to=S.ACCEPTED, note=note)


@transaction.atomic
def hours_dispute_reject(*, entry: HoursEntry, actor: User, note: str) -> HoursEntry:
    """The committee rejects a disputed entry: its hours no longer count for any level."""
    if not note.strip():
        raise ValidationError(_("Give the reasons for rejecting these hours; the mentor reads them."))
    return _dispute_decide(entry=entry, actor=actor, to=S.REJECTED, note=note)
