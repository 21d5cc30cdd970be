"""Contracts in memory. The aggregate is mutable, so the store never hands out its own object: a
loaded contract is a private copy of that contract alone (its catalog, plan and customer are
immutable and shared), and a commit stores a copy of what the transaction changed."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from datetime import date

from tenure.adapters.memory.overlay import Overlay
from tenure.adapters.memory.tables import DELETED, MISSING
from tenure.domain.contract import Contract
from tenure.services.errors import UnknownContract
from tenure.services.repositories.contracts import ContractRepository, DueContract

TABLE = "contracts"


def private_copy(contract: Contract) -> Contract:
    """A deep copy of ``contract`` that shares its immutable parts (catalog, vendor, plan,
    customer, scheduled change) instead of copying them."""
    shared = (
        contract.catalog,
        contract.vendor,
        contract.plan,
        contract.customer,
        contract.scheduled_change,
    )
    return copy.deepcopy(contract, {id(part): part for part in shared})


class MemoryContracts(ContractRepository):
    def __init__(self, overlay: Overlay) -> None:
        self._t = overlay

    def add(self, vendor_id: str, contract: Contract) -> None:
        key = (vendor_id, contract.id)
        self._t.level.expected.setdefault((TABLE, key), MISSING)  # a new id
        self._t.level.loaded[key] = contract

    def get(self, vendor_id: str, contract_id: str, lock: bool = True) -> Contract:
        key = (vendor_id, contract_id)
        loaded = self._t.level.loaded.get(key)
        if loaded is not None:
            return loaded
        stored = self._t.get_for_update(TABLE, key) if lock else self._t.get(TABLE, key, MISSING)
        if stored is MISSING or stored is DELETED:
            raise UnknownContract(f"no contract {contract_id!r}")
        contract = private_copy(stored)
        # The customer as it is now (as SQL joins it): a changed customer's new data goes on
        # the documents issued afterwards.
        customer = self._t.get("customers", (vendor_id, contract.customer.id))
        if customer is not None:
            contract.customer = customer
        if lock:
            self._t.level.loaded[key] = contract
        return contract

    def flush(self) -> None:
        """Write the contracts loaded for change at this level into its writes (as copies: the
        caller keeps its object, and changes it may make later are not stored)."""
        level = self._t.level
        for key, contract in level.loaded.items():
            self._t.put(TABLE, key, private_copy(contract))
        level.loaded.clear()

    def due(
        self, vendor_id: str, live_until: date, clocks: Mapping[str, date]
    ) -> list[DueContract]:
        due = []
        for (vendor, contract_id), contract in self._t.scan(TABLE):
            if vendor != vendor_id or (next_due := contract.next_due_date()) is None:
                continue
            clock = contract.customer.test_clock_id
            until = live_until if clock is None else clocks.get(clock)
            if until is not None and next_due <= until:
                zone = contract.vendor.timezone
                due.append(DueContract(vendor, contract_id, next_due, clock, zone))
        return sorted(due, key=lambda d: d.contract_id)

    def ids(self, vendor_id: str, customer_id: str | None = None) -> list[str]:
        return [
            contract_id
            for (vendor, contract_id), c in self._t.scan(TABLE)
            if vendor == vendor_id and customer_id in (None, c.customer.id)
        ]
