"""The in-memory store's units of work: writes stay in an overlay until the outermost commit, a
savepoint undoes only its own part, a loaded contract is a private copy, and a transaction copies
only the contracts it loads (never the store)."""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

import pytest

from tenure.adapters.memory import InMemoryStore
from tenure.bootstrap import bootstrap
from tenure.domain.contract import Contract
from tenure.domain.customer import Customer, CustomerType
from tenure.services.application import Services
from tenure.services.clock import ManualClock
from tenure.services.context import SequentialIds
from tenure.services.errors import ConcurrencyConflict, UnknownCustomer
from tenure.services.unit_of_work import UnitOfWork
from tests.unit.conftest import catalog_file

VENDOR = "ven_memory"
JAN_15 = datetime(2026, 1, 14, 23, 0, tzinfo=UTC)  # 2026-01-15 00:00 in Berlin


def customer(customer_id: str) -> Customer:
    return Customer(customer_id, CustomerType.BUSINESS, "K", "DE", "k@k.example")


@pytest.fixture
def store() -> InMemoryStore:
    store = InMemoryStore()
    with store.unit_of_work() as uow:
        uow.vendors.add(VENDOR, catalog_file("cloudcrm"))
        uow.commit()
    return store


def app_with_contracts(count: int) -> tuple[InMemoryStore, Services, list[str]]:
    store = InMemoryStore()
    app = bootstrap(store, ManualClock(JAN_15), SequentialIds())
    app.vendors.create(catalog_file("cloudcrm"), VENDOR)
    cus = app.customers.create(
        VENDOR,
        type=CustomerType.BUSINESS,
        name="K",
        country="DE",
        email="k@k.example",
        address="Kundenweg 1, 10115 Berlin",
    )
    ids = [app.contracts.start(VENDOR, cus.id, "business").id for _ in range(count)]
    return store, app, ids


def stored(store: InMemoryStore, contract_id: str) -> Contract:
    contract: Contract = store.table("contracts")[(VENDOR, contract_id)]
    return contract


def test_commit_applies_the_writes(store: InMemoryStore) -> None:
    with store.unit_of_work() as uow:
        uow.customers.add(VENDOR, customer("cus_1"))
        assert (VENDOR, "cus_1") not in store.table("customers")  # nothing before the commit
        uow.commit()
    assert store.table("customers")[(VENDOR, "cus_1")] == customer("cus_1")
    with store.unit_of_work() as uow:
        assert uow.customers.get(VENDOR, "cus_1") == customer("cus_1")


def test_a_rollback_or_an_exception_discards_the_writes(store: InMemoryStore) -> None:
    before = {name: dict(rows) for name, rows in store.tables.items()}
    with store.unit_of_work() as uow:
        uow.customers.add(VENDOR, customer("cus_1"))
        uow.documents.next_number(VENDOR, "RE", 2026)
        uow.rollback()
        with pytest.raises(UnknownCustomer):
            uow.customers.get(VENDOR, "cus_1")

    def refused() -> None:
        with store.unit_of_work() as uow:
            uow.customers.add(VENDOR, customer("cus_2"))
            uow.documents.next_number(VENDOR, "RE", 2026)
            raise RuntimeError("refused")

    with pytest.raises(RuntimeError):
        refused()
    with store.unit_of_work() as uow:  # not committed: left behind by __exit__
        uow.customers.add(VENDOR, customer("cus_3"))
    assert {name: dict(rows) for name, rows in store.tables.items()} == before


def test_a_savepoint_rolls_back_only_its_own_part(store: InMemoryStore) -> None:
    def refused(uow: UnitOfWork) -> None:
        with uow:  # entered again: a savepoint
            uow.customers.add(VENDOR, customer("cus_refused"))
            assert uow.customers.get(VENDOR, "cus_refused")
            raise RuntimeError("refused")

    with store.unit_of_work() as uow:
        uow.customers.add(VENDOR, customer("cus_outer"))
        with pytest.raises(RuntimeError):
            refused(uow)
        with uow:
            uow.customers.add(VENDOR, customer("cus_kept"))
            uow.commit()  # kept for the outer transaction, not yet durable
        assert (VENDOR, "cus_kept") not in store.table("customers")
        assert [c.id for c in uow.customers.list(VENDOR)] == ["cus_outer", "cus_kept"]
        uow.commit()
    assert sorted(k[1] for k in store.table("customers")) == ["cus_kept", "cus_outer"]


def test_nothing_a_savepoint_committed_survives_the_outer_rollback(store: InMemoryStore) -> None:
    with store.unit_of_work() as uow:
        with uow:
            uow.customers.add(VENDOR, customer("cus_inner"))
            uow.commit()
        uow.rollback()
    assert store.table("customers") == {}


def test_reads_inside_a_transaction_see_its_own_writes(store: InMemoryStore) -> None:
    with store.unit_of_work() as uow:
        uow.customers.add(VENDOR, customer("cus_1"))
        assert uow.customers.get(VENDOR, "cus_1") == customer("cus_1")
        assert [c.id for c in uow.customers.list(VENDOR)] == ["cus_1"]
        assert [uow.documents.next_number(VENDOR, "RE", 2026) for _ in range(3)] == [1, 2, 3]
        assert uow.vendors.add(VENDOR, catalog_file("cloudcrm")) == 2
        assert uow.vendors.add(VENDOR, catalog_file("cloudcrm")) == 3
    with store.unit_of_work() as uow:  # all rolled back
        assert uow.documents.next_number(VENDOR, "RE", 2026) == 1
        assert uow.vendors.add(VENDOR, catalog_file("cloudcrm")) == 2


def test_a_loaded_contract_changed_and_not_committed_does_not_leak() -> None:
    store, app, (contract_id,) = app_with_contracts(1)
    original = stored(store, contract_id)
    with store.unit_of_work() as uow:
        contract = uow.contracts.get(VENDOR, contract_id)
        assert contract is not original  # a private copy
        assert uow.contracts.get(VENDOR, contract_id) is contract  # one per transaction
        contract.book_addon(contract.catalog.addons["extra_user"], 2, JAN_15)
        contract.seats = 99
    assert stored(store, contract_id) is original
    assert original.seats == 1
    assert original.bookings == {}
    # A contract loaded for reading is a copy too, and never saved.
    with store.unit_of_work() as uow:
        uow.contracts.get(VENDOR, contract_id, lock=False).seats = 42
        uow.commit()
    assert stored(store, contract_id).seats == 1
    # What the caller does with its object after the commit is not stored either.
    with store.unit_of_work() as uow:
        contract = uow.contracts.get(VENDOR, contract_id)
        contract.seats = 5
        uow.commit()
    contract.seats = 77
    assert stored(store, contract_id).seats == 5
    assert app.queries.contract(VENDOR, contract_id).seats == 5


def test_a_transaction_copies_only_the_contract_it_loads(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    store, app, ids = app_with_contracts(30)
    untouched = {cid: stored(store, cid) for cid in ids[1:]}
    copied: list[str] = []
    deepcopy: Callable[..., Any] = copy.deepcopy

    def counting(x: Any, memo: dict[int, Any] | None = None, _nil: Any = ()) -> Any:
        if isinstance(x, Contract):
            copied.append(x.id)
        return deepcopy(x, memo)

    monkeypatch.setattr(copy, "deepcopy", counting)
    app.addons.book(VENDOR, ids[0], "extra_user", 1)
    monkeypatch.undo()
    # One copy to load it, one to store what the transaction made of it; no other contract.
    assert copied == [ids[0], ids[0]]
    assert len(stored(store, ids[0]).bookings) == 1
    assert all(stored(store, cid) is row for cid, row in untouched.items())


def test_a_contract_changed_meanwhile_is_a_concurrency_conflict() -> None:
    store, app, (contract_id,) = app_with_contracts(1)
    first, second = store.unit_of_work(), store.unit_of_work()
    with first, second:
        first.contracts.get(VENDOR, contract_id).seats = 4
        second.contracts.get(VENDOR, contract_id).seats = 5
        first.commit()
        with pytest.raises(ConcurrencyConflict):
            second.commit()
    assert stored(store, contract_id).seats == 4
    # A fresh transaction (as the use cases' retry runs) starts from the winner's state.
    app.addons.book(VENDOR, contract_id, "extra_user", 1)
    assert stored(store, contract_id).seats == 4
    assert len(stored(store, contract_id).bookings) == 1


def test_a_billing_run_bills_each_contract_once() -> None:
    _, app, ids = app_with_contracts(5)
    clock = app.billing.ctx.clock
    assert isinstance(clock, ManualClock)
    clock.advance_to(datetime(2026, 2, 14, 23, tzinfo=UTC))  # 2026-02-15 00:00 in Berlin
    run = app.billing.run(until=date(2026, 2, 15))
    assert run.failed == ()
    numbers = [d.number for d in app.queries.documents(VENDOR)]
    assert numbers == sorted(set(numbers))
    assert len(numbers) == len(run.documents) == 10
    assert all(app.queries.contract(VENDOR, cid).next_due_date() > date(2026, 2, 15) for cid in ids)


def test_billing_runs_in_parallel_threads_bill_each_day_once_without_failures() -> None:
    """Three runs at once over the same due contracts (tenure bill run is safe to run in
    parallel): a run that loses the race for a contract retries and finds it billed, it never
    fails on the duplicate guard; numbers stay gap-free."""
    clock = ManualClock(datetime(2026, 1, 1, 9, tzinfo=UTC))
    services = bootstrap(InMemoryStore(), clock)
    vendor = services.vendors.create(catalog_file("redconnect"))
    for i in range(30):
        customer = services.customers.create(
            vendor,
            type=CustomerType.BUSINESS,
            name=f"K{i}",
            country="DE",
            email="k@x.example",
            address="Kundenweg 1, 10115 Berlin",
        )
        services.contracts.start(vendor, customer.id, "basis")
    services.billing.run()
    clock.advance_to(datetime(2026, 6, 15, 9, tzinfo=UTC))
    runs: list[Any] = []
    threads = [
        threading.Thread(target=lambda: runs.append(services.billing.run())) for _ in range(3)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [run.failed for run in runs] == [(), (), ()]
    numbers = sorted(d.number for d in services.queries.documents(vendor))
    assert numbers == [f"RE-2026-{n:06d}" for n in range(1, len(numbers) + 1)]
    assert len(numbers) == 30 * 6  # January to June, each month once


def _queued_email(store: InMemoryStore) -> None:
    from tenure.services.repositories.emails import EmailRecord, EmailStatus

    now = datetime(2026, 11, 28, 9, tzinfo=UTC)
    with store.unit_of_work() as uow:
        uow.emails.add(
            EmailRecord(
                "em_1",
                "v",
                "cus_1",
                True,
                1,
                "contract.started",
                "contract_confirmation",
                "a@b.example",
                "de",
                "<em_1@x.example>",
                {},
                (),
                EmailStatus.PENDING,
                0,
                now,
                now,
            )
        )
        uow.commit()


def test_two_workers_never_lease_the_same_email(store: InMemoryStore) -> None:
    """Both scan the due mail; the first commits its lease; the second, which chose the mail
    before that commit, conflicts on commit (or sees it gone) instead of leasing it too."""
    from dataclasses import replace

    _queued_email(store)
    later = datetime(2026, 11, 28, 10, tzinfo=UTC)
    first, second = store.unit_of_work(), store.unit_of_work()
    with first, second:
        mine = first.emails.next_due(later)
        theirs = second.emails.next_due(later)
        assert mine is not None
        assert theirs is not None
        first.emails.update(replace(mine, next_attempt_at=later))
        first.commit()
        second.emails.update(replace(theirs, next_attempt_at=later))
        with pytest.raises(ConcurrencyConflict):
            second.commit()
    with store.unit_of_work() as third:  # chosen after the lease: not due any more
        assert third.emails.next_due(datetime(2026, 11, 28, 9, 30, tzinfo=UTC)) is None
