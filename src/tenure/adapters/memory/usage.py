"""Usage records in memory, with each contract's unbilled keys kept as an index."""

from __future__ import annotations

from datetime import date

from tenure.adapters.memory.overlay import Overlay
from tenure.adapters.memory.tables import MISSING
from tenure.domain.usage import UsageRecord
from tenure.services.errors import ConcurrencyConflict
from tenure.services.repositories.usage import UsageRepository


class MemoryUsage(UsageRepository):
    def __init__(self, overlay: Overlay) -> None:
        self._t = overlay

    def get(self, vendor_id: str, key: str) -> UsageRecord | None:
        found: UsageRecord | None = self._t.get("usage", (vendor_id, key))
        return found

    def add(self, vendor_id: str, record: UsageRecord) -> None:
        self.add_many(vendor_id, [record])

    def get_many(self, vendor_id: str, keys: list[str]) -> dict[str, UsageRecord]:
        found = (self._t.get("usage", (vendor_id, key)) for key in keys)
        return {r.key: r for r in found if r is not None}

    def add_many(self, vendor_id: str, records: list[UsageRecord]) -> None:
        by_contract: dict[str, list[str]] = {}
        for record in records:
            if self._t.get_for_update("usage", (vendor_id, record.key)) is not MISSING:
                raise ConcurrencyConflict(f"usage key {record.key!r} was recorded meanwhile")
            self._t.put("usage", (vendor_id, record.key), record)
            by_contract.setdefault(record.contract_id, []).append(record.key)
        for contract_id, keys in by_contract.items():
            old = self._unbilled_keys(vendor_id, contract_id)
            self._t.put("unbilled", (vendor_id, contract_id), (*old, *keys))

    def unbilled(self, vendor_id: str, contract_id: str, before: date) -> list[UsageRecord]:
        keys = self._t.get("unbilled", (vendor_id, contract_id), ())
        records = [self._t.get("usage", (vendor_id, key)) for key in keys]
        return sorted(
            (r for r in records if r.occurred_on < before), key=lambda r: (r.occurred_at, r.key)
        )

    def mark_billed(self, vendor_id: str, records: list[UsageRecord], number: str) -> None:
        by_contract: dict[str, set[str]] = {}
        for record in records:
            self._t.put("usage_billed", (vendor_id, record.key), number)
            by_contract.setdefault(record.contract_id, set()).add(record.key)
        for contract_id, done in by_contract.items():
            old = self._unbilled_keys(vendor_id, contract_id)
            self._t.put(
                "unbilled", (vendor_id, contract_id), tuple(k for k in old if k not in done)
            )

    def _unbilled_keys(self, vendor_id: str, contract_id: str) -> tuple[str, ...]:
        """The contract's unbilled keys, read for change (concurrent changes conflict)."""
        keys = self._t.get_for_update("unbilled", (vendor_id, contract_id))
        return () if keys is MISSING else tuple(keys)
