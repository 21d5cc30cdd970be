"""Correctness under concurrency, with real processes and threads on SQLite and PostgreSQL:
gap-free unique invoice numbers under parallel billing runs, no lost update on one contract,
idempotent usage, and a billing run killed half-way that resumes to the same invoices."""

from __future__ import annotations

import functools
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from tenure.adapters.sql import SqlStore
from tenure.bootstrap import bootstrap
from tenure.domain.cancellation import CancellationStatus
from tenure.services.application import Services
from tenure.services.clock import ManualClock
from tests.integration.fleet import new_vendor_id, populate

ROOT = Path(__file__).resolve().parents[2]
UNTIL = date(2026, 6, 30)
PARALLEL_RUNS = 4
CONTRACTS = 12
INVOICES_EACH = 6  # 01-15, 02-15, 03-15, 04-15, 05-15, 06-15


def tenure_on(url: str) -> tuple[Services, SqlStore]:
    clock = ManualClock(datetime(2026, 1, 14, 23, 0, tzinfo=UTC))
    store = SqlStore(url, clock, migrate=False)
    return bootstrap(store, clock), store


def worker(url: str, vendor: str, pause: float = 0.0) -> subprocess.Popen[bytes]:
    args = [
        sys.executable,
        "-m",
        "tests.integration.worker",
        "bill",
        url,
        vendor,
        UNTIL.isoformat(),
    ]
    if pause:
        args.append(str(pause))
    return subprocess.Popen(args, cwd=ROOT, stderr=subprocess.PIPE)


def billed(
    app: Services, vendor: str, contract_ids: list[str]
) -> list[tuple[int, date, str, Decimal]]:
    """(rank of the contract in billing order, issue date, number, gross) of every document:
    runs bill contracts in the order of their ids, so equal ranks must get equal numbers."""
    index = {cid: n for n, cid in enumerate(sorted(contract_ids))}
    return sorted(
        (index[d.draft.contract_id], d.draft.issue_date, d.number, d.draft.gross_total)
        for d in app.queries.documents(vendor)
    )


def test_parallel_billing_runs_issue_gap_free_unique_numbers(db_url: str) -> None:
    app, store = tenure_on(db_url)
    vendor = new_vendor_id()
    ids = populate(app, vendor, CONTRACTS, date(2026, 1, 15))

    runs = [worker(db_url, vendor) for _ in range(PARALLEL_RUNS)]
    for run in runs:
        _, err = run.communicate(timeout=300)
        assert run.returncode == 0, err.decode()

    documents = app.queries.documents(vendor)
    numbers = sorted(d.number for d in documents)
    assert numbers == [f"RE-2026-{n:06d}" for n in range(1, CONTRACTS * INVOICES_EACH + 1)]
    per_contract_day = {(d.draft.contract_id, d.draft.billing_date) for d in documents}
    assert len(per_contract_day) == len(documents)  # no (contract, day) billed twice
    assert {cid for cid, _ in per_contract_day} == set(ids)
    store.dispose()


def _together(*calls: Callable[[], Any]) -> list[Any]:
    """Run the calls in threads that start at the same moment; return results or exceptions."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def run(i: int, call: Callable[[], Any]) -> None:
        barrier.wait()
        try:
            results[i] = call()
        except Exception as exc:
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


@pytest.mark.parametrize("attempt", range(5))
def test_two_changes_to_one_contract_at_once_are_both_kept(db_url: str, attempt: int) -> None:
    del attempt  # five independent races
    app, store = tenure_on(db_url)
    vendor = new_vendor_id()
    (contract_id,) = populate(app, vendor, 1, date(2026, 1, 15))
    app.billing.run(until=date(2026, 1, 15), vendor_id=vendor)

    booking, cancellation = _together(
        lambda: app.addons.book(vendor, contract_id, "extra_user", 2),
        lambda: app.cancellations.cancel(vendor, contract_id),
    )
    assert not isinstance(booking, Exception), booking
    assert not isinstance(cancellation, Exception), cancellation
    contract = app.queries.contract(vendor, contract_id)
    assert list(contract.bookings) == [booking]
    assert [c.status for c in contract.cancellations] == [CancellationStatus.CONFIRMED]
    assert len(contract.pending) == 1  # the booking's proration
    store.dispose()


def test_the_same_usage_key_sent_at_once_is_recorded_once(
    tmp_path: Path, postgres_url: str
) -> None:
    from tenure.adapters.catalog_yaml import load_catalog_file
    from tenure.domain.customer import CustomerType

    for url in (f"sqlite:///{tmp_path}/usage.sqlite", postgres_url):
        clock = ManualClock(datetime(2026, 1, 1, tzinfo=UTC))
        store = SqlStore(url, clock)
        app = bootstrap(store, clock)
        vendor = new_vendor_id()
        app.vendors.create(load_catalog_file(ROOT / "examples/catalogs/redconnect.yaml"), vendor)
        customer = app.customers.create(
            vendor,
            type=CustomerType.BUSINESS,
            name="Praxis",
            country="DE",
            email="p@x.example",
            address="Kundenweg 1, 10115 Berlin",
        )
        contract_id = app.contracts.start(vendor, customer.id, "plus", seats=2).id
        record = functools.partial(
            app.usage.record, vendor, contract_id, "sms", Decimal(5), "evt-1"
        )
        results = _together(*[record] * 6)
        assert all(not isinstance(r, Exception) for r in results), results
        assert len({(r.key, r.quantity) for r in results}) == 1
        with store.unit_of_work() as uow:
            assert len(uow.usage.unbilled(vendor, contract_id, date(2026, 2, 1))) == 1
        store.dispose()


def test_a_billing_run_killed_half_way_resumes_to_the_same_invoices(db_url: str) -> None:
    app, store = tenure_on(db_url)
    reference_vendor, crashed_vendor = new_vendor_id(), new_vendor_id()
    reference_ids = populate(app, reference_vendor, CONTRACTS, date(2026, 1, 15))
    crashed_ids = populate(app, crashed_vendor, CONTRACTS, date(2026, 1, 15))
    assert isinstance(store.clock, ManualClock)
    store.clock.advance_to(datetime(UNTIL.year, UNTIL.month, UNTIL.day, 12, tzinfo=UTC))

    app.billing.run(until=UNTIL, vendor_id=reference_vendor)

    run = worker(db_url, crashed_vendor, pause=0.02)
    deadline = time.monotonic() + 120
    while len(app.queries.documents(crashed_vendor)) < CONTRACTS * INVOICES_EACH // 3:
        assert time.monotonic() < deadline, "the worker made no progress"
        time.sleep(0.02)
    os.kill(run.pid, signal.SIGKILL)
    run.wait()
    half = len(app.queries.documents(crashed_vendor))
    assert 0 < half < CONTRACTS * INVOICES_EACH

    app.billing.run(until=UNTIL, vendor_id=crashed_vendor)  # the restart

    assert billed(app, crashed_vendor, crashed_ids) == billed(app, reference_vendor, reference_ids)
    store.dispose()


def test_duplicates_sent_at_once_with_one_idempotency_key_run_once_and_get_one_answer(
    db_url: str,
) -> None:
    """The first request holds its key's claim until it commits; the others wait for it and
    replay its response instead of running again (or being told to retry)."""
    from tenure.adapters.catalog_yaml import load_catalog_file
    from tenure.domain.customer import CustomerType
    from tenure.entrypoints.api.security import Caller, Idempotency, idempotent
    from tenure.services.access import Scope

    app, store = tenure_on(db_url)
    vendor = new_vendor_id()
    app.vendors.create(load_catalog_file(ROOT / "examples/catalogs/cloudcrm.yaml"), vendor)
    runs: list[str] = []

    def create(tx: Services) -> dict[str, Any]:
        customer = tx.customers.create(
            vendor,
            type=CustomerType.BUSINESS,
            name="Einmal",
            country="DE",
            email="e@x.example",
            address="Kundenweg 1, 10115 Berlin",
        )
        runs.append(customer.id)
        time.sleep(0.3)  # keep the transaction open while the duplicates arrive
        return {"id": customer.id}

    send = functools.partial(
        idempotent,
        app,
        Caller(vendor, Scope.FULL, "key"),
        Idempotency("k-once", "POST /v1/customers"),
        {"name": "Einmal"},
        create,
    )
    answers = _together(*[send] * 4)
    assert all(not isinstance(a, Exception) for a in answers), answers
    assert len(runs) == 1
    assert answers == [{"id": runs[0]}] * 4
    assert [c.id for c in app.queries.customers(vendor)] == runs
    store.dispose()
