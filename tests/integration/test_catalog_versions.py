"""Catalog versions: a price change applies to new periods only; running contracts keep their
version until their next period starts; new contracts start on the newest version."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from tenure.adapters.catalog_yaml import load_catalog_file, load_catalog_text
from tenure.bootstrap import bootstrap
from tenure.domain.catalog import Grandfathered
from tenure.domain.customer import CustomerType
from tenure.domain.errors import DomainError
from tenure.services.clock import ManualClock

CATALOG = Path(__file__).resolve().parents[2] / "examples" / "catalogs" / "cloudcrm.yaml"


def test_a_price_change_reaches_running_contracts_at_their_next_period(store_factory: Any) -> None:
    clock = ManualClock(datetime(2026, 1, 14, 23, 0, tzinfo=UTC))  # 2026-01-15 00:00 Berlin
    app = bootstrap(store_factory(clock), clock)
    vendor = app.vendors.create(load_catalog_file(CATALOG))
    customer = app.customers.create(
        vendor,
        type=CustomerType.BUSINESS,
        name="Alt GmbH",
        country="DE",
        email="a@k.example",
        address="Kundenweg 1, 10115 Berlin",
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
        vendor,
        type=CustomerType.BUSINESS,
        name="Alt GmbH",
        country="DE",
        email="a@k.example",
        address="Kundenweg 1, 10115 Berlin",
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
        vendor,
        type=CustomerType.BUSINESS,
        name="Alt GmbH",
        country="DE",
        email="a@k.example",
        address="Kundenweg 1, 10115 Berlin",
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


# ------------------------------------------------- grandfathered contracts (issue #15, point 10)

TIERS = CATALOG.with_name("cloudcrm-tiers.yaml")
#: CloudCRM with its plan renamed (``business`` withdrawn, ``business2026`` at 59.00 offered).
RENAMED = (
    CATALOG.read_text(encoding="utf-8")
    .replace("  business:\n", "  business2026:\n")
    .replace('price: "49.00"', 'price: "59.00"')
)
#: CloudCRM without the extra storage add-on.
NO_STORAGE = (
    CATALOG.read_text(encoding="utf-8")
    .replace("addons: [extra_user, extra_storage]", "addons: [extra_user]")
    .split("  extra_storage:\n")[0]
    + "metrics: {}\n"
)


def _one_contract(store_factory: Any) -> tuple[Any, ManualClock, str, str]:
    clock = ManualClock(datetime(2026, 1, 14, 23, 0, tzinfo=UTC))  # 2026-01-15 00:00 Berlin
    app = bootstrap(store_factory(clock), clock)
    vendor = app.vendors.create(load_catalog_file(CATALOG))
    customer = app.customers.create(
        vendor,
        type=CustomerType.BUSINESS,
        name="Alt GmbH",
        country="DE",
        email="a@k.example",
        address="Kundenweg 1, 10115 Berlin",
    )
    contract = app.contracts.start(vendor, customer.id, "business").id
    app.billing.run(until=date(2026, 1, 15), vendor_id=vendor)
    return app, clock, vendor, contract


def _refused(call: Any, *args: Any, **kwargs: Any) -> str:
    with pytest.raises(DomainError) as caught:
        call(*args, **kwargs)
    return caught.value.code


def test_a_grandfathered_contract_changes_to_a_plan_of_the_newest_version(
    store_factory: Any,
) -> None:
    app, clock, vendor, old = _one_contract(store_factory)
    app.vendors.upload(vendor, load_catalog_text(RENAMED), allow_grandfathering=True)
    clock.advance_to(datetime(2026, 2, 20, 9, 0, tzinfo=UTC))
    app.billing.run(vendor_id=vendor)
    assert app.queries.contract(vendor, old).plan.id == "business"  # kept its version

    assert app.contracts.change_plan(vendor, old, "business2026") is None  # 59 >= 49: at once

    contract = app.queries.contract(vendor, old)
    assert (contract.plan.id, contract.plan.price) == ("business2026", Decimal("59.00"))
    assert "business2026" in contract.catalog.plans  # it moved to the newest version
    assert _refused(app.contracts.change_plan, vendor, old, "business") == "unknown_plan"
    clock.advance_to(datetime(2026, 3, 14, 23, 0, tzinfo=UTC))  # 2026-03-15 00:00 Berlin
    app.billing.run(until=date(2026, 3, 15), vendor_id=vendor)
    march = [d for d in app.queries.documents(vendor) if d.issue_date == date(2026, 3, 15)]
    assert [(x.item, x.net) for x in march[0].lines if x.kind.value == "recurring"] == [
        ("plan:business2026", Decimal("59.00"))
    ]


def test_a_plan_new_in_the_newest_version_is_reachable_at_once(store_factory: Any) -> None:
    app, clock, vendor, contract = _one_contract(store_factory)
    clock.advance_to(datetime(2026, 1, 20, 9, 0, tzinfo=UTC))
    app.vendors.upload(vendor, load_catalog_file(TIERS))  # adds starter, enterprise, …

    app.contracts.change_plan(vendor, contract, "enterprise")  # before the next period start

    assert app.queries.contract(vendor, contract).plan.id == "enterprise"


def test_booking_an_addon_the_newest_version_withdrew_is_refused(store_factory: Any) -> None:
    app, clock, vendor, contract = _one_contract(store_factory)
    kept = app.addons.book(vendor, contract, "extra_storage")
    upload = app.vendors.upload(vendor, load_catalog_text(NO_STORAGE), allow_grandfathering=True)
    assert [(a.id, a.contracts, a.bookings) for a in upload.impact.addons_removed] == [
        ("extra_storage", 1, 1)
    ]

    assert _refused(app.addons.book, vendor, contract, "extra_storage") == "addon_withdrawn"
    assert _refused(app.addons.book, vendor, contract, "teleport") == "unknown_addon"
    app.addons.book(vendor, contract, "extra_user")  # still offered
    clock.advance_to(datetime(2026, 2, 20, 9, 0, tzinfo=UTC))
    app.billing.run(vendor_id=vendor)  # the running booking goes on, on the old version
    assert app.queries.contract(vendor, contract).booking(kept).status.value == "active"


def test_an_upload_that_strands_contracts_needs_consent_and_a_dry_run_shows_why(
    store_factory: Any,
) -> None:
    app, _, vendor, contract = _one_contract(store_factory)
    renamed = load_catalog_text(RENAMED)

    preview = app.vendors.upload(vendor, renamed, dry_run=True)
    assert preview.version is None
    assert [(p.id, p.contracts) for p in preview.impact.plans_removed] == [("business", 1)]
    (outcome,) = preview.impact.contracts
    assert (outcome.contract_id, outcome.grandfathered) == (contract, Grandfathered.PLAN_REMOVED)
    assert _refused(app.vendors.upload, vendor, renamed) == "catalog_strands_contracts"
    assert "business2026" not in app.queries.catalog(vendor).plans  # nothing stored

    stored = app.vendors.upload(vendor, renamed, allow_grandfathering=True)
    assert stored.version == 2
    assert "business2026" in app.queries.catalog(vendor).plans


def test_a_price_change_is_previewed_per_item_and_needs_no_consent(store_factory: Any) -> None:
    app, _, vendor, contract = _one_contract(store_factory)
    app.addons.book(vendor, contract, "extra_user", 2)
    text = (
        CATALOG.read_text(encoding="utf-8")
        .replace('price: "49.00"', 'price: "59.00"')
        .replace(
            'price: "5.90"\n    entitlements: {users: 1}',
            'price: "6.90"\n    entitlements: {users: 1}',
        )
    )

    upload = app.vendors.upload(vendor, load_catalog_text(text))

    assert upload.version == 2
    assert [(c.contract_id, c.grandfathered) for c in upload.impact.contracts] == [(contract, None)]
    assert [(p.item, p.old, p.new, p.contracts) for p in upload.impact.price_changes] == [
        ("addon:extra_user", Decimal("5.90"), Decimal("6.90"), 1),
        ("plan:business", Decimal("49.00"), Decimal("59.00"), 1),
    ]
