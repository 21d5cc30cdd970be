"""Storage for the tests: every test that asks for ``store_factory`` runs three times, on the
in-memory store, on SQLite and on PostgreSQL (the same assertions on each).

PostgreSQL comes from ``TENURE_TEST_POSTGRES_URL`` (default: the local server with trust auth).
One database per xdist worker, created fresh at session start; tests stay apart by using their own
vendor ids. Where no server is reachable the PostgreSQL runs are skipped with the reason, unless
``TENURE_REQUIRE_POSTGRES=1`` (set by ``.ci/run``), which turns the skip into a failure.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from tenure.adapters.memory import InMemoryStore
from tenure.adapters.sql import SqlStore
from tenure.adapters.sql.engine import normalize_url
from tenure.services.clock import Clock

POSTGRES_URL = os.environ.get(
    "TENURE_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
REQUIRE_POSTGRES = os.environ.get("TENURE_REQUIRE_POSTGRES") == "1"

StoreFactory = Callable[[Clock], Any]


def _database_name(worker: str) -> str:
    """This run's and worker's own database, so that two test runs on one server (two checkouts,
    CI beside a developer) never drop each other's."""
    run = os.environ.get("PYTEST_XDIST_TESTRUNUID") or str(os.getpid())
    return f"tenure_test_{run[:12]}_{worker}"


def _admin(statement: str) -> None:
    admin = create_engine(normalize_url(POSTGRES_URL), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(statement))
    finally:
        admin.dispose()


def _worker_database_url(name: str) -> str:
    """Create (afresh) a test database and return its URL; raise if unreachable."""
    _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    _admin(f'CREATE DATABASE "{name}"')
    return normalize_url(POSTGRES_URL).rsplit("/", 1)[0] + f"/{name}"


@pytest.fixture(scope="session")
def postgres_url(worker_id: str) -> Iterator[str]:
    name = _database_name(worker_id)
    try:
        url = _worker_database_url(name)
    except OperationalError as exc:
        reason = f"no PostgreSQL server at {POSTGRES_URL}: {exc.orig}"
        if REQUIRE_POSTGRES:
            pytest.fail(reason)
        pytest.skip(reason)
    from tenure.adapters.sql.engine import make_engine
    from tenure.adapters.sql.migrate import upgrade

    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    yield url
    _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["memory", "sqlite", "postgresql"])
def store_kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def store_factory(
    store_kind: str, tmp_path: Path, request: pytest.FixtureRequest
) -> Iterator[StoreFactory]:
    """``store_factory(clock)`` gives a fresh store of this test's kind."""
    made: list[SqlStore] = []
    if store_kind == "memory":
        yield lambda _clock: InMemoryStore()
        return
    if store_kind == "sqlite":
        counter = iter(range(1_000_000))

        def sqlite(clock: Clock) -> SqlStore:
            store = SqlStore(f"sqlite:///{tmp_path}/tenure-{next(counter)}.sqlite", clock)
            made.append(store)
            return store

        yield sqlite
    else:
        url = request.getfixturevalue("postgres_url")

        def postgres(clock: Clock) -> SqlStore:
            store = SqlStore(url, clock, migrate=False)
            made.append(store)
            return store

        yield postgres
    for store in made:
        store.dispose()
