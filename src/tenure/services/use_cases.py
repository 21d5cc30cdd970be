"""Use cases: what the CLI, the API, the portal and the workers ask tenure to do.

Each public method of :class:`Tenure` is one transaction through one unit of work: it loads the
aggregate, lets the domain decide, stores the result, and puts the recorded events into the outbox
before it commits. A refusal (a :class:`~tenure.domain.errors.DomainError`) rolls everything back.
"""

from __future__ import annotations

import functools
import itertools
import random
import secrets
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import ParamSpec, Protocol, TypeVar

from tenure.domain.calendar import local_date, start_of_local_day
from tenure.domain.cancellation import Cancellation, CancellationKind
from tenure.domain.catalog import Catalog, Plan
from tenure.domain.charges import Charge
from tenure.domain.contract import (
    Contract,
    ContractStatus,
    Entitlements,
    ScheduledChange,
    combined,
    entitlements_at,
)
from tenure.domain.customer import Customer, CustomerType
from tenure.domain.errors import (
    DomainError,
    InvalidDate,
    UnknownAddon,
    UnknownMetric,
    UnknownPlan,
)
from tenure.domain.invoicing import Document, DocumentDraft, DocumentType, last_invoice_number
from tenure.domain.usage import UsageRecord
from tenure.services.access import (
    ApiKeyRecord,
    InvalidApiKey,
    NewApiKey,
    Scope,
    key_id_of,
    new_api_key,
    verify,
)
from tenure.services.clock import Clock
from tenure.services.unit_of_work import (
    AuditEntry,
    ConcurrencyConflict,
    Page,
    TestClockState,
    UnitOfWork,
    page_size,
)

P = ParamSpec("P")
R = TypeVar("R")

#: How often a use case is run again after a concurrency conflict before giving up.
MAX_ATTEMPTS = 8


def retrying(method: Callable[P, R]) -> Callable[P, R]:
    """Run a use case again when another transaction got in first (a lost optimistic check, a
    deadlock, a usage key recorded meanwhile). Each attempt is a fresh transaction, so this is
    safe; a short random pause keeps two retrying writers from colliding again."""

    @functools.wraps(method)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        if args and getattr(args[0], "in_caller_transaction", False):
            # Joined to a caller's transaction: a retry here would keep the caller's locks and
            # meet the same conflict again; the caller retries the whole transaction.
            return method(*args, **kwargs)
        for attempt in range(1, MAX_ATTEMPTS + 1):
            try:
                return method(*args, **kwargs)
            except ConcurrencyConflict:
                if attempt == MAX_ATTEMPTS:
                    raise
                time.sleep(random.uniform(0, 0.005 * attempt))
        raise AssertionError("unreachable")

    return run


class IdGenerator(Protocol):
    def __call__(self, prefix: str) -> str:
        """A new opaque id such as ``cus_...``."""
        ...


def random_ids(prefix: str) -> str:
    return f"{prefix}_{secrets.token_hex(8)}"


@dataclass
class SequentialIds:
    """Deterministic ids (``cus_000001``) for simulations and tests."""

    counter: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def __call__(self, prefix: str) -> str:
        return f"{prefix}_{next(self.counter):06d}"


@dataclass(frozen=True, slots=True)
class BillingRun:
    """What a billing run did (``until`` None: each vendor's today)."""

    until: date | None
    contracts: int
    documents: tuple[str, ...]
    #: (vendor, contract, error) of contracts the run could not bill; the others were billed.
    failed: tuple[tuple[str, str, str], ...] = ()


@dataclass
class Tenure:
    """The application service: all use cases, wired to storage, a clock and an id source."""

    uow_factory: Callable[[], UnitOfWork]
    clock: Clock
    ids: IdGenerator = random_ids
    #: Set by :meth:`joined`: use cases do not retry on their own (the caller does).
    in_caller_transaction: bool = False

    def joined(self, uow: UnitOfWork) -> Tenure:
        """This application with every use case run inside the open ``uow``, each as a
        savepoint: what they commit becomes durable only when ``uow`` commits. The API runs a
        request with an Idempotency-Key so, to store its response in the same transaction."""
        return replace(self, uow_factory=lambda: uow, in_caller_transaction=True)

    # ------------------------------------------------------------------ vendors and customers

    @retrying
    def create_vendor(self, catalog: Catalog, vendor_id: str | None = None) -> str:
        vendor_id = vendor_id or self.ids("ven")
        with self.uow_factory() as uow:
            uow.add_vendor(vendor_id, catalog)
            uow.commit()
        return vendor_id

    @retrying
    def create_customer(
        self,
        vendor_id: str,
        *,
        type: CustomerType,
        name: str,
        country: str,
        email: str,
        locale: str = "de",
        vat_id: str | None = None,
        address: str | None = None,
        test_clock: str | None = None,
    ) -> Customer:
        """Create a customer; one given a ``test_clock`` is a sandbox customer living on it."""
        customer = Customer(
            id=self.ids("cus"),
            type=type,
            name=name,
            country=country.upper(),
            email=email,
            locale=locale,
            vat_id=vat_id,
            address=address,
            test_clock=test_clock,
        )
        with self.uow_factory() as uow:
            uow.catalog(vendor_id)
            if test_clock is not None:
                uow.test_clock(vendor_id, test_clock)
            uow.add_customer(vendor_id, customer)
            uow.commit()
        return customer

    # ------------------------------------------------------------------ contracts

    @retrying
    def start_contract(
        self,
        vendor_id: str,
        customer_id: str,
        plan_id: str,
        seats: int = 1,
        start: date | None = None,
    ) -> Contract:
        with self.uow_factory() as uow:
            catalog = uow.catalog(vendor_id)
            customer = uow.customer(vendor_id, customer_id)
            today = local_date(self._now(uow, vendor_id, customer), catalog.vendor.timezone)
            start = start or today
            if start < today:
                raise InvalidDate(f"a contract cannot start in the past ({start} < {today})")
            if start.year > today.year + 100:
                raise InvalidDate(f"a contract cannot start as late as {start}")
            contract = Contract(
                id=self.ids("ctr"),
                catalog=catalog,
                customer=customer,
                plan=_plan(catalog, plan_id),
                seats=seats,
                start=start,
            )
            uow.add_contract(vendor_id, contract)
            self._commit(uow, vendor_id, contract)
            return contract

    def contract(self, vendor_id: str, contract_id: str) -> Contract:
        with self.uow_factory().reading() as uow:
            return uow.contract(vendor_id, contract_id, lock=False)

    def entitlements(self, vendor_id: str, contract_id: str) -> Entitlements:
        with self.uow_factory().reading() as uow:
            contract = uow.contract(vendor_id, contract_id, lock=False)
            return contract.entitlements(self._now(uow, vendor_id, contract.customer))

    def customer_entitlements(self, vendor_id: str, customer_id: str) -> Entitlements:
        """What a customer may use now over all its contracts (limits add up), in one read of
        the stored entitlement timelines."""
        with self.uow_factory().reading() as uow:
            now = self._now(uow, vendor_id, uow.customer(vendor_id, customer_id))
            timelines = uow.entitlement_timelines(vendor_id, customer_id)
            return combined(entitlements_at(grants, now) for grants in timelines)

    def quote_end_date(
        self, vendor_id: str, contract_id: str, requested: date | None = None
    ) -> date:
        with self.uow_factory().reading() as uow:
            contract = uow.contract(vendor_id, contract_id, lock=False)
            return contract.earliest_end(self._now(uow, vendor_id, contract.customer), requested)

    @retrying
    def book_addon(self, vendor_id: str, contract_id: str, addon_id: str, quantity: int = 1) -> str:
        with self.uow_factory() as uow:
            contract = uow.contract(vendor_id, contract_id)
            addon = contract.catalog.addons.get(addon_id)
            if addon is None:
                raise UnknownAddon(f"no add-on {addon_id!r} in the catalog", addon=addon_id)
            booking = contract.book_addon(
                addon, quantity, self._now(uow, vendor_id, contract.customer)
            )
            self._commit(uow, vendor_id, contract)
            return booking.id

    @retrying
    def cancel_addon(self, vendor_id: str, contract_id: str, booking_id: str) -> date | None:
        with self.uow_factory() as uow:
            contract = uow.contract(vendor_id, contract_id)
            booking = contract.cancel_addon(
                booking_id, self._now(uow, vendor_id, contract.customer)
            )
            self._commit(uow, vendor_id, contract)
            return booking.ends_on

    @retrying
    def withdraw_addon(self, vendor_id: str, contract_id: str, booking_id: str) -> list[Document]:
        """Withdraw a booking; returns the credit notes issued for what was already invoiced."""
        with self.uow_factory() as uow:
            contract = uow.contract(vendor_id, contract_id)
            drafts = contract.withdraw_addon(
                booking_id,
                self._now(uow, vendor_id, contract.customer),
                uow.documents(vendor_id, contract_id),
            )
            credit_notes = [self._issue(uow, vendor_id, contract, d) for d in drafts]
            self._commit(uow, vendor_id, contract)
            return credit_notes

    @retrying
    def change_plan(
        self, vendor_id: str, contract_id: str, plan_id: str, seats: int | None = None
    ) -> ScheduledChange | None:
        with self.uow_factory() as uow:
            contract = uow.contract(vendor_id, contract_id)
            change = contract.change_plan(
                _plan(contract.catalog, plan_id),
                seats,
                self._now(uow, vendor_id, contract.customer),
            )
            self._commit(uow, vendor_id, contract)
            return change

    @retrying
    def record_usage(
        self, vendor_id: str, contract_id: str, metric: str, quantity: Decimal, key: str
    ) -> UsageRecord:
        """Record usage once per idempotency ``key``; a retry returns the first record."""
        with self.uow_factory() as uow:
            existing = uow.usage(vendor_id, key)
            if existing is not None:
                existing.check_retry(metric, quantity, contract_id)
                return existing
            contract = uow.contract(vendor_id, contract_id)
            if metric not in contract.catalog.metrics:
                raise UnknownMetric(f"no metric {metric!r} in the catalog", metric=metric)
            record = contract.record_usage(
                key, metric, quantity, self._now(uow, vendor_id, contract.customer)
            )
            uow.add_usage(vendor_id, record)
            self._commit(uow, vendor_id, contract)
            return record

    @retrying
    def record_usage_batch(
        self, vendor_id: str, events: Sequence[tuple[str, str, Decimal, str]]
    ) -> list[UsageRecord | DomainError]:
        """Record many usage events ``(contract, metric, quantity, key)`` in one transaction.
        Each is accepted (a retry of a known key returns the first record) or refused on its
        own; the result lists a record or the refusal for every event, in order."""
        results: list[UsageRecord | DomainError] = []
        with self.uow_factory() as uow:
            known = uow.usage_many(vendor_id, [key for *_, key in events])
            contracts: dict[str, Contract] = {}
            fresh: dict[str, UsageRecord] = {}
            for contract_id, metric, quantity, key in events:
                try:
                    earlier = known.get(key) or fresh.get(key)
                    if earlier is not None:
                        earlier.check_retry(metric, quantity, contract_id)
                        results.append(earlier)
                        continue
                    if contract_id not in contracts:
                        contracts[contract_id] = uow.contract(vendor_id, contract_id, lock=False)
                    contract = contracts[contract_id]
                    if metric not in contract.catalog.metrics:
                        raise UnknownMetric(f"no metric {metric!r} in the catalog", metric=metric)
                    now = self._now(uow, vendor_id, contract.customer)
                    fresh[key] = contract.record_usage(key, metric, quantity, now)
                    results.append(fresh[key])
                except DomainError as exc:
                    results.append(exc)
            uow.add_usage_many(vendor_id, list(fresh.values()))
            for contract in contracts.values():
                uow.publish(vendor_id, contract.pull_events())
            uow.commit()
        return results

    @retrying
    def add_one_time_charge(
        self, vendor_id: str, contract_id: str, description: str, amount: Decimal
    ) -> None:
        """A one-time fee (or, negative, a credit) onto the contract's next invoice."""
        with self.uow_factory() as uow:
            contract = uow.contract(vendor_id, contract_id)
            contract.add_one_time_charge(
                description, amount, self._now(uow, vendor_id, contract.customer)
            )
            self._commit(uow, vendor_id, contract)

    @retrying
    def cancel_contract(
        self,
        vendor_id: str,
        contract_id: str,
        *,
        kind: CancellationKind = CancellationKind.ORDINARY,
        requested_end: date | None = None,
        reason: str | None = None,
        email: str | None = None,
    ) -> Cancellation:
        with self.uow_factory() as uow:
            contract = uow.contract(vendor_id, contract_id)
            cancellation = contract.cancel(
                kind=kind,
                at=self._now(uow, vendor_id, contract.customer),
                email=email,
                requested_end=requested_end,
                reason=reason,
            )
            self._commit(uow, vendor_id, contract)
            return cancellation

    @retrying
    def revoke_cancellation(self, vendor_id: str, contract_id: str) -> Cancellation:
        with self.uow_factory() as uow:
            contract = uow.contract(vendor_id, contract_id)
            cancellation = contract.revoke_cancellation(
                self._now(uow, vendor_id, contract.customer)
            )
            self._commit(uow, vendor_id, contract)
            return cancellation

    @retrying
    def decide_cancellation(
        self,
        vendor_id: str,
        contract_id: str,
        *,
        accept: bool,
        end_date: date | None = None,
        reason: str = "",
    ) -> Cancellation:
        """The vendor's decision on an extraordinary termination."""
        with self.uow_factory() as uow:
            contract = uow.contract(vendor_id, contract_id)
            now = self._now(uow, vendor_id, contract.customer)
            cancellation = (
                contract.accept_cancellation(now, end_date)
                if accept
                else contract.reject_cancellation(now, reason)
            )
            self._commit(uow, vendor_id, contract)
            return cancellation

    # ------------------------------------------------------------------ billing

    def run_billing(
        self,
        until: date | None = None,
        vendor_id: str | None = None,
        progress: Callable[[int, int], None] | None = None,
    ) -> BillingRun:
        """Bill and apply everything due up to ``until`` (a local date, default today), one
        transaction per contract and day, so that a run stopped half-way resumes where it was.
        ``progress(done, total)`` is called after each contract."""
        issued: list[str] = []
        failed: list[tuple[str, str, str]] = []
        due = self.contracts_due(until, vendor_id)
        for done, (vendor, contract_id) in enumerate(due, 1):
            try:
                while (numbers := self.bill_next_day(vendor, contract_id, until)) is not None:
                    issued.extend(numbers)
            except Exception as exc:
                failed.append((vendor, contract_id, f"{type(exc).__name__}: {exc}"))
            if progress is not None:
                progress(done, len(due))
        return BillingRun(until, len(due), tuple(issued), tuple(failed))

    @retrying
    def bill_next_day(
        self, vendor_id: str, contract_id: str, until: date | None = None
    ) -> list[str] | None:
        """Apply and bill the contract's next due day if it is on or before ``until`` (default:
        today in the vendor's zone), in one transaction. Returns the numbers issued, or None when
        nothing is due. The contract row is locked, so concurrent runs take turns and a day is
        billed once (a second run finds it already processed)."""
        with self.uow_factory() as uow:
            contract = uow.contract(vendor_id, contract_id)
            day = contract.next_due_date()
            now = self._now(uow, vendor_id, contract.customer)
            today = local_date(now, contract.vendor.timezone)
            # A sandbox contract never runs ahead of its test clock, whatever the run asks.
            limit = min(until, today) if until and contract.customer.test_clock else until or today
            if day is None or day > limit:
                return None
            numbers = self._run_day(uow, vendor_id, contract, day)
            self._commit(uow, vendor_id, contract)
            return numbers

    def _run_day(self, uow: UnitOfWork, vendor_id: str, contract: Contract, day: date) -> list[str]:
        usage = uow.unbilled_usage(vendor_id, contract.id, day)
        last_invoice = last_invoice_number(uow.documents(vendor_id, contract.id))
        drafts = contract.bill_day(day, uow.catalog(vendor_id), usage, last_invoice)
        documents = [self._issue(uow, vendor_id, contract, draft) for draft in drafts]
        if documents:  # usage is a charge: it is on the first document (the invoice)
            uow.mark_usage_billed(vendor_id, usage, documents[0].number)
        return [document.number for document in documents]

    def contracts_due(
        self, until: date | None, vendor_id: str | None = None
    ) -> list[tuple[str, str]]:
        """(vendor, contract) pairs with something due on or before ``until`` (None: any day)."""
        with self.uow_factory().reading() as uow:
            return uow.contracts_due(vendor_id, until or date.max)

    # ------------------------------------------------------------------ queries

    def vendors(self) -> list[str]:
        with self.uow_factory().reading() as uow:
            return uow.vendors()

    def catalog(self, vendor_id: str) -> Catalog:
        with self.uow_factory().reading() as uow:
            return uow.catalog(vendor_id)

    def customers(self, vendor_id: str) -> list[Customer]:
        with self.uow_factory().reading() as uow:
            return uow.customers(vendor_id)

    def customer(self, vendor_id: str, customer_id: str) -> Customer:
        with self.uow_factory().reading() as uow:
            return uow.customer(vendor_id, customer_id)

    def contracts(self, vendor_id: str, customer_id: str | None = None) -> list[Contract]:
        with self.uow_factory().reading() as uow:
            return uow.contracts_for_reading(vendor_id, customer_id)

    def audit(self, vendor_id: str, entity_id: str | None = None) -> list[AuditEntry]:
        with self.uow_factory().reading() as uow:
            return uow.audit(vendor_id, entity_id)

    # Pages of lists for the API: ``after`` is the ``next`` cursor of the previous page.

    def customers_page(
        self, vendor_id: str, *, after: str | None = None, limit: int = 20
    ) -> Page[Customer]:
        with self.uow_factory().reading() as uow:
            return uow.customers_page(vendor_id, after, page_size(limit))

    def contracts_page(
        self,
        vendor_id: str,
        *,
        customer_id: str | None = None,
        status: ContractStatus | None = None,
        after: str | None = None,
        limit: int = 20,
    ) -> Page[Contract]:
        with self.uow_factory().reading() as uow:
            return uow.contracts_page(vendor_id, after, page_size(limit), customer_id, status)

    def documents_page(
        self,
        vendor_id: str,
        *,
        contract_id: str | None = None,
        type: DocumentType | None = None,
        issued_from: date | None = None,
        issued_to: date | None = None,
        after: str | None = None,
        limit: int = 20,
    ) -> Page[Document]:
        with self.uow_factory().reading() as uow:
            return uow.documents_page(
                vendor_id, after, page_size(limit), contract_id, type, issued_from, issued_to
            )

    def audit_page(
        self,
        vendor_id: str,
        *,
        entity_id: str | None = None,
        after: str | None = None,
        limit: int = 20,
    ) -> Page[AuditEntry]:
        with self.uow_factory().reading() as uow:
            return uow.audit_page(vendor_id, after, page_size(limit), entity_id)

    def preview_plan_change(
        self, vendor_id: str, contract_id: str, plan_id: str, seats: int | None = None
    ) -> tuple[ScheduledChange | None, list[Charge], list[DocumentDraft]]:
        """What a plan change would do now: the scheduled change (a downgrade) or the prorations
        it would add (an upgrade), and the next invoice with it. Nothing is stored."""
        with self.uow_factory().reading() as uow:
            contract = uow.contract(vendor_id, contract_id, lock=False)
            before = {p.id for p in contract.pending}
            change = contract.change_plan(
                _plan(contract.catalog, plan_id),
                seats,
                self._now(uow, vendor_id, contract.customer),
            )
            prorations = [p.charge for p in contract.pending if p.id not in before]
            return change, prorations, self._next_documents(uow, vendor_id, contract)

    def preview_next_invoice(self, vendor_id: str, contract_id: str) -> list[DocumentDraft]:
        """The document(s) the contract's next billing day would issue, from what is known now
        (usage recorded so far, pending items). Nothing is stored or numbered."""
        with self.uow_factory().reading() as uow:
            contract = uow.contract(vendor_id, contract_id, lock=False)
            return self._next_documents(uow, vendor_id, contract)

    def _next_documents(
        self, uow: UnitOfWork, vendor_id: str, contract: Contract
    ) -> list[DocumentDraft]:
        """Roll a contract that will not be stored to its next billing day and bill it."""
        return contract.preview_next_documents(
            uow.catalog(vendor_id), lambda day: uow.unbilled_usage(vendor_id, contract.id, day)
        )

    def documents(self, vendor_id: str, contract_id: str | None = None) -> list[Document]:
        with self.uow_factory().reading() as uow:
            return uow.documents(vendor_id, contract_id)

    # ------------------------------------------------------------------ API access

    def create_api_key(
        self, vendor_id: str, scope: Scope = Scope.FULL, name: str = ""
    ) -> NewApiKey:
        """A new API key; its secret is in the result and nowhere else (only a hash is kept)."""
        key = new_api_key(vendor_id, scope, name, self.clock.now())
        with self.uow_factory() as uow:
            uow.catalog(vendor_id)
            uow.add_api_key(key.record)
            uow.commit()
        return key

    def authenticate(self, secret: str) -> ApiKeyRecord:
        with self.uow_factory().reading() as uow:
            return verify(uow.api_key(key_id_of(secret)), secret)

    def revoke_api_key(self, vendor_id: str, key_id: str) -> None:
        with self.uow_factory() as uow:
            record = uow.api_key(key_id)
            if record is None or record.vendor_id != vendor_id:
                raise InvalidApiKey(f"no API key {key_id!r}")
            uow.revoke_api_key(key_id, self.clock.now())
            uow.commit()

    # ------------------------------------------------------------------ test clocks

    @retrying
    def create_test_clock(
        self, vendor_id: str, frozen_at: datetime, name: str = ""
    ) -> TestClockState:
        """A clock frozen at ``frozen_at`` for sandbox customers (created with ``test_clock``)."""
        if frozen_at.tzinfo is None:
            raise InvalidDate("a test clock needs a time with a time zone")
        clock = TestClockState(self.ids("clk"), name, frozen_at.astimezone(UTC))
        with self.uow_factory() as uow:
            uow.catalog(vendor_id)
            uow.add_test_clock(vendor_id, clock)
            uow.commit()
        return clock

    def advance_test_clock(self, vendor_id: str, clock_id: str, to: datetime) -> BillingRun:
        """Move a test clock forward to ``to``. Billing and every scheduled transition of its
        contracts that falls in between runs on the way, at the start of each due day in the
        vendor's time zone, exactly as production would run it."""
        if to.tzinfo is None:
            raise InvalidDate("advance a test clock to a time with a time zone")
        with self.uow_factory().reading() as uow:
            clock = uow.test_clock(vendor_id, clock_id)
            if to < clock.frozen_at:
                raise InvalidDate(
                    f"a test clock only moves forward (it is at {clock.frozen_at:%Y-%m-%d %H:%M}Z)"
                )
            zone = uow.catalog(vendor_id).vendor.timezone
            customers = {c.id for c in uow.customers(vendor_id) if c.test_clock == clock_id}
            contracts = [
                cid
                for customer in sorted(customers)
                for cid in uow.contract_ids(vendor_id, customer)
            ]
        target = local_date(to, zone)
        issued: list[str] = []
        while True:
            due = self._next_due(vendor_id, contracts, target)
            if due is None:
                break
            day, contract_id = due
            self._set_test_clock(vendor_id, clock_id, start_of_local_day(day, zone))
            issued.extend(self.bill_next_day(vendor_id, contract_id, day) or [])
        self._set_test_clock(vendor_id, clock_id, to)
        return BillingRun(target, len(contracts), tuple(issued))

    def _next_due(
        self, vendor_id: str, contract_ids: list[str], target: date
    ) -> tuple[date, str] | None:
        with self.uow_factory().reading() as uow:
            due = [
                (day, cid)
                for cid in contract_ids
                if (day := uow.contract(vendor_id, cid, lock=False).next_due_date()) is not None
                and day <= target
            ]
        return min(due) if due else None

    @retrying
    def _set_test_clock(self, vendor_id: str, clock_id: str, instant: datetime) -> None:
        with self.uow_factory() as uow:
            clock = uow.test_clock(vendor_id, clock_id, lock=True)
            if instant > clock.frozen_at:
                uow.set_test_clock(vendor_id, replace(clock, frozen_at=instant.astimezone(UTC)))
                uow.commit()

    def test_clocks(self, vendor_id: str) -> list[TestClockState]:
        with self.uow_factory().reading() as uow:
            return uow.test_clocks(vendor_id)

    # ------------------------------------------------------------------ helpers

    def _now(self, uow: UnitOfWork, vendor_id: str, customer: Customer) -> datetime:
        """The current instant for this customer: the test clock's for a sandbox customer."""
        if customer.test_clock is None:
            return self.clock.now()
        return uow.test_clock(vendor_id, customer.test_clock).frozen_at

    def _issue(
        self, uow: UnitOfWork, vendor_id: str, contract: Contract, draft: DocumentDraft
    ) -> Document:
        series = contract.number_series(draft)
        number = series.number(uow.next_number(vendor_id, series.prefix, series.year))
        document, issued_at = contract.issue(
            draft, number, self._now(uow, vendor_id, contract.customer)
        )
        uow.add_document(vendor_id, document, issued_at)
        return document

    def _commit(self, uow: UnitOfWork, vendor_id: str, contract: Contract) -> None:
        uow.publish(vendor_id, contract.finish_change())
        uow.commit()


def _plan(catalog: Catalog, plan_id: str) -> Plan:
    plan = catalog.plans.get(plan_id)
    if plan is None:
        raise UnknownPlan(f"no plan {plan_id!r} in the catalog", plan=plan_id)
    return plan
