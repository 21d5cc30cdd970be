"""Usage records (metered events), each stored once per idempotency key and billed once."""

from __future__ import annotations

import abc
from datetime import date

from tenure.domain.usage import UsageRecord


class UsageRepository(abc.ABC):
    @abc.abstractmethod
    def get(self, vendor_id: str, key: str) -> UsageRecord | None: ...

    @abc.abstractmethod
    def add(self, vendor_id: str, record: UsageRecord) -> None:
        """Store a record; a key recorded meanwhile by another transaction is a
        ConcurrencyConflict (the retry finds it)."""

    @abc.abstractmethod
    def get_many(self, vendor_id: str, keys: list[str]) -> dict[str, UsageRecord]:
        """The records of those ``keys`` that exist, by key."""

    @abc.abstractmethod
    def add_many(self, vendor_id: str, records: list[UsageRecord]) -> None:
        """:meth:`add` for a batch."""

    @abc.abstractmethod
    def unbilled(self, vendor_id: str, contract_id: str, before: date) -> list[UsageRecord]:
        """The contract's records not yet on an invoice that occurred before ``before``, in the
        order they occurred."""

    @abc.abstractmethod
    def mark_billed(self, vendor_id: str, records: list[UsageRecord], number: str) -> None:
        """Record that ``records`` are billed on the invoice ``number``."""
