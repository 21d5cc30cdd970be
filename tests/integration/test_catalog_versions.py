"""Catalog versions: a price change applies to new periods only; running contracts keep their
version until their next period starts; new contracts start on the newest version."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from tenure.adapters.catalog_yaml import load_catalog_file, load_catalog_text
from tenure.bootstrap import bootstrap
from tenure.domain.customer import CustomerType
from tenure.services.clock import ManualClock

CATALOG = Path(__file__).resolve().parents[2] / "examples" / "catalogs" / "cloudcrm.yaml"


def test_a_price_change_reaches_running_contracts_at_their_next_period(store_factory: Any) -> None:
    clock = ManualClock(datetime(2026, 1, 14, 23, 0, tzinfo=UTC))  # 2026-01-15 00:00 Berlin
    app = bootstrap(store_factory(clock), clock)
    vendor = app.vendors.create(load_catalog_file(CATALOG))
    customer = app.customers.create(
        vendor, type=CustomerType.BUSINESS, name="Alt GmbH", country="DE", email="a@k.example"
    )
    old = app.contracts.start(vendor, customer.id, "business").id
    app.billing.run(until=date(2026, 1, 15), vendor_id=vendor)

    clock.advance_to(datetime(2026, 2, 1, 9, 0, tzinfo=UTC))
    text = CATALOG.read_text(encoding="utf-8").replace('price: "49.00"', 'price: "59.00"')
    app.vendors.create(load_catalog_text(text), vendor)  # version 2
    new = app.contracts.start(vendor, customer.id, "business").id  # starts 2026-02-01
    clock.advance_to(datetime(2026, 2, 14, 23, 0, tzinfo=UTC))  # 2026-02-15 00:00 Berlin
    app.billing.run(until=date(2026, 2, 15), vendor_id=vendor)

    nets = {
        (d.draft.contract_id, d.issue_date): d.lines[0].net for d in app.queries.documents(vendor)
    }
    assert nets[(old, date(2026, 1, 15))] == Decimal("49.00")  # before the change
    assert nets[(new, date(2026, 2, 1))] == Decimal("59.00")  # a new contract: the new price
    assert nets[(old, date(2026, 2, 15))] == Decimal("59.00")  # the old one from its next period
    assert app.queries.contract(vendor, old).plan.price == Decimal("59.00")


def test_a_contract_whose_plan_was_withdrawn_keeps_its_version(store_factory: Any) -> None:
    clock = ManualClock(datetime(2026, 1, 14, 23, 0, tzinfo=UTC))
    app = bootstrap(store_factory(clock), clock)
    vendor = app.vendors.create(load_catalog_file(CATALOG))
    customer = app.customers.create(
        vendor, type=CustomerType.BUSINESS, name="Alt GmbH", country="DE", email="a@k.example"
    )
    old = app.contracts.start(vendor, customer.id, "business").id
    text = CATALOG.read_text(encoding="utf-8").replace("  business:\n", "  business2026:\n")
    app.vendors.create(load_catalog_text(text), vendor)
    clock.advance_to(datetime(2026, 3, 14, 23, 0, tzinfo=UTC))  # 2026-03-15 00:00 Berlin
    app.billing.run(until=date(2026, 3, 15), vendor_id=vendor)

    assert [d.lines[0].net for d in app.queries.documents(vendor)] == [Decimal("49.00")] * 3
    assert app.queries.contract(vendor, old).plan.id == "business"


def test_a_version_that_changes_cycle_or_currency_is_not_forced_on_running_contracts(
    store_factory: Any,
) -> None:
    clock = ManualClock(datetime(2026, 1, 14, 23, 0, tzinfo=UTC))
    app = bootstrap(store_factory(clock), clock)
    vendor = app.vendors.create(load_catalog_file(CATALOG))
    customer = app.customers.create(
        vendor, type=CustomerType.BUSINESS, name="Alt GmbH", country="DE", email="a@k.example"
    )
    old = app.contracts.start(vendor, customer.id, "business").id
    text = (
        CATALOG.read_text(encoding="utf-8")
        .replace("billing_cycle: monthly", "billing_cycle: quarterly")
        .replace('price: "49.00"', 'price: "147.00"')
        .replace("currency: EUR", "currency: CHF")
    )
    app.vendors.create(load_catalog_text(text), vendor)
    clock.advance_to(datetime(2026, 3, 14, 23, 0, tzinfo=UTC))  # 2026-03-15 00:00 Berlin
    app.billing.run(until=date(2026, 3, 15), vendor_id=vendor)

    documents = app.queries.documents(vendor)
    assert [(d.draft.currency, d.lines[0].net) for d in documents] == [
        ("EUR", Decimal("49.00"))
    ] * 3
    assert app.queries.contract(vendor, old).plan.billing_cycle.value == "monthly"
