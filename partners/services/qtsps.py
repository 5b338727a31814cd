"""The QTSP application and the committee's decisions on it (approve, reject, suspend, reinstate)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from notifications.services import outbox_enqueue_template
from partners.conflicts import qtsp_people
from partners.models import QTSP, QTSPDocument
from partners.services.terms import term_end
from partners.staff import qtsp_staff
from staff.models import StaffRole
from workflows.conflicts import decision_conflict_check
from workflows.services import event_record, transition


@transaction.atomic
def qtsp_apply(*, actor, levels, documents=(), **fields) -> QTSP:
    """An organization applies to become a QTSP; the committee decides in the admin."""
    qtsp = QTSP(applied_by=actor, status=QTSP.Status.SUBMITTED, submitted_at=timezone.now(), **fields)
    qtsp.full_clean(exclude=["levels"])
    qtsp.save()
    qtsp.levels.set(levels)
    for upload in documents:
        QTSPDocument.objects.create(qtsp=qtsp, file=upload, original_name=upload.name)
    event_record(qtsp, actor=actor, from_status="")
    outbox_enqueue_template(
        key=f"qtsp-submitted:{qtsp.pk}",
        to=_recipients(qtsp, actor),
        template="partners/email/qtsp_submitted",
        context={"qtsp": qtsp},
    )
    return qtsp


def _recipients(qtsp: QTSP, actor=None) -> list[str]:
    emails = [qtsp.contact_email.lower()]
    if actor is not None and actor.is_authenticated and actor.email.lower() not in emails:
        emails.append(actor.email.lower())
    return emails


@transaction.atomic
def qtsp_transition(*, qtsp: QTSP, to_status: str, actor, note: str = "") -> QTSP:
    """Move a QTSP along its workflow; refuses a move the table does not allow; records the event."""
    qtsp = QTSP.objects.select_for_update().get(pk=qtsp.pk)
    if actor is not None:
        decision_conflict_check(decider=actor, person=None, people=qtsp_people(qtsp))
    qtsp.check_transition(to_status)
    if to_status in {QTSP.Status.REJECTED, QTSP.Status.SUSPENDED} and not note.strip():
        raise ValidationError(_("Give the reasons; they are sent to the organization."))
    from_status = qtsp.status
    first_approval = to_status == QTSP.Status.APPROVED and qtsp.approved_at is None
    if from_status == QTSP.Status.LAPSED:
        raise ValidationError(_("A lapsed QTSP comes back through a re-approval application."))
    if first_approval:
        qtsp.approved_at = timezone.now()
        qtsp.approved_until = term_end(timezone.localdate())
    event = transition(qtsp, to_status, actor=actor, note=note,
                       update_fields=["approved_at", "approved_until"] if first_approval else ())
    outbox_enqueue_template(
        key=f"qtsp-status:{qtsp.pk}:{event.pk}",
        to=_recipients(qtsp, qtsp.applied_by),
        template=f"partners/email/qtsp_{to_status}",
        context={"qtsp": qtsp, "note": note, "reinstated": from_status == QTSP.Status.SUSPENDED},
    )
    if first_approval:
        # The contact becomes the first owner by accepting (or by signing up with that address).
        qtsp_staff.invite(organisation=qtsp, email=qtsp.contact_email, role=StaffRole.OWNER, actor=actor)
    return qtsp


def qtsp_approve(*, qtsp: QTSP, actor, note: str = "") -> QTSP:
    return qtsp_transition(qtsp=qtsp, to_status=QTSP.Status.APPROVED, actor=actor, note=note)


def qtsp_reject(*, qtsp: QTSP, actor, note: str) -> QTSP:
    return qtsp_transition(qtsp=qtsp, to_status=QTSP.Status.REJECTED, actor=actor, note=note)


def qtsp_suspend(*, qtsp: QTSP, actor, note: str) -> QTSP:
    return qtsp_transition(qtsp=qtsp, to_status=QTSP.Status.SUSPENDED, actor=actor, note=note)


def qtsp_require_active(qtsp: QTSP) -> None:
    """Refuse changes for a QTSP that is not approved or past its term (read fresh: the caller's copy may be old)."""
    qtsp.status, qtsp.approved_until = QTSP.objects.values_list("status", "approved_until").get(pk=qtsp.pk)
    if qtsp.status == QTSP.Status.APPROVED and qtsp.approved_until and qtsp.approved_until < timezone.localdate():
        raise ValidationError(
            _("The approval of %(qtsp)s ended on %(date)s: apply for re-approval to record training again.")
            % {"qtsp": qtsp.name, "date": qtsp.approved_until}
        )
    if qtsp.status != QTSP.Status.APPROVED:
        raise ValidationError(
            _("%(qtsp)s is %(status)s: its programmes and rosters cannot be changed until the committee "
              "reinstates it.") % {"qtsp": qtsp.name, "status": qtsp.get_status_display().lower()}
        )
