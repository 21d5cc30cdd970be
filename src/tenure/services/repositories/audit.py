"""The audit log: who changed what, with the state before and after."""

from __future__ import annotations

import abc
import builtins
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tenure.services.paging import Page, offset_page


@dataclass(frozen=True, slots=True)
class AuditEntry:
    at: datetime
    actor: str
    action: str
    entity: str
    entity_id: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None


class AuditLog(abc.ABC):
    @abc.abstractmethod
    def list(self, vendor_id: str, entity_id: str | None = None) -> builtins.list[AuditEntry]:
        """The audit trail, oldest first (the in-memory store keeps none)."""

    @abc.abstractmethod
    def record(
        self,
        vendor_id: str,
        action: str,
        entity: str,
        entity_id: str,
        before: dict[str, Any] | None,
        after: dict[str, Any] | None,
    ) -> None:
        """Append an entry at the transaction's time, by its actor (the in-memory store keeps
        none)."""

    def page(
        self, vendor_id: str, after: str | None, limit: int, entity_id: str | None = None
    ) -> Page[AuditEntry]:
        """The audit trail, oldest first (in memory by offset; the SQL store pages by key)."""
        return offset_page(self.list(vendor_id, entity_id), after, limit)
