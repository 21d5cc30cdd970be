"""Durable storage: SQLite by default, PostgreSQL in production (SQLAlchemy Core + Alembic)."""

from __future__ import annotations

from sqlalchemy import Engine

from tenure.adapters.sql.engine import database_url, make_engine
from tenure.adapters.sql.schema import ensure_schema, upgrade
from tenure.adapters.sql.unit_of_work import SqlUnitOfWork
from tenure.services.clock import Clock


class SqlStore:
    """A database and the factory of its units of work."""

    def __init__(
        self, url: str | None, clock: Clock, actor: str = "system", migrate: bool = True
    ) -> None:
        self.url = database_url(url)
        self.engine: Engine = make_engine(self.url)
        self.clock = clock
        self.actor = actor
        if migrate:
            ensure_schema(self.engine)

    def unit_of_work(self) -> SqlUnitOfWork:
        return SqlUnitOfWork(self.engine, self.clock, self.actor)

    def dispose(self) -> None:
        self.engine.dispose()


__all__ = ["SqlStore", "SqlUnitOfWork", "database_url", "make_engine", "upgrade"]
