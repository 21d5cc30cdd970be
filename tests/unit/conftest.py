"""Fixtures for the contract tests: a sandbox that drives tenure through its use cases
(:class:`Services`) on an in-memory store and a test clock, moving time the way ``tenure
simulate`` and the production scheduler do: billing and scheduled transitions run at 00:00 local
time of each due day.
"""

from __future__ import annotations

import copy
import functools
import uuid
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from tenure.adapters.catalog_yaml import load_catalog_file, load_catalog_text
from tenure.adapters.memory import InMemoryStore
from tenure.bootstrap import bootstrap
from tenure.domain.calendar import ONE_DAY, local_date, start_of_local_day
from tenure.domain.cancellation import Cancellation, CancellationKind
from tenure.domain.catalog import Catalog
from tenure.domain.contract import Contract, Entitlements, ScheduledChange
from tenure.domain.customer import CustomerType
from tenure.domain.events import Event
from tenure.domain.invoicing import Document, DocumentLine
from tenure.services.clock import ManualClock
from tenure.services.context import SequentialIds
from tenure.services.notifications import Email, emails_for
from tenure.services.read_models import contract_view

StoreFactory = Callable[[ManualClock], Any]

CATALOGS = Path(__file__).resolve().parents[2] / "examples" / "catalogs"
ONE_SECOND = ONE_DAY / 86400


def catalog_file(name: str) -> Catalog:
    """One of the bundled example catalogs, e.g. ``cloudcrm``."""
    return load_catalog_file(CATALOGS / f"{name}.yaml")


def catalog_variant(name: str, replace: dict[str, str]) -> Catalog:
    """A bundled catalog with some of its text replaced (each piece must occur exactly once)."""
    text = (CATALOGS / f"{name}.yaml").read_text(encoding="utf-8")
    for old, new in replace.items():
        assert text.count(old) == 1, f"{old!r} must occur once in {name}.yaml"
        text = text.replace(old, new)
    return load_catalog_text(text, f"{name}-variant")


class Sandbox:
    """One vendor, one customer, one contract, started and billed for its first day."""

    def __init__(
        self,
        catalog: Catalog,
        *,
        plan: str,
        start: date,
        seats: int = 1,
        customer_type: str = "business",
        country: str = "DE",
        vat_id: str | None = None,
        email: str = "billing@kunde.example",
        store_factory: StoreFactory = lambda _clock: InMemoryStore(),
    ) -> None:
        self.catalog = catalog
        self.zone = catalog.vendor.timezone
        self.vendor_id = f"ven_{uuid.uuid4().hex[:12]}"
        self.clock = ManualClock(start_of_local_day(start, self.zone))
        self.store = store_factory(self.clock)
        self.app = bootstrap(self.store, self.clock, SequentialIds())
        self.app.vendors.create(catalog, self.vendor_id)
        self.customer = self.app.customers.create(
            self.vendor_id,
            type=CustomerType(customer_type),
            name="Kunde",
            country=country,
            email=email,
            vat_id=vat_id,
            address="Kundenweg 1, 10115 Berlin",
        )
        self.contract_id = self.app.contracts.start(
            self.vendor_id, self.customer.id, plan, seats, start
        ).id
        self.at(start_of_local_day(start, self.zone))

    # ------------------------------------------------------------------ time

    def instant(self, moment: str | datetime) -> datetime:
        """``2026-02-03T10:00`` is local time in the vendor's zone unless it carries an offset."""
        value = datetime.fromisoformat(moment) if isinstance(moment, str) else moment
        if value.tzinfo is None:
            value = value.replace(tzinfo=ZoneInfo(self.zone))
        return value

    def at(self, moment: str | datetime) -> Sandbox:
        """Move the clock to ``moment``, running every billing day on the way at 00:00 local time
        (the same loop as ``Simulation.advance_to``)."""
        target_instant = self.instant(moment)
        self._run_due_days_through(local_date(target_instant, self.zone))
        self.clock.advance_to(target_instant)
        return self

    def through(self, day: date) -> Sandbox:
        """Play the clock to the end of local date ``day``."""
        self._run_due_days_through(day)
        self.clock.advance_to(
            max(self.clock.now(), start_of_local_day(day + ONE_DAY, self.zone) - ONE_SECOND)
        )
        return self

    def _run_due_days_through(self, target: date) -> None:
        while True:
            day = self.contract.next_due_date()
            if day is None or day > target:
                return
            self.clock.advance_to(max(self.clock.now(), start_of_local_day(day, self.zone)))
            self.app.billing.run(until=day, vendor_id=self.vendor_id)

    # ------------------------------------------------------------------ use cases

    def book(self, addon: str, quantity: int = 1) -> str:
        return self.app.addons.book(self.vendor_id, self.contract_id, addon, quantity)

    def cancel_addon(self, booking_id: str) -> date | None:
        return self.app.addons.cancel(self.vendor_id, self.contract_id, booking_id)

    def withdraw(self, booking_id: str) -> list[Document]:
        return self.app.addons.withdraw(self.vendor_id, self.contract_id, booking_id)

    def change_plan(self, plan: str, seats: int | None = None) -> ScheduledChange | None:
        return self.app.contracts.change_plan(self.vendor_id, self.contract_id, plan, seats)

    def usage(
        self,
        metric: str,
        quantity: int | str,
        key: str,
        occurred_at: str | datetime | None = None,
    ) -> Any:
        """Record usage now, or that happened at ``occurred_at`` (local time unless it has an
        offset, like :meth:`at`)."""
        instant = occurred_at if occurred_at is None else self.instant(occurred_at)
        if isinstance(occurred_at, datetime) and occurred_at.tzinfo is None:
            instant = occurred_at  # a naive instant, as a caller might send it
        return self.app.usage.record(
            self.vendor_id, self.contract_id, metric, Decimal(str(quantity)), key, instant
        )

    def cancel(
        self,
        *,
        kind: CancellationKind = CancellationKind.ORDINARY,
        requested_end: date | None = None,
        reason: str | None = None,
        email: str | None = None,
    ) -> Cancellation:
        return self.app.cancellations.cancel(
            self.vendor_id,
            self.contract_id,
            kind=kind,
            requested_end=requested_end,
            reason=reason,
            email=email,
        )

    def cancel_extraordinary(
        self, reason: str | None, requested_end: date | None = None
    ) -> Cancellation:
        return self.cancel(
            kind=CancellationKind.EXTRAORDINARY, reason=reason, requested_end=requested_end
        )

    def revoke(self) -> Cancellation:
        return self.app.cancellations.revoke(self.vendor_id, self.contract_id)

    def decide(self, *, accept: bool, end_date: date | None = None, reason: str = "") -> Any:
        if accept:
            return self.app.cancellations.accept(self.vendor_id, self.contract_id, end_date)
        return self.app.cancellations.reject(self.vendor_id, self.contract_id, reason)

    # ------------------------------------------------------------------ queries

    @property
    def contract(self) -> Contract:
        """The contract, from its aggregate; its stored read model (the contract as displayed)
        is checked against it on every call."""
        contract = self.app.queries.contract(self.vendor_id, self.contract_id)
        stored = self.app.queries.contract_view(self.vendor_id, self.contract_id)
        assert stored == contract_view(contract), "the stored contract view differs"
        return contract

    def entitlements(self) -> Entitlements:
        """The contract's entitlements now, from the aggregate; checked against the stored read
        model (the customer's entitlement timeline) on every call."""
        live = self.app.queries.entitlements(self.vendor_id, self.contract_id)
        stored = self.app.queries.customer_entitlements(self.vendor_id, self.customer.id)
        assert stored == live, f"read model {stored} differs from the aggregate {live}"
        return live

    @property
    def documents(self) -> list[Document]:
        return self.app.queries.documents(self.vendor_id, self.contract_id)

    def document(self, number: str) -> Document:
        matches = [d for d in self.documents if d.number == number]
        assert len(matches) == 1, f"no single document {number}: {self.numbers()}"
        return matches[0]

    def issued_on(self, day: date) -> list[Document]:
        return [d for d in self.documents if d.issue_date == day]

    def numbers(self) -> list[str]:
        return [d.number for d in self.documents]

    @property
    def events(self) -> list[Event]:
        with self.store.unit_of_work() as uow:
            return [m.event for m in uow.outbox.list(self.vendor_id)]

    @property
    def emails(self) -> list[Email]:
        return [e for event in self.events for e in emails_for(event, self.customer)]

    @staticmethod
    def line(document: Document, item: str, kind: str | None = None, **where: Any) -> DocumentLine:
        """The single line of ``document`` for ``item`` (and ``kind``; and ``start=`` / ``last=``,
        the first and the inclusive last local day of its period; and ``net=``)."""

        def fits(x: DocumentLine) -> bool:
            if x.item != item or (kind is not None and x.kind.value != kind):
                return False
            if "net" in where and x.net != Decimal(where["net"]):
                return False
            if "start" in where and (x.period is None or x.period.start != where["start"]):
                return False
            return "last" not in where or (
                x.period is not None and x.period.last_day == where["last"]
            )

        found = [x for x in document.lines if fits(x)]
        assert len(found) == 1, f"{document.number}: not one line {item} {kind} {where}: {found}"
        return found[0]

    def _storage_fingerprint(self) -> tuple[object, ...]:
        """Number series and usage records (with which are billed), read from whichever store this
        sandbox uses."""
        if isinstance(self.store, InMemoryStore):
            tables = ("series", "usage", "usage_billed", "unbilled")
            return tuple(dict(self.store.table(name)) for name in tables)
        from tenure.adapters.sql import tables as t

        with self.store.engine.connect() as conn:
            series = conn.execute(
                select(t.number_series).where(t.number_series.c.vendor_id == self.vendor_id)
            ).all()
            usage = conn.execute(
                select(t.usage_events).where(t.usage_events.c.vendor_id == self.vendor_id)
            ).all()
        return (sorted(map(tuple, series)), sorted(map(tuple, usage)))

    def snapshot(self) -> tuple[object, ...]:
        """Everything a use case could change, as comparable values (deep copies)."""
        c = self.contract
        with self.store.unit_of_work() as uow:
            outbox = len(uow.outbox.list())
        return copy.deepcopy(
            (
                c.status,
                c.end_date,
                c.plan.id,
                c.seats,
                c.scheduled_change,
                c.plan_covered_until,
                c.next_bill_date,
                c.processed_through,
                c.bookings,
                c.pending,
                c.cancellations,
                c.version,
                c.events,
                self.numbers(),
                *self._storage_fingerprint(),
                outbox,
            )
        )


@pytest.fixture
def sandbox(store_factory: StoreFactory) -> Callable[..., Sandbox]:
    """Factory: ``sandbox(catalog, plan=..., start=...)`` starts a contract and bills its first
    day, on the store of this run (in memory, SQLite or PostgreSQL)."""
    return functools.partial(Sandbox, store_factory=store_factory)


@pytest.fixture
def cloudcrm() -> Catalog:
    return catalog_file("cloudcrm")


@pytest.fixture
def redconnect() -> Catalog:
    return catalog_file("redconnect")


@pytest.fixture
def annual() -> Catalog:
    return catalog_file("annual")


@pytest.fixture
def tiers() -> Catalog:
    """CloudCRM with starter 29.00, business 49.00, business_plus 49.00, enterprise 99.00 (extra
    storage only) and business_quarterly."""
    return catalog_file("cloudcrm-tiers")


@pytest.fixture
def variant() -> Callable[[str, dict[str, str]], Catalog]:
    """``variant("cloudcrm", {"old text": "new text"})``: a bundled catalog, edited."""
    return catalog_variant
