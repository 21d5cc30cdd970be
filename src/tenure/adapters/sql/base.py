"""The SQL unit of work's foundation: one database transaction, vendors, catalog versions and
customers."""

from __future__ import annotations

from datetime import date, datetime
from types import TracebackType
from typing import Any, Self

from sqlalchemy import Connection, Engine, NestedTransaction, Row, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import DBAPIError

from tenure.adapters.sql import codec
from tenure.adapters.sql import tables as t
from tenure.adapters.sql.engine import READ_ONLY
from tenure.domain.calendar import Period
from tenure.domain.catalog import Catalog
from tenure.domain.contract import Contract
from tenure.domain.customer import Customer, CustomerType
from tenure.services.clock import Clock
from tenure.services.errors import ConcurrencyConflict, UnknownCustomer, UnknownVendor
from tenure.services.unit_of_work import UnitOfWork

# Catalog versions never change once stored, so a process may keep them; CATALOG_VERSIONS maps each
# kept catalog object back to its version (a contract that moved to a newer one is saved so).
CATALOGS: dict[tuple[str, str, int], Catalog] = {}
CATALOG_VERSIONS: dict[int, int] = {}

# PostgreSQL SQLSTATEs that mean "run the transaction again": serialization failure, deadlock.
_RETRYABLE_SQLSTATES = {"40001", "40P01"}


class SqlBase(UnitOfWork):
    def __init__(self, engine: Engine, clock: Clock, actor: str = "system") -> None:
        self._engine = engine
        self._clock = clock
        self._actor = actor
        self._conn: Connection | None = None
        self._savepoints: list[NestedTransaction] = []
        self._read_only = False
        self._contracts: dict[tuple[str, str], tuple[Contract, dict[str, Any] | None]] = {}
        self._catalog_versions: dict[int, int] = {}

    # ------------------------------------------------------------------ transaction

    def reading(self) -> Self:
        if self._conn is None:
            self._read_only = True
        return self

    def __enter__(self) -> Self:
        if self._conn is None:
            self._conn = self._engine.connect()
            if self._read_only:
                # See engine.READ_ONLY.
                self._conn.execution_options(**READ_ONLY.get(self._engine.dialect.name, {}))
            self._conn.begin()
        else:
            # Entered again (a use case joining a caller's transaction, see Services.joined): a
            # savepoint, so that its commit is kept and its refusal undone within the outer one.
            self._flush()
            self._contracts.clear()
            self._savepoints.append(self._conn.begin_nested())
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            if self._savepoints:
                self._contracts.clear()
                savepoint = self._savepoints.pop()
                if savepoint.is_active:
                    savepoint.rollback()
            else:
                try:
                    self.rollback()
                finally:
                    if self._conn is not None:
                        self._conn.close()
                        self._conn = None
        finally:
            if isinstance(exc, DBAPIError) and _retryable(exc):
                raise ConcurrencyConflict(
                    "the database asked to run the transaction again"
                ) from exc

    @property
    def conn(self) -> Connection:
        if self._conn is None:
            raise RuntimeError("the unit of work is not open (use it in a with block)")
        return self._conn

    def commit(self) -> None:
        """Commit (inside a savepoint: release it, so the outer transaction keeps the work)."""
        self._flush()
        self._contracts.clear()
        if self._savepoints:
            self._savepoints[-1].commit()
            self._savepoints[-1] = self.conn.begin_nested()
            return
        self.conn.commit()
        self.conn.begin()

    def rollback(self) -> None:
        self._contracts.clear()
        if self._savepoints:
            if self._savepoints[-1].is_active:
                self._savepoints[-1].rollback()
            self._savepoints[-1] = self.conn.begin_nested()
        elif self._conn is not None and self._conn.in_transaction():
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
        if key not in CATALOGS:
            document = self.conn.execute(
                select(t.catalog_versions.c.document).where(
                    t.catalog_versions.c.vendor_id == vendor_id,
                    t.catalog_versions.c.version == version,
                )
            ).scalar_one()
            CATALOGS[key] = codec.catalog_from_json(document)
            CATALOG_VERSIONS[id(CATALOGS[key])] = version
        return CATALOGS[key]

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
        found = self._customers_where(t.customers.c.id == customer_id, vendor_id)
        if not found:
            raise UnknownCustomer(f"no customer {customer_id!r}")
        return found[0]

    def _customers_where(self, condition: Any, vendor_id: str) -> list[Customer]:
        rows = self.conn.execute(
            select(t.customers)
            .where(t.customers.c.vendor_id == vendor_id, condition)
            .order_by(t.customers.c.id)
        )
        return [customer_from_row(row) for row in rows]

    def _flush(self) -> None:
        """Write back what the transaction changed in memory (aggregates), before commit."""


def customer_from_row(row: Row[Any]) -> Customer:
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


def period_or_none(start: date | None, end: date | None) -> Period | None:
    return Period(start, end) if start and end else None


def _retryable(exc: DBAPIError) -> bool:
    code = getattr(exc.orig, "sqlstate", None) or getattr(exc.orig, "pgcode", None)
    return code in _RETRYABLE_SQLSTATES
