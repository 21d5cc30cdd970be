"""Contracts in SQL: one query per table to load one, five to load many; contracts loaded for
change are kept in an identity map and saved (see :mod:`.contract_rows`) when the unit of work
flushes before it commits."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from sqlalchemy import Row, and_, or_, select

from tenure.adapters.sql import codec, paging
from tenure.adapters.sql import tables as t
from tenure.adapters.sql.repositories.contract_rows import (
    CHILD_TABLES,
    build_contract,
    contract_values,
    save_contract,
)
from tenure.adapters.sql.repositories.customers import customers_where, sandbox_customers
from tenure.adapters.sql.repositories.vendors import (
    CATALOG_VERSIONS,
    catalog_version,
    current_version,
)
from tenure.adapters.sql.session import Session
from tenure.domain.contract import Contract, ContractStatus, EntitlementGrant
from tenure.services.errors import UnknownContract, UnknownVendor
from tenure.services.paging import Page
from tenure.services.read_models import contract_view
from tenure.services.repositories.contracts import ContractRepository, DueContract


class SqlContracts(ContractRepository):
    def __init__(self, session: Session) -> None:
        self._s = session
        #: Contracts loaded for change (or added), by (vendor, id), with their row as loaded
        #: (None: new).
        self._loaded: dict[tuple[str, str], tuple[Contract, dict[str, Any] | None]] = {}
        #: The catalog version each contract was loaded on (by object id).
        self._catalog_versions: dict[int, int] = {}

    # ------------------------------------------------------------------ the identity map

    def flush(self) -> None:
        """Save every contract loaded for change, then forget them (before a commit or a
        savepoint)."""
        for (vendor_id, _), (contract, before) in self._loaded.items():
            version = CATALOG_VERSIONS.get(
                id(contract.catalog), self._catalog_versions[id(contract)]
            )
            save_contract(self._s, vendor_id, contract, before, version)
        self._loaded.clear()

    def forget(self) -> None:
        """Drop the identity map (on rollback): its changes are not saved."""
        self._loaded.clear()

    # ------------------------------------------------------------------ the repository

    def add(self, vendor_id: str, contract: Contract) -> None:
        version = current_version(self._s, vendor_id)
        if version is None:
            raise UnknownVendor(f"no vendor {vendor_id!r}")
        self._catalog_versions[id(contract)] = version
        self._loaded[(vendor_id, contract.id)] = (contract, None)

    def get(self, vendor_id: str, contract_id: str, lock: bool = True) -> Contract:
        key = (vendor_id, contract_id)
        if key in self._loaded:
            return self._loaded[key][0]
        query = select(t.contracts).where(
            t.contracts.c.vendor_id == vendor_id, t.contracts.c.id == contract_id
        )
        row = self._s.execute(query.with_for_update() if lock else query).first()
        if row is None:
            raise UnknownContract(f"no contract {contract_id!r}")
        where = {"vendor_id": vendor_id, "contract_id": row.id}
        contract = self._build(
            vendor_id,
            row,
            customers_where(self._s, t.customers.c.id == row.customer_id, vendor_id)[0],
            *(self._children(table, where) for table in CHILD_TABLES),
        )
        if lock:
            self._loaded[key] = (contract, contract_values(contract))
        return contract

    def due(
        self, vendor_id: str, live_until: date, clocks: Mapping[str, date]
    ) -> list[DueContract]:
        c, customer = t.contracts.c, t.customers.c
        on_time = [and_(customer.test_clock_id.is_(None), c.next_due_date <= live_until)]
        on_time += [
            and_(customer.test_clock_id == clock, c.next_due_date <= until)
            for clock, until in clocks.items()
        ]
        query = (
            select(c.id, c.next_due_date, c.catalog_version, customer.test_clock_id)
            .join(
                t.customers,
                (customer.vendor_id == c.vendor_id) & (customer.id == c.customer_id),
            )
            .where(c.vendor_id == vendor_id, or_(*on_time))
            .order_by(c.id)
        )
        return [
            DueContract(
                vendor_id,
                row.id,
                row.next_due_date,
                row.test_clock_id,
                catalog_version(self._s, vendor_id, row.catalog_version).vendor.timezone,
            )
            for row in self._s.execute(query)
        ]

    def ids(self, vendor_id: str, customer_id: str | None = None) -> list[str]:
        query = select(t.contracts.c.id).where(t.contracts.c.vendor_id == vendor_id)
        if customer_id is not None:
            query = query.where(t.contracts.c.customer_id == customer_id)
        return list(self._s.execute(query.order_by(t.contracts.c.id)).scalars())

    def for_reading(self, vendor_id: str, customer_id: str | None = None) -> list[Contract]:
        # Five queries whatever the number of contracts: contracts, their customers, and each
        # child table once, restricted to the same contracts by a subquery.
        query = select(t.contracts).where(t.contracts.c.vendor_id == vendor_id)
        if customer_id is not None:
            query = query.where(t.contracts.c.customer_id == customer_id)
        rows = self._s.execute(query.order_by(t.contracts.c.id)).all()
        chosen = query.with_only_columns(t.contracts.c.id)
        return self._hydrate(
            vendor_id, rows, chosen, query.with_only_columns(t.contracts.c.customer_id)
        )

    def view(self, vendor_id: str, contract_id: str) -> dict[str, Any]:
        row = self._s.execute(
            select(t.contracts.c.view).where(
                t.contracts.c.vendor_id == vendor_id, t.contracts.c.id == contract_id
            )
        ).first()
        if row is None:
            raise UnknownContract(f"no contract {contract_id!r}")
        return self._view_of(vendor_id, contract_id, row.view)

    def views_page(
        self,
        vendor_id: str,
        after: str | None,
        limit: int,
        customer_id: str | None = None,
        status: ContractStatus | None = None,
        livemode: bool | None = None,
    ) -> Page[dict[str, Any]]:
        c = t.contracts.c
        query = select(c.view).where(c.vendor_id == vendor_id)
        if livemode is not None:
            sandbox = sandbox_customers(vendor_id)
            mode = c.customer_id.not_in(sandbox) if livemode else c.customer_id.in_(sandbox)
            query = query.where(mode)
        if customer_id is not None:
            query = query.where(c.customer_id == customer_id)
        if status is not None:
            query = query.where(c.status == status.value)
        found = paging.keyset(self._s, query, [c.id], after, limit)
        views = [self._view_of(vendor_id, row._key0, row.view) for row in found.items]
        return Page(views, found.next)

    def _view_of(self, vendor_id: str, contract_id: str, stored: Any) -> dict[str, Any]:
        """The stored view; a row saved before migration 0006 (NULL) is shown from its aggregate
        until its next save writes the view (migration 0007 added ``livemode`` to stored ones)."""
        if stored is not None:
            return dict(stored)
        return contract_view(self.get(vendor_id, contract_id, lock=False))

    def entitlement_timelines(
        self, vendor_id: str, customer_id: str
    ) -> list[tuple[EntitlementGrant, ...]]:
        rows = self._s.execute(
            select(t.contracts.c.id, t.contracts.c.entitlements)
            .where(t.contracts.c.vendor_id == vendor_id, t.contracts.c.customer_id == customer_id)
            .order_by(t.contracts.c.id)
        ).all()
        return [
            codec.timeline_from_json(row.entitlements)
            if row.entitlements is not None
            else self.get(vendor_id, row.id, lock=False).entitlement_timeline()
            for row in rows
        ]

    # ------------------------------------------------------------------ loading

    def _hydrate(
        self, vendor_id: str, rows: Sequence[Row[Any]], ids: Any, customer_ids: Any
    ) -> list[Contract]:
        """Contracts from their rows: customers and each child table in one query each, for the
        contracts in ``ids`` and customers in ``customer_ids`` (lists or subqueries)."""
        if not rows:
            return []
        customers = {
            c.id: c for c in customers_where(self._s, t.customers.c.id.in_(customer_ids), vendor_id)
        }
        children: dict[Any, dict[str, list[Row[Any]]]] = {}
        for table in CHILD_TABLES:
            grouped = children[table] = {}
            for child in self._s.execute(
                select(table)
                .where(table.c.vendor_id == vendor_id, table.c.contract_id.in_(ids))
                .order_by(table.c.contract_id, table.c.position)
            ):
                grouped.setdefault(child.contract_id, []).append(child)
        return [
            self._build(
                vendor_id,
                row,
                customers[row.customer_id],
                *(children[table].get(row.id, []) for table in CHILD_TABLES),
            )
            for row in rows
        ]

    def _build(self, vendor_id: str, row: Row[Any], *parts: Any) -> Contract:
        catalog = catalog_version(self._s, vendor_id, row.catalog_version)
        contract = build_contract(row, catalog, *parts)
        self._catalog_versions[id(contract)] = row.catalog_version
        return contract

    def _children(self, table: Any, where: dict[str, str]) -> Sequence[Row[Any]]:
        return self._s.execute(
            select(table)
            .where(table.c.vendor_id == where["vendor_id"])
            .where(table.c.contract_id == where["contract_id"])
            .order_by(table.c.position)
        ).all()
