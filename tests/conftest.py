"""Storage for the tests: every test that asks for ``store_factory`` runs three times, on the
in-memory store, on SQLite and on PostgreSQL (the same assertions on each).

PostgreSQL comes from ``TENURE_TEST_POSTGRES_URL`` (default: the local server with trust auth).
One database per xdist worker, created fresh at session start; tests stay apart by using their own
vendor ids. Where no server is reachable the PostgreSQL runs are skipped with the reason, unless
``TENURE_REQUIRE_POSTGRES=1`` (set by ``.ci/run``), which turns the skip into a failure.
"""

from __future__ import annotations

import os
import tempfile
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

# Mail that the embedded default sends in tests (workers started with the default settings, the
# CLI and `tenure serve` in subprocesses) goes to a folder of this run, never to the checkout's
# ./tenure-mail; and no test reaches a real SMTP server from the environment.
os.environ.setdefault("TENURE_MAIL_DIR", tempfile.mkdtemp(prefix="tenure-test-mail-"))
os.environ.pop("TENURE_SMTP_URL", None)

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


#: What a worker takes from the shared PostgreSQL test database whatever the vendor: cleared
#: before each test, so no test's worker renders, mails or dispatches another test's work.
WORK_QUEUES = (
    "UPDATE outbox SET delivered = true WHERE delivered = false",
    "DELETE FROM render_jobs",
    "DELETE FROM emails",
    "UPDATE webhook_deliveries SET status = 'cancelled' WHERE status = 'pending'",
)


def _clear_work_queues(store: SqlStore) -> None:
    with store.engine.begin() as conn:
        for statement in WORK_QUEUES:
            conn.execute(text(statement))


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
            if not made:  # the test's first store: no work left over from earlier tests
                _clear_work_queues(store)
            made.append(store)
            return store

        yield postgres
    for store in made:
        store.dispose()
