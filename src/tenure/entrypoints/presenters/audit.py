"""The audit trail."""

from __future__ import annotations

from typing import Any

from tenure.services.encoding import plain_dict
from tenure.services.repositories.audit import AuditEntry


def audit_entry_dict(e: AuditEntry) -> dict[str, Any]:
    return plain_dict(
        {
            "at": e.at,
            "actor": e.actor,
            "action": e.action,
            "entity": e.entity,
            "entity_id": e.entity_id,
            "before": e.before,
            "after": e.after,
        }
    )
