"""Reading the audit trail."""

from __future__ import annotations

from django.db.models import QuerySet

from audit.models import AuditEntry


def audit_entries_by(user) -> QuerySet[AuditEntry]:
    """What ``user`` did, newest first."""
    return AuditEntry.objects.filter(actor=user).only("created_at", "action", "object_repr", "address")
