"""The cheap schema check of :class:`SqlStore` (issue 15, point 15): the head revision read from
the migration files is Alembic's, an up-to-date database is left alone, one behind is migrated."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from alembic import command

from tenure.adapters.sql import SqlStore, migrate, schema
from tenure.adapters.sql.engine import make_engine
from tenure.services.clock import ManualClock

CLOCK = ManualClock(datetime(2026, 1, 15, tzinfo=UTC))


def test_the_head_read_from_the_migration_files_is_alembics() -> None:
    assert schema.head_revision() is not None
    assert schema.head_revision() == migrate.head_revision()


def test_an_up_to_date_database_is_not_migrated_again(
    db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_upgrade(*_args: object) -> None:
        raise AssertionError("Alembic ran on an up-to-date database")

    monkeypatch.setattr(migrate, "upgrade", no_upgrade)
    store = SqlStore(db_url, CLOCK)
    assert schema.current_revision(store.engine) == schema.head_revision()
    store.dispose()


def test_a_database_behind_the_head_is_migrated_on_open(db_url: str) -> None:
    engine = make_engine(db_url)
    head = schema.head_revision()
    assert head is not None
    previous = f"{int(head) - 1:04d}"
    try:
        config = migrate.alembic_config()
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.downgrade(config, previous)
        assert schema.current_revision(engine) == previous
        SqlStore(db_url, CLOCK).dispose()
        assert schema.current_revision(engine) == head
    finally:
        migrate.upgrade(engine)  # leave the shared PostgreSQL database at the head
        engine.dispose()
