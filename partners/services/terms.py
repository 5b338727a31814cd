"""A QTSP's approval term: its end, the reminders before it, the lapse after it, and re-approval.

Approval lasts ``settings.QTSP_APPROVAL_YEARS``. The hourly job (``partners.tasks.approval_terms``) sends each
reminder once (the outbox's unique key) and lapses QTSPs whose term has ended (the transition runs under a
row lock, so two beats at once lapse a QTSP once). A re-approval the committee grants starts the next term
where the current one ends (or today, for a lapsed QTSP) and brings a lapsed QTSP back.
"""

from __future__ import annotations

import logging
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from notifications.services import outbox_enqueue_template
from partners.conflicts import qtsp_people
from partners.models import QTSP, QTSPReapproval
from workflows.conflicts import decision_conflict_check
from workflows.services import event_record, transition

logger = logging.getLogger(__name__)


def term_end(start: date) -> date:
    """The last day of a term starting on ``start``."""
    years = settings.QTSP_APPROVAL_YEARS
    try:
        anniversary = start.replace(year=start.year + years)
    except ValueError:  # 29 February
        anniversary = start.replace(year=start.year + years, day=28)
    return anniversary - timedelta(days=1)


def _contacts(qtsp: QTSP) -> list[str]:
    return [qtsp.contact_email.lower()]


@transaction.atomic
def reapproval_submit(*, qtsp: QTSP, actor, statement: str) -> QTSPReapproval:
    """The QTSP asks the committee to renew its approval (while approved or after it lapsed)."""
    qtsp = QTSP.objects.select_for_update().get(pk=qtsp.pk)
    if qtsp.status not in (QTSP.Status.APPROVED, QTSP.Status.LAPSED):
        raise ValidationError(_("Only an approved or lapsed QTSP can apply for re-approval."))
    if not statement.strip():
        raise ValidationError(_("Tell the committee what changed since the last approval."))
    try:
        with transaction.atomic():
            reapproval = QTSPReapproval.objects.create(qtsp=qtsp, statement=statement.strip(), submitted_by=actor)
    except IntegrityError as exc:
        raise ValidationError(_("A re-approval application is already with the committee.")) from exc
    event_record(reapproval, actor=actor, from_status="")
    outbox_enqueue_template(
        key=f"qtsp-reapproval-submitted:{reapproval.pk}", to=_contacts(qtsp),
        template="partners/email/reapproval_submitted", context={"qtsp": qtsp, "reapproval": reapproval},
    )
    return reapproval


@transaction.atomic
def reapproval_decide(*, reapproval: QTSPReapproval, to_status: str, actor, note: str = "") -> QTSPReapproval:
    """The committee renews the approval for another term, or refuses (with reasons)."""
    reapproval = QTSPReapproval.objects.select_for_update().get(pk=reapproval.pk)
    decision_conflict_check(decider=actor, person=None, people=qtsp_people(reapproval.qtsp))
    reapproval.check_transition(to_status)
    if to_status == QTSPReapproval.Status.REJECTED and not note.strip():
        raise ValidationError(_("Give the reasons; they are sent to the QTSP."))
    qtsp = QTSP.objects.select_for_update().get(pk=reapproval.qtsp_id)
    if to_status == QTSPReapproval.Status.APPROVED:
        if qtsp.status == QTSP.Status.SUSPENDED:
            raise ValidationError(_("The QTSP is suspended: reinstate it before renewing its approval."))
        today = timezone.localdate()
        start = max(today, qtsp.approved_until + timedelta(days=1)) if qtsp.approved_until else today
        qtsp.approved_until = term_end(start)
        if qtsp.status == QTSP.Status.LAPSED:
            transition(qtsp, QTSP.Status.APPROVED, actor=actor, note=_("Re-approved"), update_fields=["approved_until"])
        else:
            qtsp.save(update_fields=["approved_until"])
            event_record(qtsp, actor=actor, note=_("Re-approved until %(date)s") % {"date": qtsp.approved_until})
    reapproval.decided_at = timezone.now()
    event = transition(reapproval, to_status, actor=actor, note=note, update_fields=["decided_at"])
    outbox_enqueue_template(
        key=f"qtsp-reapproval:{reapproval.pk}:{event.pk}", to=_contacts(qtsp),
        template=f"partners/email/reapproval_{to_status}",
        context={"qtsp": qtsp, "reapproval": reapproval, "note": note},
    )
    return reapproval


def _remind(qtsp: QTSP, today: date) -> bool:
    remaining = (qtsp.approved_until - today).days
    due = [days for days in sorted(settings.QTSP_APPROVAL_REMINDER_DAYS) if remaining <= days]
    if not due or remaining < 0:
        return False
    message = outbox_enqueue_template(
        # One reminder per threshold and term: a second run, or a second beat, finds the key taken.
        key=f"qtsp-term-reminder:{qtsp.pk}:{qtsp.approved_until.isoformat()}:{due[0]}",
        to=_contacts(qtsp), template="partners/email/qtsp_term_reminder",
        context={"qtsp": qtsp, "days": remaining,
                 "reapproval_url": reverse("partners:reapproval", kwargs={"qtsp_id": qtsp.pk})},
    )
    return message is not None


@transaction.atomic
def _lapse(qtsp_id: int, today: date) -> bool:
    qtsp = QTSP.objects.select_for_update().get(pk=qtsp_id)
    if qtsp.status != QTSP.Status.APPROVED or qtsp.approved_until is None or qtsp.approved_until >= today:
        return False
    event = transition(qtsp, QTSP.Status.LAPSED, actor=None,
                       note=_("The approval term ended on %(date)s.") % {"date": qtsp.approved_until})
    outbox_enqueue_template(
        key=f"qtsp-status:{qtsp.pk}:{event.pk}", to=_contacts(qtsp), template="partners/email/qtsp_lapsed",
        context={"qtsp": qtsp, "reapproval_url": reverse("partners:reapproval", kwargs={"qtsp_id": qtsp.pk})},
    )
    return True


def approval_terms_run(*, today: date | None = None) -> dict[str, int]:
    """Remind QTSPs whose term ends soon and lapse those whose term has ended; safe to run twice."""
    today = today or timezone.localdate()
    horizon = today + timedelta(days=max(settings.QTSP_APPROVAL_REMINDER_DAYS, default=0))
    reminded = 0
    for qtsp in QTSP.objects.approved().filter(approved_until__gte=today, approved_until__lte=horizon):
        with transaction.atomic():
            reminded += _remind(qtsp, today)
    lapsed = sum(_lapse(pk, today) for pk in QTSP.objects.approved().filter(approved_until__lt=today)
                 .values_list("pk", flat=True))
    if lapsed:
        logger.info("QTSP approval terms: %s lapsed", lapsed)
    return {"reminded": reminded, "lapsed": lapsed}
