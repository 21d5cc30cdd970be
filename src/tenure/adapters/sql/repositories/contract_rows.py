"""The contract aggregate mapped to its tables by hand (decision 0007): the contract from its row
and child rows, and back: the contract row saved with an optimistic version check, the child rows
replaced, the entitlement read model written with it, and an audit entry with the row before and
after."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Row, delete, insert, update

from tenure.adapters.sql import codec
from tenure.adapters.sql import tables as t
from tenure.adapters.sql.codec import period_or_none
from tenure.adapters.sql.repositories.audit import SqlAuditLog
from tenure.adapters.sql.session import Session
from tenure.domain.booking import AddonBooking, BookingStatus
from tenure.domain.calendar import BillingCycle, BillingSchedule
from tenure.domain.cancellation import Cancellation, CancellationKind, CancellationStatus
from tenure.domain.catalog import Catalog
from tenure.domain.charges import Charge, LineKind, PendingItem
from tenure.domain.contract import Contract, ContractStatus, ScheduledChange
from tenure.domain.customer import Customer
from tenure.domain.money import Money
from tenure.services.errors import ConcurrencyConflict
from tenure.services.read_models import contract_view

CHILD_TABLES = (t.bookings, t.pending_items, t.cancellations)


def build_contract(
    row: Row[Any],
    catalog: Catalog,
    customer: Customer,
    bookings: Sequence[Row[Any]],
    pending: Sequence[Row[Any]],
    cancellations: Sequence[Row[Any]],
) -> Contract:
    """The contract of ``row`` (on ``catalog``, its version's) with its child rows."""
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
            adjusted_reason=x.adjusted_reason,
        )
        for x in cancellations
    ]
    return contract


def save_contract(
    session: Session,
    vendor_id: str,
    contract: Contract,
    before: dict[str, Any] | None,
    catalog_version: int,
) -> None:
    """Insert (``before`` None) or update the contract if it changed since it was loaded as
    ``before``; a row changed meanwhile by another transaction is a ConcurrencyConflict."""
    values = contract_values(contract)
    values["catalog_version"] = catalog_version
    if before is not None and values == {**before, "catalog_version": catalog_version}:
        return
    # The read model goes with the row; the audit trail records the state it derives from.
    timeline = codec.timeline_to_json(contract.entitlement_timeline())
    view = contract_view(contract)
    if before is None:
        session.execute(
            insert(t.contracts).values(
                vendor_id=vendor_id, entitlements=timeline, view=view, **values
            )
        )
    else:
        result = session.execute(
            update(t.contracts)
            .where(
                t.contracts.c.vendor_id == vendor_id,
                t.contracts.c.id == contract.id,
                t.contracts.c.version == before["version"],
            )
            .values(entitlements=timeline, view=view, **values)
        )
        if result.rowcount != 1:
            raise ConcurrencyConflict(f"contract {contract.id} was changed meanwhile")
    for table in CHILD_TABLES:
        session.execute(
            delete(table).where(table.c.vendor_id == vendor_id, table.c.contract_id == contract.id)
        )
    _insert_children(session, vendor_id, contract)
    SqlAuditLog(session).record(
        vendor_id,
        "contract.created" if before is None else "contract.changed",
        "contract",
        contract.id,
        _jsonable(before),
        _jsonable(values),
    )


def _insert_children(session: Session, vendor_id: str, contract: Contract) -> None:
    key = {"vendor_id": vendor_id, "contract_id": contract.id}
    if contract.bookings:
        session.execute(
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
        session.execute(
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
        session.execute(
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
                    "adjusted_reason": x.adjusted_reason,
                }
                for i, x in enumerate(contract.cancellations)
            ],
        )


def contract_values(contract: Contract) -> dict[str, Any]:
    """The contract row's values (without the catalog version)."""
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
