"""The one conflict-of-interest policy every staff decision consults.

Nobody decides about themselves. The other relations that make a decision conflicted live in higher
apps (a QTSP's staff and trainees, an organization's staff); they answer through the
:data:`conflict_relations` signal, so this module knows none of them and every app asks the same question.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.dispatch import Signal
from django.utils.translation import gettext as _

#: Sent with ``decider`` and ``person`` (two distinct users); a receiver returns a readable reason
#: ("a trainee of a QTSP you are staff of") or None. Receivers must not write anything.
conflict_relations = Signal()


def decision_conflict(*, decider, person) -> str | None:
    """Why ``decider`` may not decide about ``person``, in words a person can read; None when they may.

    ``person`` is whom the decision is about (an applicant, a payer, a candidate); None means nobody.
    """
    if person is None or decider is None:
        return None
    if decider.pk == person.pk:
        return _("it is yourself")
    for _receiver, reason in conflict_relations.send(sender=None, decider=decider, person=person):
        if reason:
            return str(reason)
    return None


def decision_conflicts(*, decider, people: Iterable) -> str | None:
    """The first conflict of ``decider`` with any of ``people`` (a decision about several persons)."""
    for person in people:
        reason = decision_conflict(decider=decider, person=person)
        if reason:
            return reason
    return None


def decision_conflict_check(*, decider, person, people: Iterable = ()) -> None:
    """Raise ``ValidationError(code="conflict_of_interest")`` when ``decider`` may not decide about them."""
    reason = decision_conflicts(decider=decider, people=[person, *people])
    if reason:
        raise ValidationError(
            _("Conflict of interest: %(reason)s. Another staff member must decide this.") % {"reason": reason},
            code="conflict_of_interest",
        )
