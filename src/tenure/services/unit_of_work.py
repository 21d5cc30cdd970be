"""Repositories and the unit of work: the service layer's view of storage.

A use case opens one unit of work, changes aggregates through the repositories, and commits once;
anything raised before the commit rolls everything back, so no change is ever half-written. The
events the aggregates recorded are put into the outbox in the same transaction.

This module holds the abstract interfaces and an in-memory implementation (used by unit tests
and, until the SQL adapter lands, by ``tenure simulate``).
"""

from __future__ import annotations

import abc
import copy
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from types import TracebackType
from typing import Any, Self

from tenure.domain.catalog import Catalog
from tenure.domain.contract import Contract, ContractStatus, EntitlementGrant
from tenure.domain.customer import Customer
from tenure.domain.events import Event
from tenure.domain.invoicing import Document, DocumentType
from tenure.domain.usage import UsageRecord
from tenure.services.access import ApiKeyRecord
from tenure.services.errors import (
    UnknownContract,
    UnknownCustomer,
    UnknownTestClock,
    UnknownVendor,
    UnknownWebhookEndpoint,
)
from tenure.services.paging import Page, offset_page
from tenure.services.repositories.webhooks import Delivery, WebhookEndpoint


@dataclass(frozen=True, slots=True)
class TestClockState:
    """A sandbox clock (as in Stripe): frozen at ``frozen_at`` until advanced."""

    __test__ = False

    id: str
    name: str
    frozen_at: datetime


@dataclass(frozen=True, slots=True)
class AuditEntry:
    at: datetime
    actor: str
    action: str
    entity: str
    entity_id: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None


#: A claim that a process of an earlier version committed before running its request (status
#: None) is taken over after this long: its request died (decision 0008).
LEGACY_CLAIM_TIMEOUT = timedelta(seconds=60)


@dataclass(frozen=True, slots=True)
class IdempotentResponse:
    """The recorded outcome of the first request sent with an Idempotency-Key."""

    fingerprint: str
    status: int | None  # None: claimed, no outcome yet (this transaction, or an older version)
    body: Any
    claimed_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class OutboxMessage:
    """An event waiting for delivery (e-mail, webhook), stored with the change that caused it."""

    sequence: int
    vendor_id: str
    event: Event


class UnitOfWork(abc.ABC):
    """One transaction over all repositories.

    Entered again while open, a unit of work opens a savepoint: the inner block's commit keeps
    its work for the outer transaction, its rollback (or an exception) undoes only the inner
    block, and nothing is durable before the outermost commit (see :meth:`Services.joined`).
    """

    def reading(self) -> Self:
        """Use this unit of work (not yet open) for reading only: stores may refuse writes and
        need not queue it behind writers (SQLite: a deferred transaction). A no-op on a unit of
        work that is already open, as when a use case joins a caller's transaction."""
        return self

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.rollback()  # a no-op after commit

    @abc.abstractmethod
    def commit(self) -> None: ...

    @abc.abstractmethod
    def rollback(self) -> None: ...

    # vendors and customers
    @abc.abstractmethod
    def add_vendor(self, vendor_id: str, catalog: Catalog) -> int:
        """Store a new vendor, or a new catalog version of an existing one; returns the version."""

    @abc.abstractmethod
    def catalog(self, vendor_id: str) -> Catalog: ...

    @abc.abstractmethod
    def add_customer(self, vendor_id: str, customer: Customer) -> None: ...

    @abc.abstractmethod
    def customer(self, vendor_id: str, customer_id: str) -> Customer: ...

    # contracts
    @abc.abstractmethod
    def add_contract(self, vendor_id: str, contract: Contract) -> None: ...

    @abc.abstractmethod
    def contract(self, vendor_id: str, contract_id: str, lock: bool = True) -> Contract:
        """The contract, locked against concurrent writers until the transaction ends (unless
        ``lock`` is False, for reads that will not change it)."""

    @abc.abstractmethod
    def contracts_due(self, vendor_id: str | None, until: date) -> list[tuple[str, str]]:
        """(vendor id, contract id) of contracts with something due on or before ``until``."""

    # documents
    @abc.abstractmethod
    def add_document(self, vendor_id: str, document: Document, issued_at: datetime) -> None: ...

    @abc.abstractmethod
    def documents(self, vendor_id: str, contract_id: str | None = None) -> list[Document]: ...

    @abc.abstractmethod
    def next_number(self, vendor_id: str, prefix: str, year: int) -> int:
        """The next number of a gap-free series (taken only if the transaction commits)."""

    # usage
    @abc.abstractmethod
    def usage(self, vendor_id: str, key: str) -> UsageRecord | None: ...

    @abc.abstractmethod
    def add_usage(self, vendor_id: str, record: UsageRecord) -> None: ...

    @abc.abstractmethod
    def usage_many(self, vendor_id: str, keys: list[str]) -> dict[str, UsageRecord]: ...

    @abc.abstractmethod
    def add_usage_many(self, vendor_id: str, records: list[UsageRecord]) -> None: ...

    @abc.abstractmethod
    def unbilled_usage(
        self, vendor_id: str, contract_id: str, before: date
    ) -> list[UsageRecord]: ...

    @abc.abstractmethod
    def mark_usage_billed(
        self, vendor_id: str, records: list[UsageRecord], number: str
    ) -> None: ...

    # listings
    @abc.abstractmethod
    def vendors(self) -> list[str]: ...

    @abc.abstractmethod
    def customers(self, vendor_id: str) -> list[Customer]: ...

    @abc.abstractmethod
    def contract_ids(self, vendor_id: str, customer_id: str | None = None) -> list[str]: ...

    def contracts_for_reading(
        self, vendor_id: str, customer_id: str | None = None
    ) -> list[Contract]:
        """The vendor's (or one customer's) contracts, ordered as :meth:`contract_ids`, loaded
        for reading only: changes made to them are never saved. Stores may load them in bulk."""
        return [
            self.contract(vendor_id, cid, lock=False)
            for cid in self.contract_ids(vendor_id, customer_id)
        ]

    def entitlement_timelines(
        self, vendor_id: str, customer_id: str
    ) -> list[tuple[EntitlementGrant, ...]]:
        """The entitlement timeline of each of the customer's contracts. Stores keep them as a
        read model written with each contract (see :meth:`Contract.entitlement_timeline`)."""
        return [
            c.entitlement_timeline() for c in self.contracts_for_reading(vendor_id, customer_id)
        ]

    @abc.abstractmethod
    def audit(self, vendor_id: str, entity_id: str | None = None) -> list[AuditEntry]:
        """The audit trail, oldest first (the in-memory store keeps none)."""

    # pages of lists (in memory by offset; the SQL store overrides them with keyset queries)
    def customers_page(self, vendor_id: str, after: str | None, limit: int) -> Page[Customer]:
        """Customers ordered by id."""
        return offset_page(sorted(self.customers(vendor_id), key=lambda c: c.id), after, limit)

    def contracts_page(
        self,
        vendor_id: str,
        after: str | None,
        limit: int,
        customer_id: str | None = None,
        status: ContractStatus | None = None,
    ) -> Page[Contract]:
        """Contracts ordered by id, loaded for reading."""
        contracts = sorted(self.contracts_for_reading(vendor_id, customer_id), key=lambda c: c.id)
        return offset_page([c for c in contracts if status in (None, c.status)], after, limit)

    def documents_page(
        self,
        vendor_id: str,
        after: str | None,
        limit: int,
        contract_id: str | None = None,
        type: DocumentType | None = None,
        issued_from: date | None = None,
        issued_to: date | None = None,
    ) -> Page[Document]:
        """Invoices and credit notes in issue order."""
        documents = [
            d
            for d in self.documents(vendor_id, contract_id)
            if type in (None, d.type)
            and (issued_from is None or d.issue_date >= issued_from)
            and (issued_to is None or d.issue_date <= issued_to)
        ]
        return offset_page(documents, after, limit)

    def audit_page(
        self, vendor_id: str, after: str | None, limit: int, entity_id: str | None = None
    ) -> Page[AuditEntry]:
        """The audit trail, oldest first."""
        return offset_page(self.audit(vendor_id, entity_id), after, limit)

    def deliveries_page(
        self, vendor_id: str, endpoint_id: str, after: str | None, limit: int
    ) -> Page[Delivery]:
        """An endpoint's deliveries, oldest first."""
        return offset_page(self.deliveries(vendor_id, endpoint_id), after, limit)

    # test clocks
    @abc.abstractmethod
    def add_test_clock(self, vendor_id: str, clock: TestClockState) -> None: ...

    @abc.abstractmethod
    def test_clock(self, vendor_id: str, clock_id: str, lock: bool = False) -> TestClockState: ...

    @abc.abstractmethod
    def set_test_clock(self, vendor_id: str, clock: TestClockState) -> None: ...

    @abc.abstractmethod
    def test_clocks(self, vendor_id: str) -> list[TestClockState]: ...

    # API access
    @abc.abstractmethod
    def add_api_key(self, record: ApiKeyRecord) -> None: ...

    @abc.abstractmethod
    def api_key(self, key_id: str) -> ApiKeyRecord | None: ...

    @abc.abstractmethod
    def revoke_api_key(self, key_id: str, at: datetime) -> None: ...

    @abc.abstractmethod
    def claim_idempotency_key(
        self, vendor_id: str, key: str, fingerprint: str, at: datetime
    ) -> IdempotentResponse | None:
        """Claim ``key`` for a request in this transaction; None if it is new (the caller runs
        the request and calls :meth:`store_idempotent_response` before committing), else what
        the first request recorded. A concurrent claim of the same key waits for this
        transaction to end."""

    @abc.abstractmethod
    def store_idempotent_response(
        self, vendor_id: str, key: str, status: int, body: Any
    ) -> None: ...

    # webhooks
    @abc.abstractmethod
    def add_webhook_endpoint(self, endpoint: WebhookEndpoint) -> None: ...

    @abc.abstractmethod
    def webhook_endpoints(self, vendor_id: str) -> list[WebhookEndpoint]: ...

    @abc.abstractmethod
    def webhook_endpoint(self, vendor_id: str, endpoint_id: str) -> WebhookEndpoint: ...

    @abc.abstractmethod
    def undelivered_outbox(self, limit: int) -> list[OutboxMessage]:
        """Outbox events not yet fanned out to webhook deliveries, oldest first (locked)."""

    @abc.abstractmethod
    def mark_outbox_delivered(self, sequences: list[int]) -> None: ...

    @abc.abstractmethod
    def add_delivery(self, delivery: Delivery) -> None: ...

    @abc.abstractmethod
    def next_due_delivery(self, now: datetime) -> Delivery | None:
        """The oldest pending delivery due by ``now``, locked (others skip it)."""

    @abc.abstractmethod
    def update_delivery(self, delivery: Delivery) -> None: ...

    @abc.abstractmethod
    def delivery(self, vendor_id: str, delivery_id: str) -> Delivery | None: ...

    @abc.abstractmethod
    def deliveries(self, vendor_id: str, endpoint_id: str) -> list[Delivery]: ...

    # outbox
    @abc.abstractmethod
    def publish(self, vendor_id: str, events: list[Event]) -> None: ...

    @abc.abstractmethod
    def outbox(self, vendor_id: str | None = None) -> list[OutboxMessage]: ...


@dataclass
class _State:
    catalogs: dict[str, Catalog] = field(default_factory=dict)
    catalog_versions: dict[str, int] = field(default_factory=dict)
    customers: dict[tuple[str, str], Customer] = field(default_factory=dict)
    contracts: dict[tuple[str, str], Contract] = field(default_factory=dict)
    documents: dict[str, list[Document]] = field(default_factory=dict)
    series: dict[tuple[str, str, int], int] = field(default_factory=dict)
    usage: dict[tuple[str, str], UsageRecord] = field(default_factory=dict)
    usage_billed: dict[tuple[str, str], str] = field(default_factory=dict)
    outbox: list[OutboxMessage] = field(default_factory=list)
    clocks: dict[tuple[str, str], TestClockState] = field(default_factory=dict)
    api_keys: dict[str, ApiKeyRecord] = field(default_factory=dict)
    idempotency: dict[tuple[str, str], IdempotentResponse] = field(default_factory=dict)
    webhook_endpoints: dict[str, WebhookEndpoint] = field(default_factory=dict)
    deliveries: dict[str, Delivery] = field(default_factory=dict)
    fanned_out: set[int] = field(default_factory=set)


class InMemoryStore:
    """The committed state shared by in-memory units of work (one process, one writer)."""

    def __init__(self) -> None:
        self.state = _State()

    def unit_of_work(self) -> InMemoryUnitOfWork:
        return InMemoryUnitOfWork(self)


class InMemoryUnitOfWork(UnitOfWork):
    """Works on a private copy of the store's state; commit swaps it in, rollback drops it."""

    def __init__(self, store: InMemoryStore) -> None:
        self._store = store
        self._state = copy.deepcopy(store.state)
        self._open = False
        #: The state at each savepoint, innermost last (see :meth:`__enter__`).
        self._savepoints: list[_State] = []

    def __enter__(self) -> Self:
        if self._open:  # entered again: a savepoint, as in the SQL unit of work
            self._savepoints.append(copy.deepcopy(self._state))
        self._open = True
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.rollback()
        if self._savepoints:
            self._savepoints.pop()
        else:
            self._open = False

    def commit(self) -> None:
        if self._savepoints:
            self._savepoints[-1] = copy.deepcopy(self._state)
            return
        self._store.state = self._state
        self._state = copy.deepcopy(self._state)

    def rollback(self) -> None:
        if self._savepoints:
            self._state = copy.deepcopy(self._savepoints[-1])
            return
        self._state = copy.deepcopy(self._store.state)

    def add_vendor(self, vendor_id: str, catalog: Catalog) -> int:
        self._state.catalogs[vendor_id] = catalog
        self._state.catalog_versions[vendor_id] = self._state.catalog_versions.get(vendor_id, 0) + 1
        return self._state.catalog_versions[vendor_id]

    def catalog(self, vendor_id: str) -> Catalog:
        try:
            return self._state.catalogs[vendor_id]
        except KeyError:
            raise UnknownVendor(f"no vendor {vendor_id!r}") from None

    def add_customer(self, vendor_id: str, customer: Customer) -> None:
        self._state.customers[(vendor_id, customer.id)] = customer

    def customer(self, vendor_id: str, customer_id: str) -> Customer:
        try:
            return self._state.customers[(vendor_id, customer_id)]
        except KeyError:
            raise UnknownCustomer(f"no customer {customer_id!r}") from None

    def add_contract(self, vendor_id: str, contract: Contract) -> None:
        self._state.contracts[(vendor_id, contract.id)] = contract

    def contract(self, vendor_id: str, contract_id: str, lock: bool = True) -> Contract:
        try:
            return self._state.contracts[(vendor_id, contract_id)]
        except KeyError:
            raise UnknownContract(f"no contract {contract_id!r}") from None

    def contracts_due(self, vendor_id: str | None, until: date) -> list[tuple[str, str]]:
        due = []
        for (vendor, contract_id), contract in self._state.contracts.items():
            next_due = contract.next_due_date()
            if (vendor_id in (None, vendor)) and next_due is not None and next_due <= until:
                due.append((vendor, contract_id))
        return due

    def add_document(self, vendor_id: str, document: Document, issued_at: datetime) -> None:
        docs = self._state.documents.setdefault(vendor_id, [])
        if any(d.number == document.number for d in docs):
            raise ValueError(f"document number {document.number} is taken")
        if document.draft.billing_date is not None and any(
            d.draft.contract_id == document.draft.contract_id
            and d.draft.billing_date == document.draft.billing_date
            for d in docs
        ):
            raise ValueError(
                f"contract {document.draft.contract_id} is already billed for "
                f"{document.draft.billing_date}"
            )
        docs.append(document)

    def documents(self, vendor_id: str, contract_id: str | None = None) -> list[Document]:
        return [
            d
            for d in self._state.documents.get(vendor_id, [])
            if contract_id is None or d.draft.contract_id == contract_id
        ]

    def next_number(self, vendor_id: str, prefix: str, year: int) -> int:
        key = (vendor_id, prefix, year)
        self._state.series[key] = self._state.series.get(key, 0) + 1
        return self._state.series[key]

    def usage(self, vendor_id: str, key: str) -> UsageRecord | None:
        return self._state.usage.get((vendor_id, key))

    def add_usage(self, vendor_id: str, record: UsageRecord) -> None:
        self._state.usage[(vendor_id, record.key)] = record

    def usage_many(self, vendor_id: str, keys: list[str]) -> dict[str, UsageRecord]:
        found = (self._state.usage.get((vendor_id, key)) for key in keys)
        return {r.key: r for r in found if r is not None}

    def add_usage_many(self, vendor_id: str, records: list[UsageRecord]) -> None:
        for record in records:
            self.add_usage(vendor_id, record)

    def unbilled_usage(self, vendor_id: str, contract_id: str, before: date) -> list[UsageRecord]:
        return [
            r
            for k, r in self._state.usage.items()
            if k[0] == vendor_id
            and r.contract_id == contract_id
            and r.occurred_on < before
            and k not in self._state.usage_billed
        ]

    def mark_usage_billed(self, vendor_id: str, records: list[UsageRecord], number: str) -> None:
        for (vendor, key), record in self._state.usage.items():
            if vendor == vendor_id and record in records:
                self._state.usage_billed[(vendor, key)] = number

    def vendors(self) -> list[str]:
        return sorted(self._state.catalogs)

    def customers(self, vendor_id: str) -> list[Customer]:
        return [c for (v, _), c in self._state.customers.items() if v == vendor_id]

    def contract_ids(self, vendor_id: str, customer_id: str | None = None) -> list[str]:
        return [
            cid
            for (v, cid), c in self._state.contracts.items()
            if v == vendor_id and customer_id in (None, c.customer.id)
        ]

    def audit(self, vendor_id: str, entity_id: str | None = None) -> list[AuditEntry]:
        return []

    def add_test_clock(self, vendor_id: str, clock: TestClockState) -> None:
        self._state.clocks[(vendor_id, clock.id)] = clock

    def test_clock(self, vendor_id: str, clock_id: str, lock: bool = False) -> TestClockState:
        try:
            return self._state.clocks[(vendor_id, clock_id)]
        except KeyError:
            raise UnknownTestClock(f"no test clock {clock_id!r}") from None

    def set_test_clock(self, vendor_id: str, clock: TestClockState) -> None:
        self._state.clocks[(vendor_id, clock.id)] = clock

    def test_clocks(self, vendor_id: str) -> list[TestClockState]:
        return [c for (v, _), c in self._state.clocks.items() if v == vendor_id]

    def add_api_key(self, record: ApiKeyRecord) -> None:
        self._state.api_keys[record.id] = record

    def api_key(self, key_id: str) -> ApiKeyRecord | None:
        return self._state.api_keys.get(key_id)

    def revoke_api_key(self, key_id: str, at: datetime) -> None:
        record = self._state.api_keys[key_id]
        if record.revoked_at is None:
            self._state.api_keys[key_id] = replace(record, revoked_at=at)

    def claim_idempotency_key(
        self, vendor_id: str, key: str, fingerprint: str, at: datetime
    ) -> IdempotentResponse | None:
        existing = self._state.idempotency.get((vendor_id, key))
        if existing is None or (
            existing.status is None
            and existing.claimed_at is not None
            and at - existing.claimed_at > LEGACY_CLAIM_TIMEOUT
        ):
            self._state.idempotency[(vendor_id, key)] = IdempotentResponse(
                fingerprint, None, None, at
            )
            return None
        return existing

    def store_idempotent_response(self, vendor_id: str, key: str, status: int, body: Any) -> None:
        claimed = self._state.idempotency[(vendor_id, key)]
        self._state.idempotency[(vendor_id, key)] = replace(claimed, status=status, body=body)

    def add_webhook_endpoint(self, endpoint: WebhookEndpoint) -> None:
        self._state.webhook_endpoints[endpoint.id] = endpoint

    def webhook_endpoints(self, vendor_id: str) -> list[WebhookEndpoint]:
        return [e for e in self._state.webhook_endpoints.values() if e.vendor_id == vendor_id]

    def webhook_endpoint(self, vendor_id: str, endpoint_id: str) -> WebhookEndpoint:
        endpoint = self._state.webhook_endpoints.get(endpoint_id)
        if endpoint is None or endpoint.vendor_id != vendor_id:
            raise UnknownWebhookEndpoint(f"no webhook endpoint {endpoint_id!r}")
        return endpoint

    def undelivered_outbox(self, limit: int) -> list[OutboxMessage]:
        pending = [m for m in self._state.outbox if m.sequence not in self._state.fanned_out]
        return pending[:limit]

    def mark_outbox_delivered(self, sequences: list[int]) -> None:
        self._state.fanned_out.update(sequences)

    def add_delivery(self, delivery: Delivery) -> None:
        self._state.deliveries[delivery.id] = delivery

    def next_due_delivery(self, now: datetime) -> Delivery | None:
        due = [
            d
            for d in self._state.deliveries.values()
            if d.status == "pending" and d.next_attempt_at is not None and d.next_attempt_at <= now
        ]
        return min(due, key=lambda d: (d.next_attempt_at, d.created_at)) if due else None

    def update_delivery(self, delivery: Delivery) -> None:
        self._state.deliveries[delivery.id] = delivery

    def delivery(self, vendor_id: str, delivery_id: str) -> Delivery | None:
        found = self._state.deliveries.get(delivery_id)
        return found if found is not None and found.vendor_id == vendor_id else None

    def deliveries(self, vendor_id: str, endpoint_id: str) -> list[Delivery]:
        return [
            d
            for d in self._state.deliveries.values()
            if d.vendor_id == vendor_id and d.endpoint_id == endpoint_id
        ]

    def publish(self, vendor_id: str, events: list[Event]) -> None:
        for event in events:
            self._state.outbox.append(OutboxMessage(len(self._state.outbox) + 1, vendor_id, event))

    def outbox(self, vendor_id: str | None = None) -> list[OutboxMessage]:
        return [m for m in self._state.outbox if vendor_id in (None, m.vendor_id)]
