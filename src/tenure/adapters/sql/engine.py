"""Database engines: SQLite as the embedded default, PostgreSQL for production.

SQLite runs in WAL mode with foreign keys on and a busy timeout, and every writing transaction
starts with ``BEGIN IMMEDIATE``: writers queue for the one write lock up front instead of
upgrading a read lock half-way, so two writers can never deadlock. Read-only units of work begin
a deferred, query-only transaction that reads beside a writer. PostgreSQL runs at READ COMMITTED;
writers lock the rows they change (``SELECT ... FOR UPDATE``) in a fixed order.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.pool import NullPool

DEFAULT_SQLITE_PATH = Path("tenure.sqlite")

#: Execution options of a read-only unit of work (reset when the connection goes back to the
#: pool). PostgreSQL: REPEATABLE READ READ ONLY, so that the several queries of one read see one
#: snapshot. SQLite: a deferred, query-only transaction, which reads one WAL snapshot anyway.
READ_ONLY: dict[str, dict[str, Any]] = {
    "postgresql": {"postgresql_readonly": True, "isolation_level": "REPEATABLE READ"},
    "sqlite": {"tenure_read_only": True},
}
BUSY_TIMEOUT_SECONDS = 30


def database_url(explicit: str | None = None) -> str:
    """``explicit``, else ``TENURE_DATABASE_URL``, else the SQLite file ``./tenure.sqlite``."""
    url = explicit or os.environ.get("TENURE_DATABASE_URL")
    if url:
        return normalize_url(url)
    return f"sqlite:///{DEFAULT_SQLITE_PATH}"


def normalize_url(url: str) -> str:
    """Accept the usual ``postgresql://`` spelling and use psycopg 3 for it."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def make_engine(url: str, **options: Any) -> Engine:
    url = normalize_url(url)
    if url.startswith("sqlite"):
        engine = create_engine(
            url,
            connect_args={"timeout": BUSY_TIMEOUT_SECONDS, "check_same_thread": False},
            poolclass=NullPool,
            **options,
        )
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    # As many connections as the API's worker threads (40 in AnyIO's default pool), so that a
    # burst of requests waits for a thread, never for a connection (which would time out).
    options = {"pool_size": 10, "max_overflow": 30, "pool_timeout": 30, **options}
    return create_engine(url, pool_pre_ping=True, **options)


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy's "begin" event emit BEGIN IMMEDIATE itself (the documented pysqlite recipe).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_SECONDS * 1000}")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _sqlite_begin(connection: Any) -> None:
    if connection.get_execution_options().get("tenure_read_only"):
        # A reader: a deferred transaction reads its WAL snapshot without waiting for writers,
        # and query_only makes any write fail. (Connections are not pooled, see make_engine.)
        connection.exec_driver_sql("BEGIN")
        connection.exec_driver_sql("PRAGMA query_only = ON")
    else:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def is_postgresql(engine: Engine) -> bool:
    return engine.dialect.name == "postgresql"
