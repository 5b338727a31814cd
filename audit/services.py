"""Writing the audit trail: the one function every recorder calls."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType

from audit.models import AuditAction, AuditEntry, actor_label
from ipma_portal.network import current_client_address


def staff_account(user) -> bool:
    """Whose actions the trail records: staff and superusers (the people who decide and administer)."""
    return bool(user is not None and getattr(user, "is_authenticated", False)
                and (user.is_staff or user.is_superuser))


def _address(request=None) -> str | None:
    """The client address ClientAddressMiddleware settled on (the last trusted proxy's view), if any."""
    text = request.META.get("REMOTE_ADDR", "") if request is not None else current_client_address()
    try:
        return str(ipaddress.ip_address(text or ""))
    except ValueError:
        return None


def audit_entry_build(*, action: AuditAction, actor=None, obj=None, changes: dict | None = None,
                      request=None) -> AuditEntry:
    """An unsaved entry (for ``bulk_create``); ``changes`` holds names and states, never secret values."""
    entry = AuditEntry(action=action, changes=changes or {}, address=_address(request))
    if actor is not None and getattr(actor, "pk", None):
        entry.actor, entry.actor_name = actor, actor_label(actor)
    if obj is not None:
        entry.content_type = ContentType.objects.get_for_model(obj, for_concrete_model=False)
        entry.object_id, entry.object_repr = str(obj.pk), str(obj)[:200]
    return entry


def audit_record(*, action: AuditAction, actor=None, obj=None, changes: dict | None = None,
                 request=None) -> AuditEntry:
    """Append one line to the trail: who, what (``obj`` and ``changes``), when, from which address."""
    entry = audit_entry_build(action=action, actor=actor, obj=obj, changes=changes, request=request)
    entry.save(force_insert=True)
    return entry


def audit_record_many(*, action: AuditAction, actor, objects: Iterable, request=None) -> list[AuditEntry]:
    """One line per object in one INSERT (a bulk deletion)."""
    return AuditEntry.objects.bulk_create(
        [audit_entry_build(action=action, actor=actor, obj=obj, request=request) for obj in objects]
    )
