"""Test clocks (as in Stripe): a sandbox customer lives on a clock that is frozen until advanced;
advancing runs the billing and transitions that fall in between, exactly as production would."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from tenure.adapters.catalog_yaml import load_catalog_file, load_catalog_text
from tenure.bootstrap import bootstrap
from tenure.domain.customer import CustomerType
from tenure.domain.errors import InvalidDate
from tenure.services.application import Services
from tenure.services.clock import ManualClock

CATALOG = Path(__file__).resolve().parents[2] / "examples" / "catalogs" / "cloudcrm.yaml"
SYSTEM_NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)  # the "real" time of the system clock
JAN_15_BERLIN = datetime(2026, 1, 14, 23, 0, tzinfo=UTC)


def sandbox_app(store_factory: Any) -> tuple[Services, str]:
    clock = ManualClock(SYSTEM_NOW)
    store = store_factory(clock)
    app = bootstrap(store, clock)
    vendor = app.vendors.create(load_catalog_file(CATALOG))
    return app, vendor


def sandbox_contract(app: Services, vendor: str) -> tuple[str, str]:
    clock = app.test_clocks.create(vendor, JAN_15_BERLIN, name="Januar-Test")
    customer = app.customers.create(
        vendor,
        type=CustomerType.BUSINESS,
        name="Sandbox GmbH",
        country="DE",
        email="sandbox@kunde.example",
        test_clock_id=clock.id,
        address="Kundenweg 1, 10115 Berlin",
    )
    contract = app.contracts.start(vendor, customer.id, "business")  # today = the clock's day
    assert contract.start == date(2026, 1, 15)
    return clock.id, contract.id


def test_advancing_a_test_clock_bills_every_period_start_on_the_way(store_factory: Any) -> None:
    app, vendor = sandbox_app(store_factory)
    clock_id, _ = sandbox_contract(app, vendor)

    run = app.test_clocks.advance(vendor, clock_id, datetime(2026, 3, 20, 9, 0, tzinfo=UTC))

    assert run.documents == ("TEST-RE-2026-000001", "TEST-RE-2026-000002", "TEST-RE-2026-000003")
    assert [d.issue_date for d in app.queries.documents(vendor)] == [
        date(2026, 1, 15),
        date(2026, 2, 15),
        date(2026, 3, 15),
    ]
    (clock,) = app.test_clocks.list(vendor)
    assert clock.frozen_at == datetime(2026, 3, 20, 9, 0, tzinfo=UTC)


def test_use_cases_of_a_sandbox_customer_happen_at_the_clock_time(store_factory: Any) -> None:
    app, vendor = sandbox_app(store_factory)
    clock_id, contract_id = sandbox_contract(app, vendor)
    app.test_clocks.advance(vendor, clock_id, datetime(2026, 2, 3, 9, 0, tzinfo=UTC))

    booking = app.addons.book(vendor, contract_id, "extra_user", 2)  # on 2026-02-03, not in Nov.

    contract = app.queries.contract(vendor, contract_id)
    assert contract.bookings[booking].booked_on == date(2026, 2, 3)
    assert contract.bookings[booking].withdrawal_last_day == date(2026, 2, 17)
    app.test_clocks.advance(vendor, clock_id, datetime(2026, 2, 15, 12, 0, tzinfo=UTC))
    february = app.queries.documents(vendor)[-1]
    # 49.00 + 2 × 5.90 + the proration 11.80 × 12/31 = 4.57
    assert (february.issue_date, str(february.draft.net_total)) == (date(2026, 2, 15), "65.37")


def test_a_production_billing_run_never_moves_a_sandbox_contract_past_its_clock(
    store_factory: Any,
) -> None:
    app, vendor = sandbox_app(store_factory)
    clock_id, _ = sandbox_contract(app, vendor)
    app.test_clocks.advance(vendor, clock_id, datetime(2026, 1, 20, tzinfo=UTC))

    app.billing.run()  # the system's run (today: 2026-11-22)

    assert [d.issue_date for d in app.queries.documents(vendor)] == [date(2026, 1, 15)]


def test_a_test_clock_only_moves_forward(store_factory: Any) -> None:
    app, vendor = sandbox_app(store_factory)
    clock_id, _ = sandbox_contract(app, vendor)
    with pytest.raises(InvalidDate, match="only moves forward"):
        app.test_clocks.advance(vendor, clock_id, datetime(2026, 1, 1, tzinfo=UTC))


@pytest.mark.parametrize("zone", ["Pacific/Auckland", "America/Los_Angeles"])
def test_a_clock_bills_each_day_in_the_zone_of_the_catalog_its_contract_runs_on(
    store_factory: Any, zone: str
) -> None:
    """A new catalog version in another zone reaches a running contract only at its next
    period; until then its days begin at Berlin's midnight. (A zone ahead of Berlin used to set
    the clock to a midnight that was still yesterday in Berlin, forever.)"""
    app, vendor = sandbox_app(store_factory)
    clock_id, _ = sandbox_contract(app, vendor)
    text = CATALOG.read_text(encoding="utf-8").replace("Europe/Berlin", zone)
    app.vendors.create(load_catalog_text(text, "moved"), vendor)

    run = app.test_clocks.advance(vendor, clock_id, datetime(2026, 2, 15, 0, 30, tzinfo=UTC))

    assert run.documents == ("TEST-RE-2026-000001", "TEST-RE-2026-000002")
    assert [d.issue_date for d in app.queries.documents(vendor)] == [
        date(2026, 1, 15),
        date(2026, 2, 15),
    ]
