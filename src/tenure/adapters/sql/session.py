"""The connection that a unit of work's repositories share, and the translation of the
database's errors into the service layer's: a serialization failure or deadlock is a
:class:`ConcurrencyConflict` (the use case runs again), a refused value an
:class:`InvalidStoredValue`, an unreachable or locked database :class:`StoreUnavailable`."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, NoReturn

from sqlalchemy import Connection, CursorResult, Engine, Executable
from sqlalchemy.exc import DataError, DBAPIError, OperationalError

from tenure.services.clock import Clock
from tenure.services.errors import ConcurrencyConflict, InvalidStoredValue, StoreUnavailable

# PostgreSQL SQLSTATEs that mean "run the transaction again": serialization failure, deadlock.
_RETRYABLE_SQLSTATES = {"40001", "40P01"}


class Session:
    """The open connection of one unit of work (see :class:`SqlUnitOfWork`), the clock and the
    actor its audit entries name."""

    def __init__(self, engine: Engine, clock: Clock, actor: str) -> None:
        self.engine = engine
        self.clock = clock
        self.actor = actor
        self.connection: Connection | None = None

    @property
    def conn(self) -> Connection:
        if self.connection is None:
            raise RuntimeError("the unit of work is not open (use it in a with block)")
        return self.connection

    def execute(self, statement: Executable, parameters: Any = None) -> CursorResult[Any]:
        """Run a statement in the unit of work's transaction, with errors translated."""
        try:
            return self.conn.execute(statement, parameters)
        except DBAPIError as exc:
            raise_translated(exc)

    @property
    def postgres(self) -> bool:
        return self.engine.dialect.name == "postgresql"

    def insert(self, table: Any) -> Any:
        """An INSERT with the dialect's ``ON CONFLICT`` clauses (the dialect imported when first
        used: a command on SQLite does not import PostgreSQL's)."""
        if self.postgres:
            from sqlalchemy.dialects import postgresql

            return postgresql.insert(table)
        from sqlalchemy.dialects import sqlite

        return sqlite.insert(table)


def retryable(exc: DBAPIError) -> bool:
    code = getattr(exc.orig, "sqlstate", None) or getattr(exc.orig, "pgcode", None)
    return code in _RETRYABLE_SQLSTATES


def translated(exc: DBAPIError) -> Exception:
    """The service-level error for a database error (``exc`` itself if there is none)."""
    if retryable(exc):
        return ConcurrencyConflict("the database asked to run the transaction again")
    if isinstance(exc, DataError):
        return InvalidStoredValue(f"the database refused a value: {exc.orig}", _refused(exc))
    if isinstance(exc, OperationalError):
        return StoreUnavailable(f"the database is unavailable: {exc.orig}")
    return exc


_INTEGER_RANGES = {"integer": 2**31, "smallint": 2**15, "bigint": 2**63}


def _refused(exc: DataError) -> str | None:
    """The column whose value the database refused, found in the statement's parameters (the
    driver's message names the type, never the column): a text with NUL characters (refused
    by psycopg), one longer than a ``varchar(n)``, or an integer outside its type's range."""
    message = str(exc.orig)
    longest = re.search(r"character varying\((\d+)\)", message)
    integer = re.search(r"(smallint|integer|bigint) out of range", message)
    rows = exc.params if isinstance(exc.params, list | tuple) else [exc.params]
    for row in rows:
        for column, value in row.items() if isinstance(row, dict) else ():
            if isinstance(value, str) and (
                ("NUL" in message and "\x00" in value)
                or (longest is not None and len(value) > int(longest.group(1)))
            ):
                return str(column)
            if integer is not None and isinstance(value, int):
                bound = _INTEGER_RANGES[integer.group(1)]
                if not -bound <= value < bound:
                    return str(column)
    return None


def raise_translated(exc: DBAPIError) -> NoReturn:
    """Raise the service-level error for ``exc`` (see :func:`translated`), or ``exc`` itself."""
    error = translated(exc)
    if error is exc:
        raise exc
    raise error from exc


@contextmanager
def translating() -> Iterator[None]:
    """Translate database errors raised in the block (see :func:`translated`)."""
    try:
        yield
    except DBAPIError as exc:
        raise_translated(exc)
