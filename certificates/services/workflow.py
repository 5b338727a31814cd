from certificates.models.workflow import Event, Workflow


def transition(obj: Workflow, to_status: str, *, actor, note: str = "", extra_fields=()) -> Event:
    """Move a locked row along its transitions table, save only what changed, and write the event."""
    obj.check_transition(to_status)
    from_status = obj.status
    obj.status = to_status
    obj.save(update_fields=["status", *extra_fields])
    return obj.events.create(from_status=from_status, to_status=to_status, actor=actor, note=note)
