"""The committed state of the in-memory store: one dict per table, changed only by a commit."""

from __future__ import annotations

import itertools
import threading
from collections.abc import Iterable, Mapping
from typing import Any, Final

from tenure.services.errors import ConcurrencyConflict


class _Marker:
    def __init__(self, name: str) -> None:
        self._name = name

    def __repr__(self) -> str:
        return self._name


#: Written into an overlay for a row that the transaction deleted.
DELETED: Final = _Marker("DELETED")
#: What a read returns for a row that does not exist.
MISSING: Final = _Marker("MISSING")

#: Every table of the store. Rows are immutable values (a stored contract is a private copy
#: that nobody changes), so a committed row may be read without copying it.
TABLES = (
    "catalogs",  # vendor id -> Catalog
    "catalog_versions",  # vendor id -> int
    "customers",  # (vendor, customer id) -> Customer
    "contracts",  # (vendor, contract id) -> Contract
    "documents",  # (vendor, number) -> Document
    "contract_documents",  # (vendor, contract id) -> tuple of numbers, in issue order
    "series",  # (vendor, prefix, year) -> last number taken
    "usage",  # (vendor, key) -> UsageRecord
    "usage_billed",  # (vendor, key) -> invoice number
    "unbilled",  # (vendor, contract id) -> tuple of unbilled usage keys
    "outbox",  # sequence -> OutboxMessage
    "outbox_pending",  # sequence -> OutboxMessage, until dispatched to the message bus
    "clocks",  # (vendor, clock id) -> TestClock
    "api_keys",  # key id -> ApiKeyRecord
    "idempotency",  # (vendor, key) -> IdempotentResponse
    "webhook_endpoints",  # endpoint id -> WebhookEndpoint
    "deliveries",  # delivery id -> Delivery
    "document_files",  # (vendor, number, FileFormat) -> DocumentFile
    "render_jobs",  # (vendor, number) -> RenderJob
    "emails",  # e-mail id -> EmailRecord
    "email_keys",  # (vendor, event sequence, template, recipient) -> e-mail id
)


class Tables:
    """The committed tables. A commit checks what its transaction read for change is still
    there (optimistic concurrency) and applies its writes, both under one lock, so concurrent
    commits never interleave. (Readers read the dicts without the lock: a transaction can see
    rows a concurrent commit wrote after it began, and only its commit checks what it read for
    change.)"""

    def __init__(self) -> None:
        self.tables: dict[str, dict[Any, Any]] = {name: {} for name in TABLES}
        self.lock = threading.Lock()
        self._sequence = itertools.count(1)

    def table(self, name: str) -> dict[Any, Any]:
        return self.tables[name]

    def next_sequence(self) -> int:
        """The next outbox sequence number (not given back by a rollback, as in SQL)."""
        with self.lock:
            return next(self._sequence)

    def rows(self, name: str) -> list[tuple[Any, Any]]:
        """The committed rows of a table, in the order they were first written."""
        with self.lock:
            return list(self.tables[name].items())

    def validate(self, expected: Iterable[tuple[tuple[str, Any], Any]]) -> None:
        """Raise ConcurrencyConflict if a row in ``expected`` changed since it was read."""
        with self.lock:
            self._check(expected)

    def _check(self, expected: Iterable[tuple[tuple[str, Any], Any]]) -> None:
        for (name, key), seen in expected:
            if self.tables[name].get(key, MISSING) is not seen:
                raise ConcurrencyConflict(f"{name} {key!r} was changed meanwhile")

    def apply(
        self,
        writes: Mapping[str, Mapping[Any, Any]],
        expected: Iterable[tuple[tuple[str, Any], Any]],
    ) -> None:
        """Commit ``writes`` (table -> key -> value or DELETED) if every ``(table, key)`` in
        ``expected`` still holds the value the transaction read (MISSING: no row); else raise
        ConcurrencyConflict and change nothing."""
        with self.lock:
            self._check(expected)
            for name, rows in writes.items():
                table = self.tables[name]
                for key, value in rows.items():
                    if value is DELETED:
                        table.pop(key, None)
                    else:
                        table[key] = value
