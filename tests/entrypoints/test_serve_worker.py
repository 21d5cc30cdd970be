"""The in-process worker of ``tenure serve`` survives a failing step: a billing run that raises is
logged, and the message bus and webhook deliveries go on."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tenure.adapters.catalog_yaml import load_catalog_file
from tenure.adapters.memory import InMemoryStore
from tenure.bootstrap import bootstrap
from tenure.domain.customer import CustomerType
from tenure.entrypoints.serve import Workers
from tenure.services.clock import ManualClock

CATALOG = Path(__file__).resolve().parents[2] / "examples" / "catalogs" / "cloudcrm.yaml"


def test_a_failing_billing_run_is_logged_and_the_worker_goes_on(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    services = bootstrap(InMemoryStore(), ManualClock(datetime(2026, 2, 3, 9, tzinfo=UTC)))
    vendor = services.vendors.create(load_catalog_file(CATALOG))
    customer = services.customers.create(
        vendor,
        type=CustomerType.BUSINESS,
        name="K",
        country="DE",
        email="k@x.example",
        address="Kundenweg 1, 10115 Berlin",
    )
    services.contracts.start(vendor, customer.id, "business")
    handled: list[str] = []
    services.bus.subscribe(None, lambda _uow, message: handled.append(message.event.name))

    def broken_run() -> None:
        raise RuntimeError("the database went away")

    monkeypatch.setattr(services.billing, "run", broken_run)  # fault injection
    worker = Workers(services, interval=0.01)
    worker.start()
    try:
        deadline = time.monotonic() + 10
        while not handled and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        worker.stop()
    assert handled == ["contract.started"]  # the bus ran after the failed billing run
    assert "billing run failed" in caplog.text
    assert "the database went away" in caplog.text
