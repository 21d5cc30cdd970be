"""A test clock's limits (security review #14 point 3): one advance moves at most two years, one
clock runs at most 100 contracts, and a shutdown stops an advance at its next billing day."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from tenure.adapters.memory import InMemoryStore
from tenure.bootstrap import bootstrap
from tenure.domain.customer import CustomerType
from tenure.services.clock import ManualClock
from tenure.services.errors import AdvanceInterrupted, AdvanceTooFar, TooManyContractsOnClock
from tenure.services.repositories.test_clocks import MAX_ADVANCE, MAX_CONTRACTS_PER_CLOCK
from tests.integration.test_test_clocks import (
    JAN_15_BERLIN,
    SYSTEM_NOW,
    sandbox_app,
    sandbox_contract,
)


def test_an_advance_across_decades_is_refused_and_two_years_are_not(store_factory: Any) -> None:
    app, vendor = sandbox_app(store_factory)
    clock_id, _ = sandbox_contract(app, vendor)
    with pytest.raises(AdvanceTooFar):
        app.test_clocks.advance(vendor, clock_id, JAN_15_BERLIN + timedelta(days=365 * 80))
    with pytest.raises(AdvanceTooFar):
        app.test_clocks.advance(
            vendor, clock_id, JAN_15_BERLIN + MAX_ADVANCE + timedelta(seconds=1)
        )
    assert app.test_clocks.list(vendor)[0].frozen_at == JAN_15_BERLIN  # refused: did not move

    run = app.test_clocks.advance(vendor, clock_id, JAN_15_BERLIN + MAX_ADVANCE)
    assert len(run.documents) == 25  # the first invoice and 24 monthly ones
    assert app.test_clocks.list(vendor)[0].frozen_at == JAN_15_BERLIN + MAX_ADVANCE


def test_a_clock_runs_at_most_its_limit_of_contracts() -> None:
    from tenure.adapters.catalog_yaml import load_catalog_file
    from tests.integration.test_test_clocks import CATALOG

    app = bootstrap(InMemoryStore(), ManualClock(SYSTEM_NOW))
    vendor = app.vendors.create(load_catalog_file(CATALOG))
    clock = app.test_clocks.create(vendor, JAN_15_BERLIN)
    customer = app.customers.create(
        vendor,
        type=CustomerType.BUSINESS,
        name="S",
        country="DE",
        email="s@k.example",
        address="Kundenweg 1, 10115 Berlin",
        test_clock_id=clock.id,
    )
    contracts = [
        app.contracts.start(vendor, customer.id, "business").id
        for _ in range(MAX_CONTRACTS_PER_CLOCK)
    ]
    with pytest.raises(TooManyContractsOnClock):
        app.contracts.start(vendor, customer.id, "business")
    # Live customers and other clocks are not limited by it.
    other = app.test_clocks.create(vendor, JAN_15_BERLIN)
    elsewhere = app.customers.create(
        vendor,
        type=CustomerType.BUSINESS,
        name="O",
        country="DE",
        email="o@k.example",
        address="Kundenweg 1, 10115 Berlin",
        test_clock_id=other.id,
    )
    app.contracts.start(vendor, elsewhere.id, "business")
    assert len(contracts) == MAX_CONTRACTS_PER_CLOCK


def test_a_shutdown_stops_an_advance_at_a_billing_day(store_factory: Any) -> None:
    app, vendor = sandbox_app(store_factory)
    clock_id, _ = sandbox_contract(app, vendor)
    app.test_clocks.stop_advances()
    with pytest.raises(AdvanceInterrupted):
        app.test_clocks.advance(vendor, clock_id, JAN_15_BERLIN + timedelta(days=400))
    assert app.test_clocks.list(vendor)[0].frozen_at < JAN_15_BERLIN + timedelta(days=400)
