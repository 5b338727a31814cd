"""Moving a workflow row: the one writer every app's services use."""

from __future__ import annotations

from collections.abc import Iterable

from audit.models import AuditAction
from audit.services import audit_record, staff_account
from workflows.models import Workflow, WorkflowEvent


def transition(obj: Workflow, to: str, *, actor, note: str = "", update_fields: Iterable[str] = (),
               **event_fields) -> WorkflowEvent:
    """Move ``obj`` (re-read under lock by the caller) to ``to``: check the table, save, write the event.

    Raises ``InvalidTransition`` when the table has no such edge. ``update_fields`` names the other fields
    the caller changed on ``obj`` (timestamps, reasons); ``event_fields`` go onto the event row.
    """
    obj.check_transition(to)
    from_status = obj.status
    obj.status = to
    obj.save(update_fields=list(dict.fromkeys(["status", *update_fields])))
    return event_record(obj, actor=actor, note=note, from_status=from_status, **event_fields)


def event_record(obj: Workflow, *, actor, note: str = "", from_status: str | None = None,
                 **event_fields) -> WorkflowEvent:
    """Write one history line for ``obj`` without moving it (creation, or a fact staff should know).

    A staff member's line also goes to the audit trail, with the address the request came from.
    """
    event = obj.events.create(
        from_status=obj.status if from_status is None else from_status,
        to_status=obj.status, actor=actor, note=note, **event_fields,
    )
    if staff_account(actor):
        moved = event.from_status != event.to_status
        audit_record(action=AuditAction.STATUS_CHANGE if moved else AuditAction.EVENT, actor=actor, obj=obj,
                     changes={"from": event.from_status, "to": event.to_status})
    return event
