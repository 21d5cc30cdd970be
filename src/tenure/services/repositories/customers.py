"""Customers of a vendor."""

from __future__ import annotations

import abc
import builtins

from tenure.domain.customer import Customer
from tenure.services.paging import Page, offset_page


class CustomerRepository(abc.ABC):
    @abc.abstractmethod
    def add(self, vendor_id: str, customer: Customer) -> None: ...

    @abc.abstractmethod
    def get(self, vendor_id: str, customer_id: str, lock: bool = False) -> Customer:
        """The customer; raises UnknownCustomer. ``lock``: read it for change (a concurrent
        change of it makes this transaction's commit or update a ConcurrencyConflict)."""

    @abc.abstractmethod
    def update(self, vendor_id: str, before: Customer, after: Customer) -> None:
        """Store ``after`` in place of ``before`` (read with ``lock``), with an audit entry."""

    @abc.abstractmethod
    def delete(self, vendor_id: str, customer: Customer) -> None:
        """Remove the customer (read with ``lock``), with an audit entry."""

    @abc.abstractmethod
    def list(self, vendor_id: str, livemode: bool | None = None) -> builtins.list[Customer]:
        """The vendor's customers; ``livemode`` True: only live ones, False: only sandbox ones
        (on a test clock), None: both."""

    def page(
        self, vendor_id: str, after: str | None, limit: int, livemode: bool | None = None
    ) -> Page[Customer]:
        """Customers ordered by id, ``livemode`` as in :meth:`list` (in memory by offset; the
        SQL store pages by key)."""
        customers = sorted(self.list(vendor_id, livemode), key=lambda c: c.id)
        return offset_page(customers, after, limit)
