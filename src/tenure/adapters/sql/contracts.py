"""The contract aggregate mapped to its tables by hand (decision 0007): one query per table to
load, the contract row saved with an optimistic version check, the child rows replaced, and an
audit entry with the row before and after."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Row, delete, insert, select, update

from tenure.adapters.sql import codec, paging
from tenure.adapters.sql import tables as t
from tenure.adapters.sql.base import CATALOG_VERSIONS, SqlBase, period_or_none
from tenure.domain.booking import AddonBooking, BookingStatus
from tenure.domain.calendar import BillingCycle, BillingSchedule
from tenure.domain.cancellation import Cancellation, CancellationKind, CancellationStatus
from tenure.domain.charges import Charge, LineKind, PendingItem
from tenure.domain.contract import Contract, ContractStatus, EntitlementGrant, ScheduledChange
from tenure.domain.customer import Customer
from tenure.domain.money import Money
from tenure.services.errors import ConcurrencyConflict, UnknownContract
from tenure.services.paging import Page


class SqlContracts(SqlBase):
    def _flush(self) -> None:
        for (vendor_id, _), (contract, before) in self._contracts.items():
            self._save_contract(vendor_id, contract, before)

    # ------------------------------------------------------------------ contracts

    def add_contract(self, vendor_id: str, contract: Contract) -> None:
        version = self.conn.execute(
            select(t.vendors.c.current_catalog_version).where(t.vendors.c.id == vendor_id)
        ).scalar_one()
        self._catalog_versions[id(contract)] = version
        self._contracts[(vendor_id, contract.id)] = (contract, None)

    def contract(self, vendor_id: str, contract_id: str, lock: bool = True) -> Contract:
        key = (vendor_id, contract_id)
        if key in self._contracts:
            return self._contracts[key][0]
        query = select(t.contracts).where(
            t.contracts.c.vendor_id == vendor_id, t.contracts.c.id == contract_id
        )
        row = self.conn.execute(query.with_for_update() if lock else query).first()
        if row is None:
            raise UnknownContract(f"no contract {contract_id!r}")
        contract = self._load_contract(vendor_id, row)
        if lock:
            self._contracts[key] = (contract, _contract_values(contract))
        return contract

    def contracts_due(self, vendor_id: str | None, until: date) -> list[tuple[str, str]]:
        query = (
            select(t.contracts.c.vendor_id, t.contracts.c.id)
            .where(t.contracts.c.next_due_date <= until)
            .order_by(t.contracts.c.vendor_id, t.contracts.c.id)
        )
        if vendor_id is not None:
            query = query.where(t.contracts.c.vendor_id == vendor_id)
        return [(r[0], r[1]) for r in self.conn.execute(query)]

    def contracts_for_reading(
        self, vendor_id: str, customer_id: str | None = None
    ) -> list[Contract]:
        # Five queries whatever the number of contracts: contracts, their customers, and each
        # child table once, restricted to the same contracts by a subquery.
        query = select(t.contracts).where(t.contracts.c.vendor_id == vendor_id)
        if customer_id is not None:
            query = query.where(t.contracts.c.customer_id == customer_id)
        rows = self.conn.execute(query.order_by(t.contracts.c.id)).all()
        chosen = query.with_only_columns(t.contracts.c.id)
        return self._hydrate(
            vendor_id, rows, chosen, query.with_only_columns(t.contracts.c.customer_id)
        )

    def contracts_page(
        self,
        vendor_id: str,
        after: str | None,
        limit: int,
        customer_id: str | None = None,
        status: ContractStatus | None = None,
    ) -> Page[Contract]:
        c = t.contracts.c
        query = select(t.contracts).where(c.vendor_id == vendor_id)
        if customer_id is not None:
            query = query.where(c.customer_id == customer_id)
        if status is not None:
            query = query.where(c.status == status.value)
        found = paging.keyset(self.conn, query, [c.id], after, limit)
        ids = [r.id for r in found.items]
        customers = {r.customer_id for r in found.items}
        return Page(self._hydrate(vendor_id, found.items, ids, customers), found.next)

    def _hydrate(
        self, vendor_id: str, rows: Sequence[Row[Any]], ids: Any, customer_ids: Any
    ) -> list[Contract]:
        """Contracts from their rows: customers and each child table in one query each, for the
        contracts in ``ids`` and customers in ``customer_ids`` (lists or subqueries)."""
        if not rows:
            return []
        customers = {
            c.id: c for c in self._customers_where(t.customers.c.id.in_(customer_ids), vendor_id)
        }
        children: dict[Any, dict[str, list[Row[Any]]]] = {}
        for table in (t.bookings, t.pending_items, t.cancellations):
            grouped = children[table] = {}
            for child in self.conn.execute(
                select(table)
                .where(table.c.vendor_id == vendor_id, table.c.contract_id.in_(ids))
                .order_by(table.c.contract_id, table.c.position)
            ):
                grouped.setdefault(child.contract_id, []).append(child)
        return [
            self._build_contract(
                vendor_id,
                row,
                customers[row.customer_id],
                *(children[table].get(row.id, []) for table in children),
            )
            for row in rows
        ]

    def _load_contract(self, vendor_id: str, row: Row[Any]) -> Contract:
        where = {"vendor_id": vendor_id, "contract_id": row.id}
        return self._build_contract(
            vendor_id,
            row,
            self.customer(vendor_id, row.customer_id),
            self._children(t.bookings, where),
            self._children(t.pending_items, where),
            self._children(t.cancellations, where),
        )

    def _build_contract(
        self,
        vendor_id: str,
        row: Row[Any],
        customer: Customer,
        bookings: Sequence[Row[Any]],
        pending: Sequence[Row[Any]],
        cancellations: Sequence[Row[Any]],
    ) -> Contract:
        catalog = self._catalog(vendor_id, row.catalog_version)
        plan = codec.plan_from_json(row.plan)
        contract: Contract = object.__new__(Contract)
        c: Any = contract
        c.id, c.catalog, c.vendor = row.id, catalog, catalog.vendor
        c.customer = customer
        c.plan, c.seats, c.start = plan, row.seats, row.start
        c.schedule = BillingSchedule(
            start=row.start, anchor=row.schedule_anchor, cycle=BillingCycle(row.schedule_cycle)
        )
        c.status = ContractStatus(row.status)
        c.end_date, c.plan_covered_until = row.end_date, row.plan_covered_until
        c.next_bill_date, c.processed_through = row.next_bill_date, row.processed_through
        c.scheduled_change = (
            ScheduledChange(
                codec.plan_from_json(row.scheduled_change["plan"]),
                row.scheduled_change["seats"],
                date.fromisoformat(row.scheduled_change["effective_on"]),
            )
            if row.scheduled_change
            else None
        )
        c.events, c.version, c._sequence = [], row.version, row.sequence
        c.bookings = {
            b.id: AddonBooking(
                id=b.id,
                addon=b.addon,
                quantity=b.quantity,
                booked_at=b.booked_at,
                booked_on=b.booked_on,
                status=BookingStatus(b.status),
                covered_until=b.covered_until,
                ends_on=b.ends_on,
                withdrawal_last_day=b.withdrawal_last_day,
            )
            for b in bookings
        }
        c.pending = [
            PendingItem(
                p.id,
                Charge(
                    kind=LineKind(p.kind),
                    item=p.item,
                    description=p.description,
                    period=period_or_none(p.period_start, p.period_end),
                    quantity=Decimal(p.quantity),
                    unit_price=Decimal(p.unit_price),
                    net=Money.from_minor(p.net_minor, p.currency).amount,
                    source=p.source,
                ),
                p.created_on,
            )
            for p in pending
        ]
        c.cancellations = [
            Cancellation(
                id=x.id,
                kind=CancellationKind(x.kind),
                received_at=x.received_at,
                received_on=x.received_on,
                requested_end=x.requested_end,
                effective_end=x.effective_end,
                status=CancellationStatus(x.status),
                email=x.email,
                reason=x.reason,
                decision_reason=x.decision_reason,
            )
            for x in cancellations
        ]
        self._catalog_versions[id(contract)] = row.catalog_version
        return contract

    def _children(self, table: Any, where: dict[str, str]) -> Sequence[Row[Any]]:
        return self.conn.execute(
            select(table)
            .where(table.c.vendor_id == where["vendor_id"])
            .where(table.c.contract_id == where["contract_id"])
            .order_by(table.c.position)
        ).all()

    def _save_contract(
        self, vendor_id: str, contract: Contract, before: dict[str, Any] | None
    ) -> None:
        values = _contract_values(contract)
        values["catalog_version"] = CATALOG_VERSIONS.get(
            id(contract.catalog), self._catalog_versions[id(contract)]
        )
        if before is not None and values == {
            **before,
            "catalog_version": values["catalog_version"],
        }:
            return
        # The read model goes with the row; the audit trail records the state it derives from.
        timeline = codec.timeline_to_json(contract.entitlement_timeline())
        if before is None:
            self.conn.execute(
                insert(t.contracts).values(vendor_id=vendor_id, entitlements=timeline, **values)
            )
        else:
            result = self.conn.execute(
                update(t.contracts)
                .where(
                    t.contracts.c.vendor_id == vendor_id,
                    t.contracts.c.id == contract.id,
                    t.contracts.c.version == before["version"],
                )
                .values(entitlements=timeline, **values)
            )
            if result.rowcount != 1:
                raise ConcurrencyConflict(f"contract {contract.id} was changed meanwhile")
        for table in (t.bookings, t.pending_items, t.cancellations):
            self.conn.execute(
                delete(table).where(
                    table.c.vendor_id == vendor_id, table.c.contract_id == contract.id
                )
            )
        self._insert_children(vendor_id, contract)
        self.conn.execute(
            insert(t.audit_log).values(
                vendor_id=vendor_id,
                at=self._clock.now(),
                actor=self._actor,
                action="contract.created" if before is None else "contract.changed",
                entity="contract",
                entity_id=contract.id,
                before=_jsonable(before),
                after=_jsonable(values),
            )
        )

    def _insert_children(self, vendor_id: str, contract: Contract) -> None:
        key = {"vendor_id": vendor_id, "contract_id": contract.id}
        if contract.bookings:
            self.conn.execute(
                insert(t.bookings),
                [
                    {
                        **key,
                        "id": b.id,
                        "position": i,
                        "addon": b.addon,
                        "quantity": b.quantity,
                        "booked_at": b.booked_at,
                        "booked_on": b.booked_on,
                        "status": b.status.value,
                        "covered_until": b.covered_until,
                        "ends_on": b.ends_on,
                        "withdrawal_last_day": b.withdrawal_last_day,
                    }
                    for i, b in enumerate(contract.bookings.values())
                ],
            )
        if contract.pending:
            self.conn.execute(
                insert(t.pending_items),
                [
                    {
                        **key,
                        "id": p.id,
                        "position": i,
                        "created_on": p.created_on,
                        "kind": p.charge.kind.value,
                        "item": p.charge.item,
                        "description": p.charge.description,
                        "period_start": p.charge.period.start if p.charge.period else None,
                        "period_end": p.charge.period.end if p.charge.period else None,
                        "quantity": str(p.charge.quantity),
                        "unit_price": str(p.charge.unit_price),
                        "net_minor": Money(p.charge.net, contract.currency).minor,
                        "currency": contract.currency,
                        "source": p.charge.source,
                    }
                    for i, p in enumerate(contract.pending)
                ],
            )
        if contract.cancellations:
            self.conn.execute(
                insert(t.cancellations),
                [
                    {
                        **key,
                        "id": x.id,
                        "position": i,
                        "kind": x.kind.value,
                        "received_at": x.received_at,
                        "received_on": x.received_on,
                        "requested_end": x.requested_end,
                        "effective_end": x.effective_end,
                        "status": x.status.value,
                        "email": x.email,
                        "reason": x.reason,
                        "decision_reason": x.decision_reason,
                    }
                    for i, x in enumerate(contract.cancellations)
                ],
            )

    def entitlement_timelines(
        self, vendor_id: str, customer_id: str
    ) -> list[tuple[EntitlementGrant, ...]]:
        rows = self.conn.execute(
            select(t.contracts.c.id, t.contracts.c.entitlements)
            .where(t.contracts.c.vendor_id == vendor_id, t.contracts.c.customer_id == customer_id)
            .order_by(t.contracts.c.id)
        ).all()
        return [
            codec.timeline_from_json(row.entitlements)
            if row.entitlements is not None
            else self.contract(vendor_id, row.id, lock=False).entitlement_timeline()
            for row in rows
        ]

    def contract_ids(self, vendor_id: str, customer_id: str | None = None) -> list[str]:
        query = select(t.contracts.c.id).where(t.contracts.c.vendor_id == vendor_id)
        if customer_id is not None:
            query = query.where(t.contracts.c.customer_id == customer_id)
        return list(self.conn.execute(query.order_by(t.contracts.c.id)).scalars())


def _contract_values(contract: Contract) -> dict[str, Any]:
    change = contract.scheduled_change
    return {
        "id": contract.id,
        "customer_id": contract.customer.id,
        "plan": codec.plan_to_json(contract.plan),
        "seats": contract.seats,
        "start": contract.start,
        "schedule_anchor": contract.schedule.anchor,
        "schedule_cycle": contract.schedule.cycle.value,
        "status": contract.status.value,
        "end_date": contract.end_date,
        "plan_covered_until": contract.plan_covered_until,
        "next_bill_date": contract.next_bill_date,
        "processed_through": contract.processed_through,
        "next_due_date": contract.next_due_date(),
        "scheduled_change": (
            {
                "plan": codec.plan_to_json(change.plan),
                "seats": change.seats,
                "effective_on": change.effective_on.isoformat(),
            }
            if change
            else None
        ),
        "sequence": contract._sequence,
        "version": contract.version,
    }


def _jsonable(values: dict[str, Any] | None) -> dict[str, Any] | None:
    if values is None:
        return None
    return {k: v.isoformat() if isinstance(v, date) else v for k, v in values.items()}
