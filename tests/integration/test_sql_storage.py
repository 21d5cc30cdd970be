"""The storage layer on real databases: schema from migrations, exact round trips, immutable
documents and audit log, tenant isolation."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import event, select, text
from sqlalchemy.exc import DataError, DBAPIError, OperationalError

from tenure.adapters.catalog_yaml import load_catalog_file
from tenure.adapters.memory import InMemoryStore
from tenure.adapters.sql import SqlStore
from tenure.adapters.sql.migrate import current_revision, head_revision
from tenure.adapters.sql.tables import contracts, metadata
from tenure.bootstrap import bootstrap
from tenure.domain.customer import CustomerType
from tenure.services.application import Services
from tenure.services.clock import ManualClock
from tenure.services.context import SequentialIds
from tenure.services.errors import (
    InvalidCursor,
    InvalidStoredValue,
    StoreUnavailable,
    UnknownContract,
)
from tenure.services.read_models import contract_view
from tests.integration.fleet import CATALOGS, new_vendor_id, populate

JAN_15 = datetime(2026, 1, 14, 23, 0, tzinfo=UTC)  # 2026-01-15 00:00 in Berlin


def app_on(url: str) -> tuple[Services, SqlStore]:
    clock = ManualClock(JAN_15)
    store = SqlStore(url, clock, migrate=False)
    return bootstrap(store, clock, SequentialIds()), store


def test_migrations_build_exactly_the_declared_schema(db_url: str) -> None:
    _, store = app_on(db_url)
    try:
        assert current_revision(store.engine) == head_revision()
        with store.engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), metadata)
        assert diff == []
    finally:
        store.dispose()


def test_upgrading_twice_changes_nothing(db_url: str) -> None:
    clock = ManualClock(JAN_15)
    SqlStore(db_url, clock).dispose()  # migrate=True again on a migrated database
    _, store = app_on(db_url)
    assert current_revision(store.engine) == head_revision()
    store.dispose()


def _play(app: Services, vendor: str) -> str:
    (contract_id,) = populate(app, vendor, 1, date(2026, 1, 15))
    app.billing.run(until=date(2026, 1, 15), vendor_id=vendor)
    app.clock.advance_to(datetime(2026, 2, 3, 9, 0, tzinfo=UTC))  # type: ignore[attr-defined]
    app.addons.book(vendor, contract_id, "extra_user", 2)
    app.cancellations.cancel(vendor, contract_id, requested_end=date(2026, 6, 14))
    return contract_id


def _state(app: Services, vendor: str, contract_id: str) -> dict[str, object]:
    contract = app.queries.contract(vendor, contract_id)
    state = dict(vars(contract))
    for key in ("catalog", "vendor", "events"):
        state.pop(key)
    state["customer"] = (contract.customer.name, contract.customer.email)
    return state


def test_a_contract_survives_the_round_trip_exactly(db_url: str) -> None:
    """The same use cases on the in-memory store and on the database leave equal aggregates."""
    app, store = app_on(db_url)
    vendor = new_vendor_id()
    contract_id = _play(app, vendor)

    memory_clock = ManualClock(JAN_15)
    memory_store = InMemoryStore()
    memory = bootstrap(memory_store, memory_clock, SequentialIds())
    memory_id = _play(memory, vendor)

    stored, expected = _state(app, vendor, contract_id), _state(memory, vendor, memory_id)
    assert stored == expected
    assert stored["version"] == 4  # started, billed on 01-15, booked, cancelled
    store.dispose()


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE documents SET tax_note = 'edited'",
        "DELETE FROM documents",
        "UPDATE document_lines SET net_minor = 0",
        "DELETE FROM document_lines",
        "UPDATE audit_log SET actor = 'someone else'",
        "DELETE FROM audit_log",
    ],
)
def test_issued_documents_and_the_audit_log_cannot_be_changed(db_url: str, statement: str) -> None:
    app, store = app_on(db_url)
    vendor = new_vendor_id()
    populate(app, vendor, 1, date(2026, 1, 15))
    assert app.billing.run(until=date(2026, 1, 15), vendor_id=vendor).documents
    with pytest.raises(DBAPIError, match="immutable"), store.engine.begin() as conn:
        conn.execute(text(statement + " WHERE vendor_id = :v"), {"v": vendor})
    assert [d.number for d in app.queries.documents(vendor)] == ["RE-2026-000001"]
    store.dispose()


def test_one_vendor_never_sees_another_vendors_contract(db_url: str) -> None:
    app, store = app_on(db_url)
    a, b = new_vendor_id(), new_vendor_id()
    (contract_a,) = populate(app, a, 1, date(2026, 1, 15))
    populate(app, b, 1, date(2026, 1, 15))
    with pytest.raises(UnknownContract):
        app.queries.contract(b, contract_a)
    app.billing.run(until=date(2026, 1, 15))
    # Each vendor has its own gap-free series.
    assert [d.number for d in app.queries.documents(a)] == ["RE-2026-000001"]
    assert [d.number for d in app.queries.documents(b)] == ["RE-2026-000001"]
    store.dispose()


def test_every_change_is_in_the_audit_log_with_before_and_after(db_url: str) -> None:
    app, store = app_on(db_url)
    vendor = new_vendor_id()
    (contract_id,) = populate(app, vendor, 1, date(2026, 1, 15))
    app.cancellations.cancel(vendor, contract_id)
    with store.engine.connect() as conn:
        rows = conn.execute(
            text("SELECT action, before, after FROM audit_log WHERE vendor_id = :v ORDER BY id"),
            {"v": vendor},
        ).all()
    assert [r.action for r in rows] == ["contract.created", "contract.changed"]
    store.dispose()


def test_the_stored_entitlement_timeline_is_written_with_each_save_and_derived_when_missing(
    db_url: str,
) -> None:
    """The read model behind customer entitlements: written with the contract row; a row from
    before migration 0005 (NULL) is read from the aggregate until its next save writes it."""
    app, store = app_on(db_url)
    vendor = new_vendor_id()
    contract_id = _play(app, vendor)  # extra_user × 2 booked 2026-02-03, ends 2026-06-14
    customer_id = app.queries.contract(vendor, contract_id).customer.id

    def stored() -> Any:
        with store.engine.connect() as conn:
            return conn.execute(
                select(contracts.c.entitlements).where(
                    contracts.c.vendor_id == vendor, contracts.c.id == contract_id
                )
            ).scalar_one()

    assert [(g["from"], g["until"], g["limits"]["users"]) for g in stored()] == [
        ("2026-01-14T23:00:00+00:00", "2026-02-03T09:00:00+00:00", 3),
        ("2026-02-03T09:00:00+00:00", "2026-06-14T22:00:00+00:00", 5),
    ]
    assert app.queries.customer_entitlements(vendor, customer_id).limits["users"] == 5

    with store.engine.begin() as conn:
        conn.execute(
            text("UPDATE contracts SET entitlements = NULL WHERE vendor_id = :v"), {"v": vendor}
        )
    assert app.queries.customer_entitlements(vendor, customer_id).limits["users"] == 5
    app.addons.book(vendor, contract_id, "extra_user", 1)
    assert stored() is not None
    assert app.queries.customer_entitlements(vendor, customer_id).limits["users"] == 6
    store.dispose()


def test_contracts_are_shown_from_the_stored_view_without_loading_aggregates(
    db_url: str,
) -> None:
    """The contract as displayed is written with the row; a page of contracts is one query of
    the contracts table (no customers, no child tables); a row from before migration 0006
    (NULL) is shown from its aggregate until its next save writes the view."""
    app, store = app_on(db_url)
    vendor = new_vendor_id()
    contract_id = _play(app, vendor)
    expected = contract_view(app.queries.contract(vendor, contract_id))
    statements: list[str] = []

    def seen(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    event.listen(store.engine, "before_cursor_execute", seen)
    page = app.queries.contract_views_page(vendor)
    event.remove(store.engine, "before_cursor_execute", seen)
    assert page.items == [expected]
    read = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    assert len(read) == 1, read
    assert "bookings" not in read[0]
    assert "customers" not in read[0]

    with store.engine.begin() as conn:
        conn.execute(text("UPDATE contracts SET view = NULL WHERE vendor_id = :v"), {"v": vendor})
    assert app.queries.contract_view(vendor, contract_id) == expected
    assert app.queries.contract_views_page(vendor).items == [expected]
    app.addons.book(vendor, contract_id, "extra_user", 1)
    with store.engine.connect() as conn:
        stored = conn.execute(
            select(contracts.c.view).where(
                contracts.c.vendor_id == vendor, contracts.c.id == contract_id
            )
        ).scalar_one()
    assert stored == contract_view(app.queries.contract(vendor, contract_id))
    assert stored["addons"][-1]["quantity"] == 1
    store.dispose()


def test_a_reading_unit_of_work_refuses_to_write(db_url: str) -> None:
    _, store = app_on(db_url)
    # PostgreSQL refuses with an InternalError; SQLite's OperationalError ("attempt to write a
    # readonly database") arrives as StoreUnavailable, caused by it.
    reading = store.unit_of_work().reading()
    with pytest.raises((DBAPIError, StoreUnavailable)) as refused, reading as uow:
        uow.vendors.add(new_vendor_id(), load_catalog_file(CATALOGS / "cloudcrm.yaml"))
    cause = refused.value.__cause__
    assert isinstance(refused.value, DBAPIError) or isinstance(cause, DBAPIError)
    with store.unit_of_work() as uow:  # the pooled connection is writable again afterwards
        uow.vendors.add(new_vendor_id(), load_catalog_file(CATALOGS / "cloudcrm.yaml"))
        uow.commit()
    store.dispose()


def test_database_errors_arrive_as_the_service_layers(postgres_url: str) -> None:
    """The SQL unit of work translates what the driver raises, keeping it as the cause: a value
    the database refuses (PostgreSQL: a NUL character) is InvalidStoredValue (422), an
    unreachable database StoreUnavailable (503)."""
    app, store = app_on(postgres_url)
    vendor = app.vendors.create(load_catalog_file(CATALOGS / "cloudcrm.yaml"), new_vendor_id())
    with pytest.raises(InvalidStoredValue) as refused:
        app.customers.create(
            vendor,
            type=CustomerType.BUSINESS,
            name="a\x00b",
            country="DE",
            email="k@k.example",
            address="Kundenweg 1, 10115 Berlin",
        )
    assert isinstance(refused.value.__cause__, DataError)
    assert (refused.value.code, refused.value.status) == ("invalid_input", 422)
    store.dispose()
    nowhere = "postgresql://postgres@127.0.0.1:1/none"
    unreachable = SqlStore(nowhere, ManualClock(JAN_15), migrate=False)
    with pytest.raises(StoreUnavailable) as unavailable, unreachable.unit_of_work():
        pass
    assert isinstance(unavailable.value.__cause__, OperationalError)
    assert (unavailable.value.code, unavailable.value.status) == ("database_unavailable", 503)
    unreachable.dispose()


def test_reads_do_not_wait_for_a_writer_holding_the_write_lock(tmp_path: Path) -> None:
    """On SQLite writers queue for one lock (BEGIN IMMEDIATE); readers read their snapshot
    beside them, so API reads are not held up by a billing run."""
    url = f"sqlite:///{tmp_path}/read.sqlite"
    SqlStore(url, ManualClock(JAN_15)).dispose()  # migrate
    app, store = app_on(url)
    vendor = new_vendor_id()
    (contract_id,) = populate(app, vendor, 1, date(2026, 1, 15))
    customer_id = app.queries.contract(vendor, contract_id).customer.id
    read: list[object] = []
    reader = threading.Thread(
        target=lambda: read.append(app.queries.customer_entitlements(vendor, customer_id))
    )
    with store.unit_of_work() as writer:  # holds the write lock until the block ends
        writer.vendors.add(new_vendor_id(), load_catalog_file(CATALOGS / "cloudcrm.yaml"))
        reader.start()
        reader.join(timeout=10)
        finished_while_locked = not reader.is_alive()
    reader.join()
    assert finished_while_locked
    assert len(read) == 1
    store.dispose()


def test_rows_added_before_the_cursor_neither_repeat_nor_shift_the_next_page(
    db_url: str,
) -> None:
    names = iter(["ven_page", "cus_b", "cus_d", "cus_f", "cus_h", "cus_a", "cus_e"])
    clock = ManualClock(datetime(2026, 1, 14, 23, 0, tzinfo=UTC))
    store = SqlStore(db_url, clock, migrate=False)
    app = bootstrap(store, clock, lambda _prefix: next(names))
    vendor = app.vendors.create(load_catalog_file(CATALOGS / "cloudcrm.yaml"))

    def customer() -> str:
        return app.customers.create(
            vendor,
            type=CustomerType.BUSINESS,
            name="K",
            country="DE",
            email="k@k.example",
            address="Kundenweg 1, 10115 Berlin",
        ).id

    for _ in range(4):
        customer()
    first = app.queries.customers_page(vendor, limit=2)
    assert [c.id for c in first.items] == ["cus_b", "cus_d"]
    assert (customer(), customer()) == ("cus_a", "cus_e")  # one before the cursor, one after
    rest = app.queries.customers_page(vendor, after=first.next, limit=100)
    assert [c.id for c in rest.items] == ["cus_e", "cus_f", "cus_h"]
    with pytest.raises(InvalidCursor):
        app.queries.customers_page(
            vendor, after="o2", limit=2
        )  # the in-memory store's kind of cursor
    store.dispose()
