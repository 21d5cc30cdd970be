"""The SQL unit of work: one database transaction over all repositories (see
docs/decisions/0007-explicit-data-mapper.md), savepoints when entered again, read-only units of
work, and the database's errors translated into the service layer's (:mod:`.session`)."""

from __future__ import annotations

from types import TracebackType
from typing import Self

from sqlalchemy import Engine, NestedTransaction
from sqlalchemy.exc import DBAPIError

from tenure.adapters.sql.engine import READ_ONLY
from tenure.adapters.sql.repositories.access import SqlApiKeys, SqlIdempotencyKeys
from tenure.adapters.sql.repositories.audit import SqlAuditLog
from tenure.adapters.sql.repositories.contracts import SqlContracts
from tenure.adapters.sql.repositories.customers import SqlCustomers
from tenure.adapters.sql.repositories.documents import SqlDocuments
from tenure.adapters.sql.repositories.files import SqlDocumentFiles, SqlEmails
from tenure.adapters.sql.repositories.outbox import SqlOutbox
from tenure.adapters.sql.repositories.test_clocks import SqlTestClocks
from tenure.adapters.sql.repositories.usage import SqlUsage
from tenure.adapters.sql.repositories.vendors import SqlVendors
from tenure.adapters.sql.repositories.webhooks import SqlWebhooks
from tenure.adapters.sql.session import Session, retryable, translating
from tenure.services.clock import Clock
from tenure.services.errors import ConcurrencyConflict
from tenure.services.unit_of_work import UnitOfWork


class SqlUnitOfWork(UnitOfWork):
    """The repositories share one connection (:attr:`session`). Contracts loaded for change are
    kept in the contract repository's identity map and written, with an optimistic version
    check and an audit entry, just before each commit (and before a savepoint opens)."""

    def __init__(self, engine: Engine, clock: Clock, actor: str = "system") -> None:
        self.session = session = Session(engine, clock, actor)
        self._savepoints: list[NestedTransaction] = []
        self._read_only = False
        self.vendors = SqlVendors(session)
        self.customers = SqlCustomers(session)
        self.contracts: SqlContracts = SqlContracts(session)
        self.documents = SqlDocuments(session)
        self.usage = SqlUsage(session)
        self.outbox = SqlOutbox(session)
        self.audit = SqlAuditLog(session)
        self.test_clocks = SqlTestClocks(session)
        self.api_keys = SqlApiKeys(session)
        self.idempotency = SqlIdempotencyKeys(session)
        self.webhooks = SqlWebhooks(session)
        self.document_files = SqlDocumentFiles(session)
        self.emails = SqlEmails(session)

    def reading(self) -> Self:
        if self.session.connection is None:
            self._read_only = True
        return self

    def __enter__(self) -> Self:
        session = self.session
        with translating():
            if session.connection is None:
                conn = session.engine.connect()
                try:
                    if self._read_only:
                        # See engine.READ_ONLY.
                        conn.execution_options(**READ_ONLY.get(session.engine.dialect.name, {}))
                    conn.begin()
                except BaseException:
                    conn.close()  # no __exit__ follows a failed __enter__
                    raise
                session.connection = conn
            else:
                # Entered again (a use case joining a caller's transaction, see
                # Services.joined): a savepoint, so that its commit is kept and its refusal
                # undone within the outer one.
                self.contracts.flush()
                self._savepoints.append(session.conn.begin_nested())
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            with translating():
                if self._savepoints:
                    self.contracts.forget()
                    savepoint = self._savepoints.pop()
                    if savepoint.is_active:
                        savepoint.rollback()
                else:
                    try:
                        self.rollback()
                    finally:
                        if self.session.connection is not None:
                            self.session.connection.close()
                            self.session.connection = None
        finally:
            if isinstance(exc, DBAPIError) and retryable(exc):
                raise ConcurrencyConflict(
                    "the database asked to run the transaction again"
                ) from exc

    def commit(self) -> None:
        """Commit (inside a savepoint: release it, so the outer transaction keeps the work)."""
        self.contracts.flush()
        conn = self.session.conn
        with translating():
            if self._savepoints:
                self._savepoints[-1].commit()
                self._savepoints[-1] = conn.begin_nested()
                return
            conn.commit()
            conn.begin()

    def rollback(self) -> None:
        self.contracts.forget()
        conn = self.session.connection
        with translating():
            if self._savepoints:
                if self._savepoints[-1].is_active:
                    self._savepoints[-1].rollback()
                self._savepoints[-1] = self.session.conn.begin_nested()
            elif conn is not None and conn.in_transaction():
                conn.rollback()
