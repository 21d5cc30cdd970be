"""The SQL unit of work: one database transaction, with the contract aggregate mapped to and from
its tables by hand (see docs/decisions/0007-explicit-data-mapper.md)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from types import TracebackType
from typing import Any, Self

from sqlalchemy import Connection, Engine, Row, delete, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import DBAPIError, IntegrityError

from tenure.adapters.sql import codec
from tenure.adapters.sql import tables as t
from tenure.domain.booking import AddonBooking, BookingStatus
from tenure.domain.calendar import BillingCycle, BillingSchedule, Period
from tenure.domain.cancellation import Cancellation, CancellationKind, CancellationStatus
from tenure.domain.catalog import Catalog
from tenure.domain.charges import Charge, LineKind, PendingItem
from tenure.domain.contract import Contract, ContractStatus, ScheduledChange
from tenure.domain.customer import Customer, CustomerType
from tenure.domain.events import Event
from tenure.domain.invoicing import Document, DocumentDraft, DocumentLine, DocumentType
from tenure.domain.money import Money
from tenure.domain.tax import TaxCategory
from tenure.domain.usage import UsageRecord
from tenure.services.clock import Clock
from tenure.services.unit_of_work import (
    AuditEntry,
    ConcurrencyConflict,
    OutboxMessage,
    TestClockState,
    UnitOfWork,
    UnknownContract,
    UnknownCustomer,
    UnknownTestClock,
    UnknownVendor,
)

# Catalog versions never change once stored, so a process may keep them; _VERSIONS maps each
# kept catalog object back to its version (a contract that moved to a newer one is saved so).
_CATALOGS: dict[tuple[str, str, int], Catalog] = {}
_VERSIONS: dict[int, int] = {}

# PostgreSQL SQLSTATEs that mean "run the transaction again": serialization failure, deadlock.
_RETRYABLE_SQLSTATES = {"40001", "40P01"}


class SqlUnitOfWork(UnitOfWork):
    def __init__(self, engine: Engine, clock: Clock, actor: str = "system") -> None:
        self._engine = engine
        self._clock = clock
        self._actor = actor
        self._conn: Connection | None = None
        self._contracts: dict[tuple[str, str], tuple[Contract, dict[str, Any] | None]] = {}
        self._catalog_versions: dict[int, int] = {}

    # ------------------------------------------------------------------ transaction

    def __enter__(self) -> Self:
        self._conn = self._engine.connect()
        self._conn.begin()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            self.rollback()
        finally:
            if self._conn is not None:
                self._conn.close()
                self._conn = None
        if isinstance(exc, DBAPIError) and _retryable(exc):
            raise ConcurrencyConflict("the database asked to run the transaction again") from exc

    @property
    def conn(self) -> Connection:
        if self._conn is None:
            raise RuntimeError("the unit of work is not open (use it in a with block)")
        return self._conn

    def commit(self) -> None:
        for (vendor_id, _), (contract, before) in self._contracts.items():
            self._save_contract(vendor_id, contract, before)
        self._contracts.clear()
        self.conn.commit()
        self.conn.begin()

    def rollback(self) -> None:
        self._contracts.clear()
        if self._conn is not None and self._conn.in_transaction():
            self._conn.rollback()

    @property
    def _postgres(self) -> bool:
        return self.conn.dialect.name == "postgresql"

    def _insert(self, table: Any) -> Any:
        return (postgresql.insert if self._postgres else sqlite.insert)(table)

    # ------------------------------------------------------------------ vendors and customers

    def add_vendor(self, vendor_id: str, catalog: Catalog, at: datetime | None = None) -> int:
        """Store a vendor or, if it exists, a new catalog version; returns the version."""
        at = at or self._clock.now()
        row = self.conn.execute(
            select(t.vendors.c.current_catalog_version)
            .where(t.vendors.c.id == vendor_id)
            .with_for_update()
        ).first()
        version = 1 if row is None else row[0] + 1
        if row is None:
            self.conn.execute(
                insert(t.vendors).values(
                    id=vendor_id,
                    name=catalog.vendor.name,
                    current_catalog_version=1,
                    created_at=at,
                )
            )
        else:
            self.conn.execute(
                update(t.vendors)
                .where(t.vendors.c.id == vendor_id)
                .values(name=catalog.vendor.name, current_catalog_version=version)
            )
        self.conn.execute(
            insert(t.catalog_versions).values(
                vendor_id=vendor_id,
                version=version,
                document=codec.catalog_to_json(catalog),
                created_at=at,
            )
        )
        return version

    def catalog(self, vendor_id: str) -> Catalog:
        row = self.conn.execute(
            select(t.vendors.c.current_catalog_version).where(t.vendors.c.id == vendor_id)
        ).first()
        if row is None:
            raise UnknownVendor(f"no vendor {vendor_id!r}")
        return self._catalog(vendor_id, row[0])

    def _catalog(self, vendor_id: str, version: int) -> Catalog:
        key = (str(self._engine.url), vendor_id, version)
        if key not in _CATALOGS:
            document = self.conn.execute(
                select(t.catalog_versions.c.document).where(
                    t.catalog_versions.c.vendor_id == vendor_id,
                    t.catalog_versions.c.version == version,
                )
            ).scalar_one()
            _CATALOGS[key] = codec.catalog_from_json(document)
            _VERSIONS[id(_CATALOGS[key])] = version
        return _CATALOGS[key]

    def add_customer(self, vendor_id: str, customer: Customer) -> None:
        self.conn.execute(
            insert(t.customers).values(
                vendor_id=vendor_id,
                id=customer.id,
                type=customer.type.value,
                name=customer.name,
                country=customer.country,
                email=customer.email,
                locale=customer.locale,
                vat_id=customer.vat_id,
                address=customer.address,
                test_clock_id=customer.test_clock,
            )
        )

    def customer(self, vendor_id: str, customer_id: str) -> Customer:
        row = self.conn.execute(
            select(t.customers).where(
                t.customers.c.vendor_id == vendor_id, t.customers.c.id == customer_id
            )
        ).first()
        if row is None:
            raise UnknownCustomer(f"no customer {customer_id!r}")
        return Customer(
            id=row.id,
            type=CustomerType(row.type),
            name=row.name,
            country=row.country,
            email=row.email,
            locale=row.locale,
            vat_id=row.vat_id,
            address=row.address,
            test_clock=row.test_clock_id,
        )

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

    def _load_contract(self, vendor_id: str, row: Row[Any]) -> Contract:
        catalog = self._catalog(vendor_id, row.catalog_version)
        plan = codec.plan_from_json(row.plan)
        contract: Contract = object.__new__(Contract)
        c: Any = contract
        c.id, c.catalog, c.vendor = row.id, catalog, catalog.vendor
        c.customer = self.customer(vendor_id, row.customer_id)
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
        where = {"vendor_id": vendor_id, "contract_id": row.id}
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
            for b in self._children(t.bookings, where)
        }
        c.pending = [
            PendingItem(
                p.id,
                Charge(
                    kind=LineKind(p.kind),
                    item=p.item,
                    description=p.description,
                    period=_period(p.period_start, p.period_end),
                    quantity=Decimal(p.quantity),
                    unit_price=Decimal(p.unit_price),
                    net=Money.from_minor(p.net_minor, p.currency).amount,
                    source=p.source,
                ),
                p.created_on,
            )
            for p in self._children(t.pending_items, where)
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
            for x in self._children(t.cancellations, where)
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
        values["catalog_version"] = _VERSIONS.get(
            id(contract.catalog), self._catalog_versions[id(contract)]
        )
        if before is None:
            self.conn.execute(insert(t.contracts).values(vendor_id=vendor_id, **values))
        else:
            if values == {**before, "catalog_version": values["catalog_version"]}:
                return
            result = self.conn.execute(
                update(t.contracts)
                .where(
                    t.contracts.c.vendor_id == vendor_id,
                    t.contracts.c.id == contract.id,
                    t.contracts.c.version == before["version"],
                )
                .values(**values)
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

    # ------------------------------------------------------------------ documents

    def add_document(self, vendor_id: str, document: Document, issued_at: datetime) -> None:
        d = document.draft
        cur = d.currency
        self.conn.execute(
            insert(t.documents).values(
                vendor_id=vendor_id,
                number=document.number,
                created_at=issued_at,
                type=d.type.value,
                contract_id=d.contract_id,
                issue_date=d.issue_date,
                billing_date=d.billing_date,
                currency=cur,
                refers_to=d.refers_to,
                seller=codec.party_to_json(d.seller),
                buyer=codec.party_to_json(d.buyer),
                tax_note=d.tax_note,
                net_total_minor=Money(d.net_total, cur).minor,
                vat_total_minor=Money(d.vat_total, cur).minor,
                gross_total_minor=Money(d.gross_total, cur).minor,
            )
        )
        self.conn.execute(
            insert(t.document_lines),
            [
                {
                    "vendor_id": vendor_id,
                    "number": document.number,
                    "position": i,
                    "kind": x.kind.value,
                    "item": x.item,
                    "description": x.description,
                    "period_start": x.period.start if x.period else None,
                    "period_end": x.period.end if x.period else None,
                    "quantity": str(x.quantity),
                    "unit_price": str(x.unit_price),
                    "net_minor": Money(x.net, cur).minor,
                    "vat_rate": str(x.vat_rate),
                    "tax_category": x.tax_category.value,
                    "source": x.source,
                }
                for i, x in enumerate(d.lines)
            ],
        )

    def documents(self, vendor_id: str, contract_id: str | None = None) -> list[Document]:
        query = select(t.documents).where(t.documents.c.vendor_id == vendor_id)
        if contract_id is not None:
            query = query.where(t.documents.c.contract_id == contract_id)
        rows = self.conn.execute(
            query.order_by(t.documents.c.created_at, t.documents.c.number)
        ).all()
        if not rows:
            return []
        lines_query = select(t.document_lines).where(
            t.document_lines.c.vendor_id == vendor_id,
            t.document_lines.c.number.in_([r.number for r in rows]),
        )
        lines: dict[str, list[DocumentLine]] = {}
        for x in self.conn.execute(lines_query.order_by(t.document_lines.c.position)):
            currency = next(r.currency for r in rows if r.number == x.number)
            lines.setdefault(x.number, []).append(
                DocumentLine(
                    kind=LineKind(x.kind),
                    item=x.item,
                    description=x.description,
                    period=_period(x.period_start, x.period_end),
                    quantity=Decimal(x.quantity),
                    unit_price=Decimal(x.unit_price),
                    net=Money.from_minor(x.net_minor, currency).amount,
                    vat_rate=Decimal(x.vat_rate),
                    tax_category=TaxCategory(x.tax_category),
                    source=x.source,
                )
            )
        return [
            Document(
                r.number,
                DocumentDraft(
                    type=DocumentType(r.type),
                    contract_id=r.contract_id,
                    issue_date=r.issue_date,
                    currency=r.currency,
                    seller=codec.party_from_json(r.seller),
                    buyer=codec.party_from_json(r.buyer),
                    lines=tuple(lines.get(r.number, [])),
                    tax_note=r.tax_note,
                    refers_to=r.refers_to,
                    billing_date=r.billing_date,
                ),
            )
            for r in rows
        ]

    def next_number(self, vendor_id: str, prefix: str, year: int) -> int:
        # The series row stays locked until commit: concurrent issuers queue here, so numbers are
        # gap-free and unique (a rolled-back transaction gives its number back).
        statement = self._insert(t.number_series).values(
            vendor_id=vendor_id, prefix=prefix, year=year, last=1
        )
        statement = statement.on_conflict_do_update(
            index_elements=["vendor_id", "prefix", "year"],
            set_={"last": t.number_series.c.last + 1},
        ).returning(t.number_series.c.last)
        return int(self.conn.execute(statement).scalar_one())

    # ------------------------------------------------------------------ usage

    def usage(self, vendor_id: str, key: str) -> UsageRecord | None:
        row = self.conn.execute(
            select(t.usage_events).where(
                t.usage_events.c.vendor_id == vendor_id, t.usage_events.c.key == key
            )
        ).first()
        return _usage(row) if row else None

    def add_usage(self, vendor_id: str, record: UsageRecord) -> None:
        try:
            with self.conn.begin_nested():
                self.conn.execute(
                    insert(t.usage_events).values(
                        vendor_id=vendor_id,
                        key=record.key,
                        contract_id=record.contract_id,
                        metric=record.metric,
                        quantity=str(record.quantity),
                        occurred_at=record.occurred_at,
                        occurred_on=record.occurred_on,
                        unit_price=str(record.unit_price),
                    )
                )
        except IntegrityError as exc:  # the same key arrived concurrently: retry sees it
            raise ConcurrencyConflict(f"usage key {record.key!r} was recorded meanwhile") from exc

    def unbilled_usage(self, contract_id: str, before: date) -> list[UsageRecord]:
        rows = self.conn.execute(
            select(t.usage_events)
            .where(
                t.usage_events.c.contract_id == contract_id,
                t.usage_events.c.invoice_number.is_(None),
                t.usage_events.c.occurred_on < before,
            )
            .order_by(t.usage_events.c.occurred_at, t.usage_events.c.key)
        ).all()
        return [_usage(r) for r in rows]

    def mark_usage_billed(self, records: list[UsageRecord], number: str) -> None:
        for record in records:
            self.conn.execute(
                update(t.usage_events)
                .where(
                    t.usage_events.c.contract_id == record.contract_id,
                    t.usage_events.c.key == record.key,
                )
                .values(invoice_number=number)
            )

    # ------------------------------------------------------------------ listings

    def vendors(self) -> list[str]:
        return list(self.conn.execute(select(t.vendors.c.id).order_by(t.vendors.c.id)).scalars())

    def customers(self, vendor_id: str) -> list[Customer]:
        ids = self.conn.execute(
            select(t.customers.c.id)
            .where(t.customers.c.vendor_id == vendor_id)
            .order_by(t.customers.c.id)
        ).scalars()
        return [self.customer(vendor_id, customer_id) for customer_id in ids]

    def contract_ids(self, vendor_id: str, customer_id: str | None = None) -> list[str]:
        query = select(t.contracts.c.id).where(t.contracts.c.vendor_id == vendor_id)
        if customer_id is not None:
            query = query.where(t.contracts.c.customer_id == customer_id)
        return list(self.conn.execute(query.order_by(t.contracts.c.id)).scalars())

    def audit(self, vendor_id: str, entity_id: str | None = None) -> list[AuditEntry]:
        query = select(t.audit_log).where(t.audit_log.c.vendor_id == vendor_id)
        if entity_id is not None:
            query = query.where(t.audit_log.c.entity_id == entity_id)
        return [
            AuditEntry(r.at, r.actor, r.action, r.entity, r.entity_id, r.before, r.after)
            for r in self.conn.execute(query.order_by(t.audit_log.c.id))
        ]

    # ------------------------------------------------------------------ test clocks

    def add_test_clock(self, vendor_id: str, clock: TestClockState) -> None:
        self.conn.execute(
            insert(t.test_clocks).values(
                vendor_id=vendor_id, id=clock.id, name=clock.name, frozen_at=clock.frozen_at
            )
        )

    def test_clock(self, vendor_id: str, clock_id: str, lock: bool = False) -> TestClockState:
        query = select(t.test_clocks).where(
            t.test_clocks.c.vendor_id == vendor_id, t.test_clocks.c.id == clock_id
        )
        row = self.conn.execute(query.with_for_update() if lock else query).first()
        if row is None:
            raise UnknownTestClock(f"no test clock {clock_id!r}")
        return TestClockState(row.id, row.name, row.frozen_at)

    def set_test_clock(self, vendor_id: str, clock: TestClockState) -> None:
        self.conn.execute(
            update(t.test_clocks)
            .where(t.test_clocks.c.vendor_id == vendor_id, t.test_clocks.c.id == clock.id)
            .values(frozen_at=clock.frozen_at, name=clock.name)
        )

    def test_clocks(self, vendor_id: str) -> list[TestClockState]:
        rows = self.conn.execute(
            select(t.test_clocks)
            .where(t.test_clocks.c.vendor_id == vendor_id)
            .order_by(t.test_clocks.c.id)
        )
        return [TestClockState(r.id, r.name, r.frozen_at) for r in rows]

    # ------------------------------------------------------------------ outbox

    def publish(self, vendor_id: str, events: list[Event]) -> None:
        if events:
            self.conn.execute(
                insert(t.outbox),
                [
                    {
                        "vendor_id": vendor_id,
                        "contract_id": e.contract_id,
                        "name": e.name,
                        "occurred_at": e.occurred_at,
                        "payload": codec.event_to_json(e),
                        "delivered": False,
                    }
                    for e in events
                ],
            )

    def outbox(self, vendor_id: str | None = None) -> list[OutboxMessage]:
        query = select(t.outbox).order_by(t.outbox.c.sequence)
        if vendor_id is not None:
            query = query.where(t.outbox.c.vendor_id == vendor_id)
        return [
            OutboxMessage(r.sequence, r.vendor_id, codec.event_from_json(r.name, r.payload))
            for r in self.conn.execute(query)
        ]


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


def _period(start: date | None, end: date | None) -> Period | None:
    return Period(start, end) if start and end else None


def _usage(row: Row[Any]) -> UsageRecord:
    return UsageRecord(
        key=row.key,
        contract_id=row.contract_id,
        metric=row.metric,
        quantity=Decimal(row.quantity),
        occurred_at=row.occurred_at,
        occurred_on=row.occurred_on,
        unit_price=Decimal(row.unit_price),
    )


def _jsonable(values: dict[str, Any] | None) -> dict[str, Any] | None:
    if values is None:
        return None
    return {k: v.isoformat() if isinstance(v, date) else v for k, v in values.items()}


def _retryable(exc: DBAPIError) -> bool:
    code = getattr(exc.orig, "sqlstate", None) or getattr(exc.orig, "pgcode", None)
    return code in _RETRYABLE_SQLSTATES
