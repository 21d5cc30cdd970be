"""Vendors with their catalog versions, customers, test clocks and the audit log in memory."""

from __future__ import annotations

import builtins
from typing import Any

from tenure.adapters.memory.overlay import Overlay
from tenure.adapters.memory.tables import MISSING
from tenure.domain.catalog import Catalog
from tenure.domain.customer import Customer
from tenure.services.errors import UnknownCustomer, UnknownTestClock, UnknownVendor
from tenure.services.repositories.audit import AuditEntry, AuditLog
from tenure.services.repositories.customers import CustomerRepository
from tenure.services.repositories.test_clocks import TestClock, TestClockRepository
from tenure.services.repositories.vendors import VendorRepository


class MemoryVendors(VendorRepository):
    def __init__(self, overlay: Overlay) -> None:
        self._t = overlay

    def add(self, vendor_id: str, catalog: Catalog) -> int:
        last = self._t.get_for_update("catalog_versions", vendor_id)
        version = 1 if last is MISSING else int(last) + 1
        self._t.put("catalog_versions", vendor_id, version)
        self._t.put("catalogs", vendor_id, catalog)
        return version

    def catalog(self, vendor_id: str) -> Catalog:
        catalog: Catalog | None = self._t.get("catalogs", vendor_id)
        if catalog is None:
            raise UnknownVendor(f"no vendor {vendor_id!r}")
        return catalog

    def list(self) -> builtins.list[str]:
        return sorted(vendor_id for vendor_id, _ in self._t.scan("catalogs"))


class MemoryCustomers(CustomerRepository):
    def __init__(self, overlay: Overlay) -> None:
        self._t = overlay

    def add(self, vendor_id: str, customer: Customer) -> None:
        self._t.put("customers", (vendor_id, customer.id), customer)

    def get(self, vendor_id: str, customer_id: str, lock: bool = False) -> Customer:
        key = (vendor_id, customer_id)
        found = self._t.get_for_update("customers", key) if lock else self._t.get("customers", key)
        if found is None or found is MISSING:
            raise UnknownCustomer(f"no customer {customer_id!r}")
        customer: Customer = found
        return customer

    def update(self, vendor_id: str, before: Customer, after: Customer) -> None:
        self._t.put("customers", (vendor_id, after.id), after)

    def delete(self, vendor_id: str, customer: Customer) -> None:
        self._t.delete("customers", (vendor_id, customer.id))

    def list(self, vendor_id: str, livemode: bool | None = None) -> builtins.list[Customer]:
        return [
            c
            for (vendor, _), c in self._t.scan("customers")
            if vendor == vendor_id and livemode in (None, c.livemode)
        ]


class MemoryTestClocks(TestClockRepository):
    def __init__(self, overlay: Overlay) -> None:
        self._t = overlay

    def add(self, vendor_id: str, clock: TestClock) -> None:
        self._t.put("clocks", (vendor_id, clock.id), clock)

    def get(self, vendor_id: str, clock_id: str, lock: bool = False) -> TestClock:
        key = (vendor_id, clock_id)
        clock = self._t.get_for_update("clocks", key) if lock else self._t.get("clocks", key)
        if clock is None or clock is MISSING:
            raise UnknownTestClock(f"no test clock {clock_id!r}")
        found: TestClock = clock
        return found

    def update(self, vendor_id: str, clock: TestClock) -> None:
        self._t.put("clocks", (vendor_id, clock.id), clock)

    def list(self, vendor_id: str) -> builtins.list[TestClock]:
        return [c for (vendor, _), c in self._t.scan("clocks") if vendor == vendor_id]


class MemoryAuditLog(AuditLog):
    """The in-memory store keeps no audit trail."""

    def list(self, vendor_id: str, entity_id: str | None = None) -> builtins.list[AuditEntry]:
        return []

    def record(
        self,
        vendor_id: str,
        action: str,
        entity: str,
        entity_id: str,
        before: dict[str, Any] | None,
        after: dict[str, Any] | None,
    ) -> None:
        """Nothing is kept (see the class)."""
