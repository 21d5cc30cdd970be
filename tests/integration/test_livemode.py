"""Live and sandbox mode (issue #15, points 1 and 3): a sandbox customer's documents never take a
live number, every object and event says its mode, lists are live unless asked for sandbox ones,
and a billing run never bills a live contract past the vendor's today."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from tenure.adapters.catalog_yaml import load_catalog_file
from tenure.bootstrap import bootstrap
from tenure.domain.customer import CustomerType
from tenure.services.application import Services
from tenure.services.clock import ManualClock
from tenure.services.encoding import event_payload
from tenure.services.errors import BillingDateInFuture

CATALOG = Path(__file__).resolve().parents[2] / "examples" / "catalogs" / "cloudcrm.yaml"
NOV_28 = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)  # the system's today: 2026-11-28 in Berlin
JAN_15_BERLIN = datetime(2026, 1, 14, 23, 0, tzinfo=UTC)


def live_app(store_factory: Any) -> tuple[Services, ManualClock, str, str]:
    """A fresh store on 2026-11-28 with one live customer whose contract starts today."""
    clock = ManualClock(NOV_28)
    app = bootstrap(store_factory(clock), clock)
    vendor = app.vendors.create(load_catalog_file(CATALOG))
    customer = app.customers.create(
        vendor,
        type=CustomerType.BUSINESS,
        name="Live GmbH",
        country="DE",
        email="l@live.example",
        address="Kundenweg 1, 10115 Berlin",
    )
    contract = app.contracts.start(vendor, customer.id, "business")
    return app, clock, vendor, contract.id


def sandbox_customer(app: Services, vendor: str) -> tuple[str, str, str]:
    """A test clock at 2026-01-15 with a sandbox customer and its contract."""
    clock = app.test_clocks.create(vendor, JAN_15_BERLIN, name="Januar-Test")
    customer = app.customers.create(
        vendor,
        type=CustomerType.BUSINESS,
        name="Sandbox GmbH",
        country="DE",
        email="s@sandbox.example",
        address="Kundenweg 1, 10115 Berlin",
        test_clock_id=clock.id,
    )
    contract = app.contracts.start(vendor, customer.id, "business")
    return clock.id, customer.id, contract.id


def test_sandbox_documents_never_touch_the_live_number_series(store_factory: Any) -> None:
    """The issue's story: a live run issues RE-2026-000001 on 2026-11-28; a test clock at
    2026-01-15 advanced to April issues only TEST- numbers; the live series goes on with
    RE-2026-000002."""
    app, clock, vendor, _ = live_app(store_factory)
    assert app.billing.run(vendor_id=vendor).documents == ("RE-2026-000001",)

    clock_id, _, sandbox_contract = sandbox_customer(app, vendor)
    run = app.test_clocks.advance(vendor, clock_id, datetime(2026, 4, 20, 12, 0, tzinfo=UTC))
    assert run.documents == (
        "TEST-RE-2026-000001",
        "TEST-RE-2026-000002",
        "TEST-RE-2026-000003",
        "TEST-RE-2026-000004",
    )

    clock.advance_to(datetime(2026, 12, 28, 9, 0, tzinfo=UTC))
    assert app.billing.run(vendor_id=vendor).documents == ("RE-2026-000002",)

    live = app.queries.documents(vendor, livemode=True)
    assert [(d.number, d.issue_date, d.livemode) for d in live] == [
        ("RE-2026-000001", date(2026, 11, 28), True),
        ("RE-2026-000002", date(2026, 12, 28), True),
    ]
    sandbox = app.queries.documents(vendor, livemode=False)
    assert [(d.number, d.issue_date.month, d.livemode) for d in sandbox] == [
        (f"TEST-RE-2026-00000{i}", i, False) for i in (1, 2, 3, 4)
    ]
    assert {d.draft.contract_id for d in sandbox} == {sandbox_contract}
    assert len(app.queries.documents(vendor)) == 6  # None: both modes
    page = app.queries.documents_page(vendor, livemode=True, limit=1)
    assert [d.number for d in page.items] == ["RE-2026-000001"]
    second = app.queries.documents_page(vendor, livemode=True, after=page.next, limit=5)
    assert [d.number for d in second.items] == ["RE-2026-000002"]


def test_a_sandbox_credit_note_is_numbered_in_the_sandbox_series(store_factory: Any) -> None:
    app, _, vendor, _ = live_app(store_factory)
    app.billing.run(vendor_id=vendor)
    clock_id, _, contract_id = sandbox_customer(app, vendor)
    booking = app.addons.book(vendor, contract_id, "extra_user", 2)
    app.test_clocks.advance(vendor, clock_id, datetime(2026, 1, 20, 12, 0, tzinfo=UTC))

    (note,) = app.addons.withdraw(vendor, contract_id, booking)

    assert note.number == "TEST-KR-2026-000001"
    assert note.livemode is False
    assert note.refers_to == "TEST-RE-2026-000001"
    assert [d.number for d in app.queries.documents(vendor, livemode=True)] == ["RE-2026-000001"]


def test_events_of_a_sandbox_contract_say_livemode_false(store_factory: Any) -> None:
    app, _, vendor, live_contract = live_app(store_factory)
    app.billing.run(vendor_id=vendor)
    clock_id, _, sandbox_contract = sandbox_customer(app, vendor)
    app.test_clocks.advance(vendor, clock_id, datetime(2026, 1, 20, 12, 0, tzinfo=UTC))

    with app.queries.ctx.uow_factory().reading() as uow:
        messages = uow.outbox.list(vendor)
    modes = {(m.event.contract_id, m.event.name, m.event.livemode) for m in messages}
    assert (live_contract, "contract.started", True) in modes
    assert (live_contract, "document.issued", True) in modes
    assert (sandbox_contract, "contract.started", False) in modes
    assert (sandbox_contract, "document.issued", False) in modes
    assert all(livemode == (cid == live_contract) for cid, _, livemode in modes)
    payloads = [event_payload(m.event) for m in messages]
    assert {p["livemode"] for p in payloads if p["data"]["contract_id"] == sandbox_contract} == {
        False
    }
    assert all("livemode" not in p["data"] for p in payloads)


def test_lists_of_customers_and_contracts_are_filtered_by_mode(store_factory: Any) -> None:
    app, _, vendor, live_contract = live_app(store_factory)
    _, sandbox_id, sandbox_contract = sandbox_customer(app, vendor)
    (live,) = app.queries.customers(vendor, livemode=True)
    assert live.livemode
    assert live.id != sandbox_id
    assert [c.id for c in app.queries.customers(vendor, livemode=False)] == [sandbox_id]
    assert [c.id for c in app.queries.customers_page(vendor, livemode=False).items] == [sandbox_id]
    assert len(app.queries.customers_page(vendor).items) == 2

    live_views = app.queries.contract_views_page(vendor, livemode=True).items
    assert [(v["id"], v["livemode"]) for v in live_views] == [(live_contract, True)]
    sandbox_views = app.queries.contract_views_page(vendor, livemode=False).items
    assert [(v["id"], v["livemode"]) for v in sandbox_views] == [(sandbox_contract, False)]
    assert app.queries.contract_view(vendor, sandbox_contract)["livemode"] is False
    assert [c.id for c in app.queries.contracts(vendor, livemode=False)] == [sandbox_contract]


def test_a_billing_run_never_bills_a_live_contract_past_today(store_factory: Any) -> None:
    """Point 3: `run(until=2027-06-30)` on 2026-11-28 is refused and issues nothing."""
    app, _, vendor, contract_id = live_app(store_factory)

    with pytest.raises(BillingDateInFuture, match="after today \\(2026-11-28\\)") as refused:
        app.billing.run(until=date(2027, 6, 30))
    assert (refused.value.code, refused.value.status) == ("billing_date_in_future", 422)
    with pytest.raises(BillingDateInFuture):
        app.billing.run(until=date(2027, 6, 30), vendor_id=vendor)
    assert app.queries.documents(vendor) == []

    # A contract's next day alone never goes past today either, whatever ``until`` says.
    assert app.billing.bill_next_day(vendor, contract_id, date(2027, 6, 30)) == ["RE-2026-000001"]
    assert app.billing.bill_next_day(vendor, contract_id, date(2027, 6, 30)) is None
    assert app.billing.run(until=date(2026, 11, 28), vendor_id=vendor).documents == ()
    assert [d.issue_date for d in app.queries.documents(vendor)] == [date(2026, 11, 28)]


def test_sandbox_contracts_move_only_with_their_clock(store_factory: Any) -> None:
    app, _, vendor, _ = live_app(store_factory)
    clock_id, _, _ = sandbox_customer(app, vendor)
    app.test_clocks.advance(vendor, clock_id, datetime(2026, 1, 20, tzinfo=UTC))

    app.billing.run(vendor_id=vendor)  # the system's run on 2026-11-28: the clock stays in Jan.

    assert [d.number for d in app.queries.documents(vendor, livemode=False)] == [
        "TEST-RE-2026-000001"
    ]


def test_migration_0009_gives_the_stored_contract_views_their_mode(tmp_path: Path) -> None:
    from alembic import command
    from sqlalchemy import select

    from tenure.adapters.sql import SqlStore
    from tenure.adapters.sql.migrate import alembic_config, upgrade
    from tenure.adapters.sql.tables import contracts

    clock = ManualClock(NOV_28)
    store = SqlStore(f"sqlite:///{tmp_path}/old.sqlite", clock)
    app = bootstrap(store, clock)
    vendor = app.vendors.create(load_catalog_file(CATALOG))
    live = app.customers.create(
        vendor,
        type=CustomerType.BUSINESS,
        name="Live",
        country="DE",
        email="l@x.example",
        address="Kundenweg 1, 10115 Berlin",
    )
    live_contract = app.contracts.start(vendor, live.id, "business").id
    _, _, sandbox_contract = sandbox_customer(app, vendor)

    def stored_modes() -> dict[str, Any]:
        with store.engine.connect() as conn:
            rows = conn.execute(select(contracts.c.id, contracts.c.view)).all()
        return {row.id: row.view.get("livemode") for row in rows}

    config = alembic_config()
    with store.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0008")
    assert stored_modes() == {live_contract: None, sandbox_contract: None}
    upgrade(store.engine)
    assert stored_modes() == {live_contract: True, sandbox_contract: False}
    assert app.queries.contract_view(vendor, sandbox_contract)["livemode"] is False
    store.dispose()
