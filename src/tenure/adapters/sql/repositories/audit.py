"""The audit log in SQL: :meth:`SqlAuditLog.record` writes every entry (contract saves in
:mod:`.contract_rows`, customer changes, webhook endpoint changes)."""

from __future__ import annotations

import builtins
from typing import Any

from sqlalchemy import Row, Select, insert, select

from tenure.adapters.sql import paging
from tenure.adapters.sql import tables as t
from tenure.adapters.sql.session import Session
from tenure.services.paging import Page
from tenure.services.repositories.audit import AuditEntry, AuditLog


class SqlAuditLog(AuditLog):
    def __init__(self, session: Session) -> None:
        self._s = session

    def list(self, vendor_id: str, entity_id: str | None = None) -> builtins.list[AuditEntry]:
        rows = self._s.execute(self._query(vendor_id, entity_id).order_by(t.audit_log.c.id))
        return [_entry(r) for r in rows]

    def record(
        self,
        vendor_id: str,
        action: str,
        entity: str,
        entity_id: str,
        before: dict[str, Any] | None,
        after: dict[str, Any] | None,
    ) -> None:
        self._s.execute(
            insert(t.audit_log).values(
                vendor_id=vendor_id,
                at=self._s.clock.now(),
                actor=self._s.actor,
                action=action,
                entity=entity,
                entity_id=entity_id,
                before=before,
                after=after,
            )
        )

    def page(
        self, vendor_id: str, after: str | None, limit: int, entity_id: str | None = None
    ) -> Page[AuditEntry]:
        query = self._query(vendor_id, entity_id)
        found = paging.keyset(self._s, query, [t.audit_log.c.id], after, limit)
        return Page([_entry(r) for r in found.items], found.next)

    def _query(self, vendor_id: str, entity_id: str | None) -> Select[Any]:
        query = select(t.audit_log).where(t.audit_log.c.vendor_id == vendor_id)
        if entity_id is not None:
            query = query.where(t.audit_log.c.entity_id == entity_id)
        return query


def _entry(r: Row[Any]) -> AuditEntry:
    return AuditEntry(r.at, r.actor, r.action, r.entity, r.entity_id, r.before, r.after)
