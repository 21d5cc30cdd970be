"""Customers in SQL."""

from __future__ import annotations

import builtins
from typing import Any

from sqlalchemy import ColumnElement, Row, Select, delete, insert, select, true, update

from tenure.adapters.sql import paging
from tenure.adapters.sql import tables as t
from tenure.adapters.sql.repositories.audit import SqlAuditLog
from tenure.adapters.sql.session import Session
from tenure.domain.customer import Customer, CustomerType
from tenure.services.errors import UnknownCustomer
from tenure.services.paging import Page
from tenure.services.repositories.customers import CustomerRepository


class SqlCustomers(CustomerRepository):
    def __init__(self, session: Session) -> None:
        self._s = session

    def add(self, vendor_id: str, customer: Customer) -> None:
        self._s.execute(insert(t.customers).values(vendor_id=vendor_id, **_values(customer)))

    def get(self, vendor_id: str, customer_id: str, lock: bool = False) -> Customer:
        query = select(t.customers).where(
            t.customers.c.vendor_id == vendor_id, t.customers.c.id == customer_id
        )
        row = self._s.execute(query.with_for_update() if lock else query).first()
        if row is None:
            raise UnknownCustomer(f"no customer {customer_id!r}")
        return customer_from_row(row)

    def update(self, vendor_id: str, before: Customer, after: Customer) -> None:
        self._s.execute(
            update(t.customers)
            .where(t.customers.c.vendor_id == vendor_id, t.customers.c.id == after.id)
            .values(**_values(after))
        )
        self._audit(vendor_id, "customer.updated", after.id, _values(before), _values(after))

    def delete(self, vendor_id: str, customer: Customer) -> None:
        self._s.execute(
            delete(t.customers).where(
                t.customers.c.vendor_id == vendor_id, t.customers.c.id == customer.id
            )
        )
        self._audit(vendor_id, "customer.deleted", customer.id, _values(customer), None)

    def _audit(
        self,
        vendor_id: str,
        action: str,
        customer_id: str,
        before: dict[str, Any] | None,
        after: dict[str, Any] | None,
    ) -> None:
        SqlAuditLog(self._s).record(vendor_id, action, "customer", customer_id, before, after)

    def list(self, vendor_id: str, livemode: bool | None = None) -> builtins.list[Customer]:
        return customers_where(self._s, in_mode(livemode), vendor_id)

    def page(
        self, vendor_id: str, after: str | None, limit: int, livemode: bool | None = None
    ) -> Page[Customer]:
        query = select(t.customers).where(t.customers.c.vendor_id == vendor_id, in_mode(livemode))
        found = paging.keyset(self._s, query, [t.customers.c.id], after, limit)
        return Page([customer_from_row(r) for r in found.items], found.next)


def _values(customer: Customer) -> dict[str, Any]:
    return {
        "id": customer.id,
        "type": customer.type.value,
        "name": customer.name,
        "country": customer.country,
        "email": customer.email,
        "locale": customer.locale,
        "vat_id": customer.vat_id,
        "address": customer.address,
        "test_clock_id": customer.test_clock_id,
        "buyer_reference": customer.buyer_reference,
    }


def in_mode(livemode: bool | None) -> ColumnElement[bool]:
    """Customers of a mode: True live ones, False sandbox ones (on a test clock), None all."""
    if livemode is None:
        return true()
    clock = t.customers.c.test_clock_id
    return clock.is_(None) if livemode else clock.is_not(None)


def sandbox_customers(vendor_id: str) -> Select[tuple[str]]:
    """The ids of the vendor's sandbox customers (a subquery for filtering their contracts and
    documents)."""
    return select(t.customers.c.id).where(
        t.customers.c.vendor_id == vendor_id, t.customers.c.test_clock_id.is_not(None)
    )


def customers_where(session: Session, condition: Any, vendor_id: str) -> list[Customer]:
    rows = session.execute(
        select(t.customers)
        .where(t.customers.c.vendor_id == vendor_id, condition)
        .order_by(t.customers.c.id)
    )
    return [customer_from_row(row) for row in rows]


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
        test_clock_id=row.test_clock_id,
        buyer_reference=row.buyer_reference,
    )
