"""A billing run finds the contracts that are due by their stored next due date and loads and
locks only those: a pass over contracts of which none is due takes no row lock and writes
nothing, and a sandbox contract waits for its test clock. (Runs are for the test's vendor: the
PostgreSQL database is shared by the tests of one worker.)"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event

from tenure.adapters.catalog_yaml import load_catalog_file, load_catalog_text
from tenure.adapters.memory.contracts import MemoryContracts
from tenure.adapters.sql import SqlStore
from tenure.bootstrap import bootstrap
from tenure.domain.contract import Contract
from tenure.domain.customer import CustomerType
from tenure.services.application import Services
from tenure.services.clock import ManualClock

CATALOG = Path(__file__).resolve().parents[2] / "examples" / "catalogs" / "cloudcrm.yaml"
JAN_15 = datetime(2026, 1, 14, 23, 0, tzinfo=UTC)  # 00:00 in Berlin
JAN_20 = datetime(2026, 1, 20, 9, 0, tzinfo=UTC)
FEB_15 = datetime(2026, 2, 14, 23, 0, tzinfo=UTC)
#: What takes a lock or writes: row locks (PostgreSQL), SQLite's write transaction, any change.
LOCKING = re.compile(r"FOR UPDATE|BEGIN IMMEDIATE|^\s*(INSERT|UPDATE|DELETE)\b", re.I)


class Locks:
    """What a store was asked to lock or write while the recorder listened."""

    def __init__(self) -> None:
        self.taken: list[str] = []


@pytest.fixture
def fleet(store_factory: Any) -> tuple[Services, str, Any, ManualClock]:
    """Three live contracts started on 15 January 2026 and billed for it."""
    clock = ManualClock(JAN_15)
    store = store_factory(clock)
    app = bootstrap(store, clock)
    vendor = app.vendors.create(load_catalog_file(CATALOG))
    for name in ("A", "B", "C"):
        customer = app.customers.create(
            vendor,
            type=CustomerType.BUSINESS,
            name=name,
            country="DE",
            email="a@x.example",
            address="Kundenweg 1, 10115 Berlin",
        )
        app.contracts.start(vendor, customer.id, "business")
    assert len(app.billing.run(vendor_id=vendor).documents) == 3
    return app, vendor, store, clock


@pytest.fixture
def locks(fleet: tuple[Services, str, Any, ManualClock], monkeypatch: pytest.MonkeyPatch) -> Locks:
    """Record every lock and write: SQL statements on the store's engine, and contracts the
    in-memory store is asked to load for change."""
    _, _, store, _ = fleet
    recorder = Locks()
    if isinstance(store, SqlStore):

        def seen(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
            if LOCKING.search(statement):
                recorder.taken.append(statement.split("\n")[0])

        event.listen(store.engine, "before_cursor_execute", seen)
    else:
        original = MemoryContracts.get

        def get(
            self: MemoryContracts, vendor_id: str, contract_id: str, lock: bool = True
        ) -> Contract:
            if lock:
                recorder.taken.append(f"contract {contract_id}")
            return original(self, vendor_id, contract_id, lock)

        monkeypatch.setattr(MemoryContracts, "get", get)
    return recorder


def test_a_run_with_nothing_due_takes_no_lock_and_writes_nothing(
    fleet: tuple[Services, str, Any, ManualClock], locks: Locks
) -> None:
    app, vendor, _, clock = fleet
    clock.advance_to(JAN_20)
    run = app.billing.run(vendor_id=vendor)
    assert (run.contracts, run.documents, run.failed) == (0, (), ())
    assert app.billing.due(vendor_id=vendor) == []
    assert locks.taken == []


def test_only_the_contracts_that_are_due_are_locked(
    fleet: tuple[Services, str, Any, ManualClock], locks: Locks
) -> None:
    app, vendor, _, clock = fleet
    first = app.queries.contracts(vendor)[0]
    app.addons.book(vendor, first.id, "extra_user")  # its own change, before the recorder counts
    locks.taken.clear()
    clock.advance_to(JAN_20)
    assert app.billing.run(vendor_id=vendor).contracts == 0
    assert locks.taken == []

    clock.advance_to(FEB_15)
    due = app.billing.due(vendor_id=vendor)
    assert sorted(due) == sorted((vendor, c.id) for c in app.queries.contracts(vendor))
    run = app.billing.run(vendor_id=vendor)
    assert (run.contracts, len(run.documents)) == (3, 3)
    assert locks.taken  # the positive control: billing does lock what it bills


def test_a_sandbox_contract_waits_for_its_test_clock(
    fleet: tuple[Services, str, Any, ManualClock], locks: Locks
) -> None:
    app, vendor, _, clock = fleet
    sandbox_clock = app.test_clocks.create(vendor, JAN_15, name="Sandbox")
    customer = app.customers.create(
        vendor,
        type=CustomerType.BUSINESS,
        name="Sandbox GmbH",
        country="DE",
        email="s@x.example",
        test_clock_id=sandbox_clock.id,
        address="Kundenweg 1, 10115 Berlin",
    )
    contract = app.contracts.start(vendor, customer.id, "business")
    assert app.billing.due(vendor_id=vendor) == [
        (vendor, contract.id)
    ]  # its first day, on its own clock
    app.billing.run(vendor_id=vendor)
    locks.taken.clear()

    clock.advance_to(FEB_15)  # live contracts are due again; the sandbox clock stands still
    due = app.billing.due(vendor_id=vendor)
    assert (vendor, contract.id) not in due
    assert len(due) == 3
    assert app.billing.due(date(2026, 2, 15), vendor) == due  # `until` never outruns a test clock
    assert locks.taken == []


def test_a_contract_is_due_by_the_zone_of_the_catalog_it_runs_on(
    fleet: tuple[Services, str, Any, ManualClock],
) -> None:
    """A new catalog version in another zone reaches running contracts only at their next
    period, so on the way they are still billed at 00:00 of their own (old) zone."""
    app, vendor, _, clock = fleet
    text = CATALOG.read_text(encoding="utf-8")
    app.vendors.create(
        load_catalog_text(text.replace("Europe/Berlin", "America/New_York"), "ny"), vendor
    )
    clock.advance_to(datetime(2026, 2, 14, 23, 30, tzinfo=UTC))  # 00:30 in Berlin, 18:30 in NY
    assert len(app.billing.due(vendor_id=vendor)) == 3
    assert len(app.billing.run(vendor_id=vendor).documents) == 3


def test_a_test_clock_far_ahead_does_not_make_live_contracts_due(
    fleet: tuple[Services, str, Any, ManualClock], locks: Locks
) -> None:
    app, vendor, _, clock = fleet
    app.test_clocks.create(vendor, datetime(2030, 1, 1, tzinfo=UTC), name="Zukunft")
    locks.taken.clear()
    clock.advance_to(JAN_20)
    assert app.billing.due(vendor_id=vendor) == []
    assert app.billing.run(vendor_id=vendor).contracts == 0
    assert locks.taken == []
